"""CPU per request of the app itself: the workload's requests sent straight to the ASGI app,
in-process, one after another (no HTTP, no wrk, no uvicorn). Steadier than a load run on a
shared machine, so it is how each optimisation step in bench/README.md was measured.

    .venv/bin/python -m bench.inprocess [--workload put|mix] [--requests 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from bench.workload import Request, workloads
from sharemock.app import create_app
from sharemock.config import Settings


def _scope(request: Request) -> tuple[dict[str, Any], bytes]:
    path, _, query = request.path.partition("?")
    body = (request.body or "").encode()
    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"bench.inprocess")]
    headers += [(name.lower().encode(), value.encode()) for name, value in request.headers.items()]
    if request.body is not None:
        headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
    }
    return scope, body


async def _run(app: Any, requests: Sequence[Request], count: int) -> tuple[float, Counter[int]]:
    prepared = [_scope(r) for r in requests]
    statuses: Counter[int] = Counter()

    async def one(index: int) -> None:
        scope, body = prepared[index % len(prepared)]
        delivered = False

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses[message["status"]] += 1

        await app({**scope, "state": {}}, receive, send)

    for index in range(50):  # warm-up: the middleware stack is built on the first request
        await one(index)
    statuses.clear()
    started = time.process_time()
    for index in range(count):
        await one(index)
    return (time.process_time() - started) / count, statuses


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    parser.add_argument("--workload", choices=("put", "mix"), default="put")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the least is quoted")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sharemock-inprocess-") as scratch:
        app = create_app(Settings(db_path=f"{scratch}/state.db"))
        requests = workloads()[args.workload].requests
        runs = [asyncio.run(_run(app, requests, args.requests)) for _ in range(args.repeat)]
    cpu = min(seconds for seconds, _ in runs)
    statuses = dict(sum((s for _, s in runs), Counter()))
    print(f"{args.workload}: {cpu * 1e6:.0f} µs of CPU per request (least of {args.repeat} runs")
    print(f"  of {args.requests}), answers {statuses}")
    return 0 if set(statuses) <= {200, 201, 204} else 1


if __name__ == "__main__":
    raise SystemExit(main())
