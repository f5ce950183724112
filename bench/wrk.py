"""Driving a server with wrk: the request set as a Lua data file for `lua/replay.lua`, one
timed run, and the figures that script prints."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.workload import Request

REPLAY = Path(__file__).resolve().parent / "lua" / "replay.lua"


def lua_string(text: str) -> str:
    """`text` as a Lua string literal: printable ASCII as is, every other byte escaped."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        out.append(char if 32 <= byte < 127 and char not in '"\\' else f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def lua_requests(requests: tuple[Request, ...]) -> str:
    """A Lua chunk returning `requests` as the tables `replay.lua` formats."""
    rows = []
    for r in requests:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in r.headers.items())
        body = "nil" if r.body is None else lua_string(r.body)
        rows.append(
            f"  {{method = {lua_string(r.method)}, path = {lua_string(r.path)}, "
            f"headers = {{{headers}}}, body = {body}}},"
        )
    return "return {\n" + "\n".join(rows) + "\n}\n"


@dataclass
class Run:
    """One wrk run's figures."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    responses: int
    non2xx: int
    socket_errors: int
    first_bad: str = ""
    peak_rss_bytes: int = 0
    peak_process_rss_bytes: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse(output: str) -> Run:
    """The figures of `replay.lua`'s `BENCH name value` lines in wrk's output."""
    figures: dict[str, str] = {}
    for line in output.splitlines():
        if line.startswith("BENCH "):
            _, name, *value = line.split(" ", 2)
            figures[name] = value[0] if value else ""
    try:
        return Run(
            requests_per_s=int(figures["requests"]) / (int(figures["duration_us"]) / 1e6),
            p50_ms=int(figures["p50_us"]) / 1000,
            p99_ms=int(figures["p99_us"]) / 1000,
            responses=int(figures["responses"]),
            non2xx=int(figures["non2xx"]),
            socket_errors=int(figures["socket_errors"]),
            first_bad=figures.get("first_bad", ""),
        )
    except (KeyError, ValueError, ZeroDivisionError) as error:
        raise RuntimeError(f"wrk printed no figures ({error!r}):\n{output}") from error


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed (make bench installs Debian's wrk)")
    return found


def run(
    base: str,
    requests_file: Path,
    seconds: float,
    threads: int = 2,
    connections: int = 32,
) -> Run:
    """wrk against `base` for `seconds`, replaying the requests of `requests_file`."""
    argv = [wrk_binary(), f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    argv += ["--timeout", "10s", "-s", str(REPLAY), base, "--", str(requests_file)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return parse(done.stdout)
