"""`sharemock serve` as a real server on loopback, and plain HTTP requests to it, for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sharemock.config import DEFAULT_JWT_SECRET
from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(url: str, method: str = "GET", body: str | None = None, **headers: str) -> Any:
    """(status, headers, body bytes) of one request; HTTP errors are answers too."""
    data = body.encode() if body is not None else None
    outgoing = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(outgoing, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def serve(tmp_path: Path, *extra: str, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`sharemock serve` in a subprocess on a free loopback port, on a database in
    `tmp_path` (or the one `env` names); yields its base URL and stops it (by its PID)
    afterwards."""
    server = spawn(tmp_path, *extra, env=env)
    try:
        wait_until_serving(server)
        yield server.base
    finally:
        stop(server)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str


def spawn(tmp_path: Path, *extra: str, env: Mapping[str, str] | None = None) -> Server:
    """Start `sharemock serve` without waiting for it (see `serve`)."""
    port = free_port()
    environment = {**os.environ, "SHAREMOCK_JWT_SECRET": DEFAULT_JWT_SECRET, **(env or {})}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sharemock",
            "serve",
            "--port",
            str(port),
            "--db",
            str(tmp_path / "state.db"),
            "--log-level",
            "warning",
            "--workers",  # one process unless `extra` says otherwise (the later flag wins)
            "1",
            *extra,
        ],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return Server(process, f"http://127.0.0.1:{port}")


def wait_until_serving(server: Server, timeout_s: float = 30, path: str = "/") -> None:
    """Wait until the server answers `path` (its index page); fail with its output if not."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if request(server.base + path)[0] == 200:
                return
        except OSError:
            pass
        if server.process.poll() is not None or time.monotonic() > deadline:
            _end(server.process)
            output = server.process.stdout.read().decode() if server.process.stdout else ""
            stop(server)
            pytest.fail(f"server did not start:\n{output}")
        time.sleep(0.1)


def stop(server: Server) -> None:
    """Stop the server by its PID."""
    _end(server.process)
    if server.process.stdout is not None:
        server.process.stdout.close()


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)
