"""One access line per answered request, as uvicorn's, written once the loop turn ends."""

from __future__ import annotations

import asyncio
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from sharemock.access_log import AccessLog
from sharemock.cli import MAX_DEFAULT_WORKERS, default_workers
from sharemock.config import Settings
from tests.serving import REPO, free_port, request


async def _answer(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
    await send({"type": "http.response.start", "status": 404, "headers": []})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"{}"})  # type: ignore[operator]


def _scope(path: str, query: bytes = b"") -> dict:  # type: ignore[type-arg]
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "http_version": "1.1",
        "client": ("127.0.0.1", 5000),
    }


def test_lines_are_written_when_the_loop_turn_ends() -> None:
    stream = io.StringIO()
    log = AccessLog(_answer, stream)

    async def two_requests() -> str:
        async def receive() -> dict:  # type: ignore[type-arg]
            return {"type": "http.request", "body": b""}

        async def send(message: object) -> None:
            return None

        await log(_scope("/a"), receive, send)
        await log(_scope("/b", b"x=1"), receive, send)
        before = stream.getvalue()
        await asyncio.sleep(0)
        return before

    before = asyncio.run(two_requests())
    assert before == ""  # batched, not one write per request
    assert stream.getvalue().splitlines() == [
        'INFO:     127.0.0.1:5000 - "GET /a HTTP/1.1" 404 Not Found',
        'INFO:     127.0.0.1:5000 - "GET /b?x=1 HTTP/1.1" 404 Not Found',
    ]


def test_default_workers_is_one_per_core_and_one_for_memory() -> None:
    cores = len(os.sched_getaffinity(0))
    assert default_workers(Settings(db_path="x.db")) == min(cores, MAX_DEFAULT_WORKERS)
    assert default_workers(Settings(db_path=":memory:")) == 1


def _serve(tmp_path: Path, *extra: str) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sharemock", "serve", "--port", str(port),
         "--db", str(tmp_path / "state.db"), "--workers", "1", *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if request(base + "/")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    return base, process


def _output(process: subprocess.Popen[bytes]) -> str:
    process.terminate()
    out, _ = process.communicate(timeout=30)
    return out.decode()


def test_serve_logs_each_request_unless_told_not_to(tmp_path: Path) -> None:
    base, process = _serve(tmp_path / "on")
    try:
        assert request(base + "/defdrive/api/nothing")[0] == 404
    finally:
        output = _output(process)
    assert re.search(r'INFO: +127\.0\.0\.1:\d+ - "GET /defdrive/api/nothing HTTP/1\.1" 404', output)
    assert "(1 worker, state:" in output

    base, process = _serve(tmp_path / "off", "--no-access-log")
    try:
        assert request(base + "/defdrive/api/nothing")[0] == 404
    finally:
        output = _output(process)
    assert "/defdrive/api/nothing" not in output
