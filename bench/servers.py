"""The servers under test, each started on its own free loopback port and stopped by its PID,
and the peak resident memory of a server's process tree while it is under load."""

from __future__ import annotations

import atexit
import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.prism_spec import joined_document
from bench.workload import Request, Workload
from tests.serving import free_port

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRISM = REPO / "bench" / "node_modules" / ".bin" / "prism"
SERVERS = ("mock", "mock-1w", "prism", "ceiling")
# Run only when asked for (BENCH_SERVERS=mock,mock-pg): the mock on PostgreSQL.
# And stock Connexion with nothing of sharemock's, on as many workers (bench/floor.py).
EXTRA_SERVERS = ("mock-pg", "floor", "floor-async")
ENV_DATABASE_URL = "BENCH_DATABASE_URL"


@dataclass
class Running:
    """A started server: its process, its base URL and how long it took to answer."""

    name: str
    process: subprocess.Popen[bytes]
    base: str
    log: Path
    startup_s: float = 0.0


def command(name: str, port: int, workload: Workload, scratch: Path) -> list[str]:
    """How `name` is started on `port` for `workload`, with its files in `scratch`."""
    if name in ("mock", "mock-1w", "mock-pg"):
        # Exactly `make serve`'s command (one worker per core), on a fresh database.
        serve = [str(BIN / "sharemock"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        serve += ["--db", str(scratch / "state.db")]
        if name == "mock-pg":
            serve += ["--database-url", fresh_postgres_schema()]
        return serve + (["--workers", "1"] if name == "mock-1w" else [])
    if name == "prism":
        document = scratch / "prism.json"
        document.write_text(json.dumps(joined_document(REPO / "openapi", workload.providers)))
        return [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(document)]
    if name in ("floor", "floor-async"):
        uvicorn = [str(BIN / "python"), "-m", "uvicorn", "bench.floor:create_floor", "--factory"]
        workers = str(len(os.sched_getaffinity(0)))  # as many as the mock's default
        return [
            *("env", f"BENCH_FLOOR_APP={'async' if name == 'floor-async' else 'flask'}"),
            f"BENCH_FLOOR_PROVIDERS={','.join(workload.providers)}",
            *uvicorn,
            *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
            *("--no-access-log", "--workers", workers),
        ]
    if name == "ceiling":
        # No access log: the ceiling is the best this machine does.
        uvicorn = [str(BIN / "python"), "-m", "uvicorn", "bench.ceiling:app"]
        return [*uvicorn, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    raise ValueError(f"unknown server {name!r} (known: {', '.join((*SERVERS, *EXTRA_SERVERS))})")


def fresh_postgres_schema() -> str:
    """The URL of a new, empty schema for one start of `mock-pg`: on $BENCH_DATABASE_URL, else
    on a throwaway cluster (tests/postgres.py) started on first use. Schemas and cluster go
    when the bench exits."""
    import psycopg

    from tests import postgres

    server = os.environ.get(ENV_DATABASE_URL) or _throwaway_cluster()
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    atexit.register(_drop_schema, server, schema)
    return postgres.with_schema(server, schema)


@functools.cache
def _throwaway_cluster() -> str:
    from tests import postgres

    cluster = postgres.start_cluster(Path(tempfile.mkdtemp(prefix="sharemock-bench-pg-")))
    atexit.register(postgres.stop_cluster, cluster)
    return cluster.url


def _drop_schema(server: str, schema: str) -> None:
    import psycopg

    try:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    except psycopg.Error:
        pass  # the throwaway cluster is already gone


def send(base: str, request: Request, timeout: float = 10) -> tuple[int, bytes]:
    """(status, body) of one request; HTTP errors are answers too."""
    data = request.body.encode() if request.body is not None else None
    outgoing = urllib.request.Request(
        base + request.path, data=data, method=request.method, headers=request.headers
    )
    try:
        with urllib.request.urlopen(outgoing, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def start(name: str, workload: Workload, scratch: Path, deadline_s: float = 60) -> Running:
    """Start `name` and wait until every request of `workload` has been answered 2xx once;
    `startup_s` is the time from the spawn to that point. Fails, with the server's log and the
    first wrong answer, if that does not happen within `deadline_s`."""
    port = free_port()
    log = scratch / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command(name, port, workload, scratch),
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches its workers
        )
    began = time.monotonic()
    server = Running(name, process, f"http://127.0.0.1:{port}", log)
    pending = list(workload.requests)
    last = "no answer"
    while pending:
        if process.poll() is not None or time.monotonic() - began > deadline_s:
            stop(server)
            raise RuntimeError(f"{name} did not serve {pending[0].path}: {last}\n{log.read_text()}")
        try:
            status, body = send(server.base, pending[0], timeout=5)
        except OSError as error:
            last = str(error)
            time.sleep(0.02)
            continue
        if not 200 <= status < 300:
            stop(server)
            raise RuntimeError(
                f"{name}: {pending[0].method} {pending[0].path} -> {status} {body!r}"
            )
        pending.pop(0)
    server.startup_s = time.monotonic() - began
    return server


def stop(server: Running) -> None:
    """Stop the server's process group (uvicorn's workers too), by the PID it was given."""
    stop_group(server.process, grace_s=15)


def stop_group(process: subprocess.Popen[bytes], grace_s: float) -> None:
    """TERM a process group started with its own session (by its leader's PID), then KILL
    it if it is still there after `grace_s`."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def tree_rss(root: int) -> tuple[int, int]:
    """Resident bytes of process `root` and all its descendants (from /proc): (the sum, the
    largest single process's)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    sizes = [0]
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) * 1024)
        except OSError:
            continue
    return sum(sizes), max(sizes)


class PeakRss:
    """Samples a process tree's RSS in a background thread until stopped: `peak` is the most
    of the whole tree, `peak_process` the most of any one process (a worker, say)."""

    def __init__(self, root: int, interval_s: float = 0.25) -> None:
        self.root, self.interval_s, self.peak, self.peak_process = root, interval_s, 0, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            total, largest = tree_rss(self.root)
            self.peak, self.peak_process = max(self.peak, total), max(self.peak_process, largest)
            if self._done.wait(self.interval_s):
                return

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def known(names: Sequence[str]) -> list[str]:
    """`names`, checked against SERVERS and EXTRA_SERVERS."""
    every = (*SERVERS, *EXTRA_SERVERS)
    unknown = [n for n in names if n not in every]
    if unknown:
        raise ValueError(f"unknown server(s) {', '.join(unknown)} (known: {', '.join(every)})")
    return list(names)
