"""Several replicas on one PostgreSQL database: two `sharemock serve` processes, one state.

Both replicas start at once against an empty schema (one installs and seeds, the other waits
for it); a write through either is read through the other at once, and a one-time link opened
through both at the same moment gives its file exactly once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sharemock.config import ENV_DATABASE_URL, Settings
from sharemock.credentials import dev_credential
from tests.defdrive.test_seed_replay import SEED_000_BODY
from tests.serving import request, spawn, stop, wait_until_serving

JOHN = {
    "Authorization": f"Bearer {dev_credential('defdrive', 'johndoe', Settings())}",
    "Content-Type": "application/json",
}


@pytest.fixture
def replicas(tmp_path: Path, postgres_url: str) -> Iterator[tuple[str, str]]:
    """Two replicas on one fresh, empty schema, started at the same moment."""
    env = {ENV_DATABASE_URL: postgres_url}
    servers = [spawn(tmp_path / name, env=env) for name in ("a", "b")]
    try:
        for server in servers:
            wait_until_serving(server)
        yield servers[0].base, servers[1].base
    finally:
        for server in servers:
            stop(server)


def _json(base: str, path: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    sent = body if body is None or isinstance(body, str) else json.dumps(body)
    status, _, content = request(base + path, method, sent, **JOHN)
    return status, json.loads(content)


def test_both_replicas_start_on_one_seeded_state(replicas: tuple[str, str]) -> None:
    for base in replicas:
        status, body = _json(base, "/defdrive/api/files")
        assert status == 200
        assert [file["id"] for file in body["files"]] == [42]


def test_a_write_through_one_replica_is_read_through_the_other(
    replicas: tuple[str, str],
) -> None:
    a, b = replicas
    status, written = _json(a, "/defdrive/api/access/456", "PUT", SEED_000_BODY)
    assert status == 200, written
    status, read = _json(b, "/defdrive/api/accesses/456")
    assert (status, read["access"]) == (200, written["access"])


def test_interleaved_writes_are_seen_in_order_through_both(replicas: tuple[str, str]) -> None:
    created: list[int] = []
    for turn in range(8):
        writer, reader = replicas[turn % 2], replicas[(turn + 1) % 2]
        status, body = _json(
            writer, "/defdrive/api/files/42/accesses", "POST", {"name": f"n{turn}"}
        )
        assert status == 200, body
        created.append(body["access"]["id"])
        status, listed = _json(reader, "/defdrive/api/files/42/accesses")
        assert status == 200
        assert [access["id"] for access in listed["accesses"]] == [456, *created]
    assert created == sorted(created) and len(set(created)) == len(created)


def test_a_one_time_link_opened_through_both_replicas_at_once_gives_its_file_once(
    replicas: tuple[str, str],
) -> None:
    a, b = replicas
    assert _json(a, "/defdrive/api/files/42/access", "PUT", {"public": True})[0] == 200
    status, body = _json(
        b, "/defdrive/api/files/42/accesses", "POST", {"public": True, "oneTimeUse": True}
    )
    assert status == 200, body
    link = body["access"]["link"]

    attempts = 8  # four through each replica
    start = threading.Barrier(attempts)
    answers: list[tuple[int, bytes]] = []
    lock = threading.Lock()

    def download(base: str) -> None:
        start.wait(timeout=10)
        status, _, content = request(f"{base}/defdrive/link/{link}")
        with lock:
            answers.append((status, content))

    threads = [threading.Thread(target=download, args=(replicas[n % 2],)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [403] * (attempts - 1), answers
    refusals = [json.loads(content) for status, content in answers if status == 403]
    assert all(r == {"error": "Access link has already been used"} for r in refusals)


def test_rules_and_the_clock_made_through_one_replica_hold_through_the_other(
    replicas: tuple[str, str],
) -> None:
    a, b = replicas
    rule = {"provider": "defdrive", "operation": "getAccess", "times": 2, "answer": {"code": 404}}
    status, made = _json(a, "/__admin/rules", "POST", rule)
    assert status == 201, made
    for base in (b, a):  # the rule's two uses, one through each replica
        status, body = _json(base, "/defdrive/api/accesses/456")
        assert (status, body) == (404, {"error": "Access record not found"})
    status, body = _json(b, "/defdrive/api/accesses/456")
    assert status == 200, body  # spent
    assert _json(a, "/__admin/rules") == (200, {"rules": []})

    status, moved = _json(b, "/__admin/clock", "POST", {"advance": "P10D"})
    assert status == 200 and moved["offsetSeconds"] == 10 * 86400, moved
    status, seen = _json(a, "/__admin/clock")
    assert seen["offsetSeconds"] == 10 * 86400
    assert _json(a, "/__admin/clock", "POST", {"real": True})[0] == 200
