"""`sharemock serve` as a real server on loopback, and plain HTTP requests to it, for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
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


def serve(tmp_path: Path, *extra: str) -> Iterator[str]:
    """`sharemock serve` in a subprocess on a free loopback port, on a database in
    `tmp_path`; yields its base URL and stops it (by its PID) afterwards."""
    port = free_port()
    env = {**os.environ, "SHAREMOCK_JWT_SECRET": DEFAULT_JWT_SECRET}
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
            *extra,
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if request(base + "/")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"server did not start:\n{output}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
