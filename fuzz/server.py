"""`sharemock serve` on a free loopback port with a fresh database, stopped by its PID.

Shared by `make fuzz` and `make soak`: the mock is started as `make serve` starts it (the
project's `.venv/bin/sharemock`, or the current interpreter's), in its own process group so
that stopping it reaches uvicorn's workers too.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.servers import stop_group

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A port nothing listens on, on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A started mock: its process, base URL, database file and log."""

    process: subprocess.Popen[bytes]
    base: str
    db: Path
    log: Path
    startup_s: float = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid


def serve_command(port: int, db: Path, extra: Sequence[str] = ()) -> list[str]:
    """`sharemock serve` on loopback, `port`, database `db`, then `extra` flags."""
    sharemock = BIN / "sharemock"
    head = [str(sharemock)] if sharemock.exists() else [sys.executable, "-m", "sharemock"]
    serve = [*head, "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(db)]
    return [*serve, *extra]


def start(scratch: Path, extra: Sequence[str] = (), deadline_s: float = 90) -> Served:
    """Start the mock with its files in `scratch`; return once `GET /__admin/` answers 200
    (the admin API is never delayed or broken by `--chaos`). Fails with the log otherwise."""
    scratch.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = scratch / "serve.log"
    db = scratch / "state.db"
    with log.open("wb") as output:
        process = subprocess.Popen(
            serve_command(port, db, extra),
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() reaches the workers
        )
    served = Served(process, f"http://127.0.0.1:{port}", db, log)
    began = time.monotonic()
    while True:
        if process.poll() is not None or time.monotonic() - began > deadline_s:
            stop(served)
            raise RuntimeError(f"sharemock serve did not start:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(served.base + "/__admin/", timeout=5) as answer:
                if answer.status == 200:
                    break
        except (OSError, urllib.error.URLError):
            time.sleep(0.05)
    served.startup_s = time.monotonic() - began
    return served


def stop(served: Served) -> None:
    """Stop the mock's process group (by the PID it was given): TERM, then KILL."""
    stop_group(served.process, grace_s=20)


def admin_reset(base: str) -> None:
    """`POST /__admin/reset`: every provider's fixtures, no rules, the real clock."""
    reset = urllib.request.Request(base + "/__admin/reset", method="POST", data=b"")
    with urllib.request.urlopen(reset, timeout=30) as answer:
        answer.read()
