"""Frontend controls seen from a real client socket, against `sharemock serve`.

Each fault is observed as a client sees it (a reset is ECONNRESET, an empty reply is zero
bytes, a dribble arrives in pieces over its time), the server keeps serving and logs no
error; server-wide `--latency` and `--chaos`; rules and the clock across two workers.
"""

from __future__ import annotations

import errno
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from sharemock.config import Settings
from sharemock.credentials import dev_credential
from tests.conftest import REPO
from tests.serving import Server, request, spawn, stop, wait_until_serving

# Filerobot's public view of the seed sharebox: a real 200 body, no credentials needed.
PUBLIC_PAGE = "/filerobot/demo/v4/share/sY6mkuRLxuhXh81YccsLSwE0fu"
# How long to wait for a condition the server must reach; never a sleep.
PATIENCE_S = 10.0
_JSON = {"Content-Type": "application/json"}


@dataclass
class Servers:
    plain: Server  # no server-wide settings; its output is read (access log on)
    latency: Server  # --latency 300
    chaos: Server  # --chaos rate=1,faults=reset --seed 1
    two_workers: Server  # --workers 2


class ServerLog:
    """What the plain server has written so far (its access log, and any error)."""

    def __init__(self, server: Server) -> None:
        assert server.process.stdout is not None
        self._fd = server.process.stdout.fileno()
        self.text = ""

    def read(self) -> str:
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except BlockingIOError:
                return self.text
            if not chunk:
                return self.text
            self.text += chunk.decode(errors="replace")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """Four servers, started at once (their start-ups overlap), stopped after the module."""
    started = {
        "plain": ("--log-level", "info"),
        "latency": ("--latency", "300"),
        "chaos": ("--chaos", "rate=1,faults=reset", "--seed", "1"),
        "two_workers": ("--workers", "2"),
    }
    spawned = {
        name: spawn(tmp_path_factory.mktemp(name), *extra) for name, extra in started.items()
    }
    try:
        for server in spawned.values():
            wait_until_serving(server)
        assert spawned["plain"].process.stdout is not None
        os.set_blocking(spawned["plain"].process.stdout.fileno(), False)
        yield Servers(**spawned)
    finally:
        for server in spawned.values():
            stop(server)


@pytest.fixture(scope="module")
def log(servers: Servers) -> ServerLog:
    return ServerLog(servers.plain)


def _address(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def _get(path: str, **headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: sharemock", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _pieces(base: str, raw: bytes) -> list[tuple[float, bytes]]:
    """Every piece the server sends for `raw`, with when it arrived, until it closes."""
    pieces: list[tuple[float, bytes]] = []
    with socket.create_connection(_address(base), timeout=PATIENCE_S) as connection:
        connection.sendall(raw)
        deadline = time.monotonic() + PATIENCE_S
        while time.monotonic() < deadline:
            piece = connection.recv(65536)
            if not piece:
                return pieces
            pieces.append((time.monotonic(), piece))
    pytest.fail(f"the server did not close within {PATIENCE_S} s")


def _untimed(body: bytes) -> Any:
    """A Filerobot answer without its `info` (how long the answer took)."""
    answer = json.loads(body)
    answer.pop("info")
    return answer


def _still_serving(base: str, log: ServerLog) -> None:
    """A normal request answers on a new connection, and the server logged no error."""
    probe = f"/?probe={uuid.uuid4().hex}"
    assert request(base + probe)[0] == 200
    deadline = time.monotonic() + PATIENCE_S
    while probe not in log.read():  # the access log line of the probe: all before is written
        assert time.monotonic() < deadline, f"no access log line for {probe}:\n{log.text}"
        time.sleep(0.05)
    assert "Traceback" not in log.text and "ERROR" not in log.text, log.text
    assert '" 500 ' not in log.text, log.text


# --- each fault, as a client socket sees it ---


def test_reset_is_a_tcp_reset(servers: Servers, log: ServerLog) -> None:
    with pytest.raises(ConnectionResetError) as raised:
        _pieces(servers.plain.base, _get(f"{PUBLIC_PAGE}?__fault=reset"))
    assert raised.value.errno == errno.ECONNRESET
    _still_serving(servers.plain.base, log)


def test_empty_closes_without_a_byte(servers: Servers, log: ServerLog) -> None:
    assert _pieces(servers.plain.base, _get(PUBLIC_PAGE, Prefer="fault=empty")) == []
    _still_serving(servers.plain.base, log)


def test_garbage_is_bytes_that_are_no_http_then_the_end(servers: Servers, log: ServerLog) -> None:
    received = b"".join(
        piece for _, piece in _pieces(servers.plain.base, _get(PUBLIC_PAGE, Prefer="fault=garbage"))
    )
    assert received
    assert not received.startswith(b"HTTP/")
    _still_serving(servers.plain.base, log)


def test_malformed_is_a_200_whose_chunked_body_does_not_parse(
    servers: Servers, log: ServerLog
) -> None:
    host, port = _address(servers.plain.base)
    connection = http.client.HTTPConnection(host, port, timeout=PATIENCE_S)
    try:
        connection.request("GET", PUBLIC_PAGE, headers={"Prefer": "fault=malformed"})
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Transfer-Encoding") == "chunked"
        with pytest.raises((http.client.IncompleteRead, ValueError)):
            response.read()
    finally:
        connection.close()
    _still_serving(servers.plain.base, log)


def test_dribble_trickles_the_real_answer_over_its_delay(servers: Servers, log: ServerLog) -> None:
    normal = b"".join(piece for _, piece in _pieces(servers.plain.base, _get(PUBLIC_PAGE)))
    pieces = _pieces(servers.plain.base, _get(PUBLIC_PAGE, Prefer="fault=dribble, delay=1000"))
    received = b"".join(piece for _, piece in pieces)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert b"preference-applied: delay=1000, fault=dribble" in head.lower()
    assert _untimed(body) == _untimed(normal.partition(b"\r\n\r\n")[2])
    assert len(pieces) >= 5
    assert pieces[-1][0] - pieces[0][0] >= 0.9
    _still_serving(servers.plain.base, log)


def test_dribble_trickles_an_xml_answer_too(servers: Servers) -> None:
    headers = {
        "Accept": "application/xml",
        "Authorization": f"Bearer {dev_credential('oracle', 'useraa', Settings())}",
        "Prefer": "fault=dribble, delay=1000",
    }
    link = "/oracle/documents/api/1.2/publiclinks/LFCE8A35C88A6A96FD39B621T0000000000100000001"
    pieces = _pieces(servers.plain.base, _get(link, **headers))
    assert b"".join(piece for _, piece in pieces).startswith(b"HTTP/1.1 200 ")
    assert len(pieces) >= 5


def test_delay_holds_the_answer_back(servers: Servers, log: ServerLog) -> None:
    started = time.monotonic()
    status, headers, _ = request(servers.plain.base + PUBLIC_PAGE, Prefer="delay=800")
    assert time.monotonic() - started >= 0.8
    assert (status, headers["preference-applied"]) == (200, "delay=800")
    _still_serving(servers.plain.base, log)


def test_a_rule_can_reset_the_connection(servers: Servers, log: ServerLog) -> None:
    base = servers.plain.base
    rule = json.dumps({"operation": "getPublicShare", "times": 1, "answer": {"fault": "reset"}})
    assert request(base + "/__admin/rules", "POST", rule, **_JSON)[0] == 201
    with pytest.raises(ConnectionResetError):
        _pieces(base, _get(PUBLIC_PAGE))
    assert request(base + PUBLIC_PAGE)[0] == 200  # the rule held once
    _still_serving(base, log)


# --- server-wide settings ---


def test_latency_delays_every_provider_answer(servers: Servers) -> None:
    started = time.monotonic()
    status, headers, _ = request(servers.latency.base + PUBLIC_PAGE)
    assert time.monotonic() - started >= 0.3
    assert (status, headers["preference-applied"]) == (200, "delay=300")


def test_chaos_resets_every_provider_request_but_not_ours(servers: Servers) -> None:
    base = servers.chaos.base
    for path in (PUBLIC_PAGE, "/defdrive/api/files", "/koodrive/koodrive/ose/v1/share"):
        with pytest.raises(ConnectionResetError):
            _pieces(base, _get(path))
    assert request(base + "/")[0] == 200
    assert request(base + "/__admin/rules")[0] == 200
    assert request(base + "/__admin/clock")[0] == 200


@pytest.mark.parametrize(
    ("flags", "reason"),
    [
        (("--chaos", "rate=often"), "sharemock: --chaos: rate='often' is not a number"),
        (("--chaos", "rate=0.1,faults=meteor"), "sharemock: --chaos: fault 'meteor'"),
        (("--chaos", "faults=reset"), "sharemock: --chaos: give rate="),
        (("--latency", "slow"), "sharemock: --latency: delay='slow'"),
    ],
)
def test_a_bad_server_wide_setting_stops_serve_saying_why(
    tmp_path: Any, flags: tuple[str, ...], reason: str
) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "sharemock", "serve", "--db", str(tmp_path / "s.db"), *flags],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 2
    assert finished.stderr.startswith(reason), finished.stderr
    assert "Traceback" not in finished.stderr


# --- rules and the clock across workers ---


def _fresh_connections(base: str, path: str, count: int = 10) -> list[tuple[int, bytes]]:
    """`count` requests, each on a new connection (so either worker may take it)."""
    answers = []
    for _ in range(count):
        status, _, body = request(base + path)
        answers.append((status, body))
    return answers


def test_a_rule_holds_on_every_worker_at_once(servers: Servers) -> None:
    base = servers.two_workers.base
    rule = json.dumps({"operation": "getPublicShare", "answer": {"code": 404}})
    status, _, made = request(base + "/__admin/rules", "POST", rule, **_JSON)
    assert status == 201
    try:
        assert {status for status, _ in _fresh_connections(base, PUBLIC_PAGE)} == {404}
    finally:
        request(base + f"/__admin/rules/{json.loads(made)['id']}", "DELETE")
    assert {status for status, _ in _fresh_connections(base, PUBLIC_PAGE)} == {200}


def test_a_limited_rule_is_spent_exactly_across_workers(servers: Servers) -> None:
    base = servers.two_workers.base
    rule = json.dumps({"operation": "getPublicShare", "times": 3, "answer": {"code": 404}})
    assert request(base + "/__admin/rules", "POST", rule, **_JSON)[0] == 201
    statuses = [status for status, _ in _fresh_connections(base, PUBLIC_PAGE)]
    assert statuses == [404] * 3 + [200] * 7


def test_the_clock_moves_on_every_worker_at_once(servers: Servers) -> None:
    base = servers.two_workers.base
    change = json.dumps({"set": "2024-09-01T07:00:00Z"})
    assert request(base + "/__admin/clock", "POST", change, **_JSON)[0] == 200
    try:
        # `other`'s sharebox opens 2024-09-01T08:00:00Z: every worker says not yet.
        page = "/filerobot/other/v4/share/Rm3XcV9bTq2LwP8nZs5KdY7hGf?password=press-2024"
        answers = _fresh_connections(base, page)
        assert {status for status, _ in answers} == {403}
        clocks = _fresh_connections(base, "/__admin/clock")
        assert all(json.loads(body)["now"].startswith("2024-09-01T07:00") for _, body in clocks)
    finally:
        request(base + "/__admin/clock", "POST", json.dumps({"real": True}), **_JSON)
