"""The request journal (`GET /__admin/requests`): every reason, filters, bounds, the live view."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock.app import create_app
from sharemock.config import Settings
from tests.conftest import REPO
from tests.serving import request, serve

Credential = Callable[[str, str], str]

FILEROBOT_SEED = "/filerobot/demo/v5/share/028f53bb-0148-409f-88ed-483dd8c33e6e"
ORACLE_LINK = "/oracle/documents/api/1.2/publiclinks/LFCE8A35C88A6A96FD39B621T0000000000100000001"
KOODRIVE_SHARE = "/koodrive/koodrive/ose/v1/share/1689743054514187776"

# Each provider's update with two fields of the wrong type, and the pointers refused.
TWO_BAD_FIELDS = {
    "defdrive": ("/defdrive/api/access/456", {"name": 5, "public": "yes"}, {"/name", "/public"}),
    "defdrive-deployed": (
        "/defdrive-deployed/api/accesses/456/access",
        {"name": 5, "public": "yes"},
        {"/name", "/public"},
    ),
    "filerobot": (FILEROBOT_SEED, {"title": 5, "expires_at": 7}, {"/title", "/expires_at"}),
    "oracle": (ORACLE_LINK, {"role": 5, "expirationTime": 7}, {"/role", "/expirationTime"}),
    "koodrive": (KOODRIVE_SHARE, {"validDays": "x", "comment": 5}, {"/validDays", "/comment"}),
}


def _auth(provider: str, credential: Credential) -> dict[str, str]:
    provider = provider.removesuffix("-deployed")
    if provider == "filerobot":
        return {"X-Filerobot-Key": credential("filerobot", "demo")}
    user = {"defdrive": "johndoe", "oracle": "useraa", "koodrive": "demo"}[provider]
    return {"Authorization": f"Bearer {credential(provider, user)}"}


def _entries(client: TestClient, **filters: Any) -> list[dict[str, Any]]:
    answer = client.get("/__admin/requests", params=filters)
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()["requests"]
    return entries


@pytest.mark.parametrize("provider", list(TWO_BAD_FIELDS))
def test_a_refused_body_shows_every_field_with_its_rule(
    client: TestClient, credential: Credential, provider: str
) -> None:
    path, body, pointers = TWO_BAD_FIELDS[provider]
    assert client.put(path, json=body, headers=_auth(provider, credential)).status_code == 400
    (entry,) = _entries(client)
    assert entry["provider"] == provider
    assert entry["status"] == 400
    assert entry["operation"] in ("updateAccess", "updateShare", "editPublicLink")
    refused = {reason["pointer"] for reason in entry["reasons"] if reason["in"] == "body"}
    assert pointers <= refused
    assert all(reason["rule"] and reason["message"] for reason in entry["reasons"])


def test_every_bad_parameter_is_a_reason(client: TestClient, credential: Credential) -> None:
    query = {"pageSize": "500", "sortDirection": "9", "displayName": ""}
    answer = client.get(
        "/koodrive/koodrive/ose/v1/share", params=query, headers=_auth("koodrive", credential)
    )
    assert answer.status_code == 400
    (entry,) = _entries(client)
    assert {(r["in"], r["pointer"], r["rule"]) for r in entry["reasons"]} == {
        ("query", "/pageSize", "maximum"),
        ("query", "/sortDirection", "enum"),
        ("query", "/displayName", "minLength"),
    }


def test_a_missing_member_is_pointed_at(client: TestClient, credential: Credential) -> None:
    body = {"title": "t"}  # uuid and items are required
    client.put(FILEROBOT_SEED, json=body, headers=_auth("filerobot", credential))
    (entry,) = _entries(client)
    required = {r["pointer"] for r in entry["reasons"] if r["rule"] == "required"}
    assert {"/uuid", "/items"} <= required


def test_an_auth_failure_names_the_check_that_failed(client: TestClient) -> None:
    client.put("/defdrive/api/access/456", json={"name": "x"})
    client.put(
        "/defdrive/api/access/456", json={"name": "x"}, headers={"Authorization": "Bearer x"}
    )
    bad_token, no_token = _entries(client)
    assert no_token["status"] == bad_token["status"] == 401
    assert no_token["reasons"] == [
        {"in": "auth", "rule": "authenticated", "message": "No authorization token provided"}
    ]
    assert bad_token["reasons"][0]["message"].startswith("Invalid or expired token")


def test_a_provider_rule_refusal_names_its_rule(client: TestClient, credential: Credential) -> None:
    # janedoe may not update johndoe's access 456.
    headers = {"Authorization": f"Bearer {credential('defdrive', 'janedoe')}"}
    answer = client.put("/defdrive/api/access/456", json={"name": "x"}, headers=headers)
    (entry,) = _entries(client)
    assert entry["status"] == answer.status_code
    assert entry["reasons"][0]["in"] == "rules"


def test_controls_applied_are_journaled(client: TestClient, credential: Credential) -> None:
    headers = {**_auth("defdrive", credential), "Prefer": "code=403"}
    client.put("/defdrive/api/access/456", json={"name": "x"}, headers=headers)
    (entry,) = _entries(client)
    assert entry["status"] == 403
    assert entry["applied"] == "code=403"


@pytest.mark.backends  # the journal is a table of the state's database on PostgreSQL
def test_filters(client: TestClient, credential: Credential) -> None:
    headers = {**_auth("defdrive", credential), "X-Sharemock-Session": "tab-1"}
    client.get("/defdrive/api/accesses/456", headers=headers)
    client.put("/defdrive/api/access/456", json={"name": 5}, headers=_auth("defdrive", credential))
    client.put(KOODRIVE_SHARE, json={"validDays": "x"}, headers=_auth("koodrive", credential))
    assert len(_entries(client)) == 3
    assert [e["provider"] for e in _entries(client, provider="koodrive")] == ["koodrive"]
    assert {e["path"] for e in _entries(client, status=400)} == {
        "/defdrive/api/access/456",
        KOODRIVE_SHARE,
    }
    assert [e["operation"] for e in _entries(client, operation="getAccess")] == ["getAccess"]
    assert [e["session"] for e in _entries(client, session="tab-1")] == ["tab-1"]
    assert len(_entries(client, since="2000-01-01T00:00:00Z")) == 3
    assert _entries(client, until="2000-01-01T00:00:00Z") == []
    assert len(_entries(client, limit=2)) == 2


def test_the_journal_is_bounded_and_cleared(tmp_path: Path) -> None:
    app = create_app(Settings(db_path=str(tmp_path / "state.db"), journal_size=3))
    with TestClient(app) as client:
        for number in range(5):
            client.get(f"/defdrive/api/accesses/{number}")
        entries = _entries(client)
        assert [e["path"] for e in entries] == [f"/defdrive/api/accesses/{n}" for n in (4, 3, 2)]
        assert client.delete("/__admin/requests").status_code == 204
        assert _entries(client) == []
    app.runtime.journal.close()
    app.runtime.database.close()


def test_an_in_memory_state_keeps_its_journal_in_process() -> None:
    app = create_app(Settings(db_path=":memory:"))
    with TestClient(app) as client:
        client.get("/defdrive/api/accesses/1")
        (entry,) = _entries(client)
        assert entry["status"] == 401
    app.runtime.journal.close()
    app.runtime.database.close()


def test_one_entry_in_full_with_bodies_bounded(client: TestClient, credential: Credential) -> None:
    # Over 8 KiB within DefDrive's limits (a `name` of at most 1,024 characters).
    body = json.dumps({"name": "n" * 1_000, "ips": ["10.0.0.50"] * 1_000})
    headers = {**_auth("defdrive", credential), "Content-Type": "application/json"}
    answer = client.put("/defdrive/api/access/456", content=body, headers=headers)
    (entry,) = _entries(client)
    full = client.get(f"/__admin/requests/{entry['id']}").json()
    assert full["request"]["bytes"] == len(body)
    assert full["request"]["truncated"] is True
    assert len(full["request"]["body"]) == 8 * 1024
    assert full["request"]["body"] == body[: 8 * 1024]
    # The answer echoes the long lists: kept to the bound as well.
    assert full["response"]["bytes"] == len(answer.content) > 8 * 1024
    assert full["response"]["body"] == answer.text[: 8 * 1024]
    assert full["response"]["truncated"] is True
    assert ["x-sharemock-session", "x"] not in full["request"]["headers"]
    assert client.get("/__admin/requests/999999").status_code == 404


def test_a_near_miss_says_what_differed(client: TestClient) -> None:
    assert client.get("/defdrive/api/acess/456").status_code == 404
    (entry,) = _entries(client)
    assert entry["operation"] is None
    assert entry["reasons"][0]["in"] == "route"
    misses = client.get(f"/__admin/requests/{entry['id']}").json()["nearMisses"]
    nearest = {miss["path"]: miss for miss in misses}
    assert "/defdrive/api/access/{accessID}" in nearest
    assert any("'acess'" in d for d in nearest["/defdrive/api/access/{accessID}"]["differences"])


def test_the_journal_does_not_journal_itself(client: TestClient) -> None:
    client.get("/__admin/requests")
    client.get("/__admin/requests/1")
    client.get("/__admin/state")  # the portal's state view reads it after every request
    assert _entries(client) == []
    client.post("/__admin/snapshots")  # the rest of the admin API is journaled
    assert [e["operation"] for e in _entries(client)] == ["createSnapshot"]


# On a real server ----------------------------------------------------------------------


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[str]:
    yield from serve(tmp_path, "--workers", "2")


def _listed(base: str, **filters: str) -> list[dict[str, Any]]:
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    status, _, body = request(f"{base}/__admin/requests?{query}")
    assert status == 200
    entries: list[dict[str, Any]] = json.loads(body)["requests"]
    return entries


def test_every_worker_shares_the_journal(two_workers: str) -> None:
    for number in range(20):  # each on its own connection, so both workers take some
        request(f"{two_workers}/defdrive/api/accesses/{number}")
    deadline = time.monotonic() + 5
    while len(_listed(two_workers, provider="defdrive")) < 20 and time.monotonic() < deadline:
        time.sleep(0.1)
    for _ in range(6):  # whichever worker answers the listing shows all 20
        assert len(_listed(two_workers, provider="defdrive")) == 20


def _first_event(url: str, found: list[dict[str, Any]]) -> None:
    with urllib.request.urlopen(url, timeout=10) as stream:
        for raw in stream:
            if raw.startswith(b"data: "):
                found.append(json.loads(raw[len(b"data: ") :]))
                return


def test_the_live_view_sends_new_entries_and_tail_prints_them(two_workers: str) -> None:
    found: list[dict[str, Any]] = []
    reader = threading.Thread(
        target=_first_event, args=(f"{two_workers}/__admin/requests?follow=1&status=401", found)
    )
    reader.start()
    tail = subprocess.Popen(
        [sys.executable, "-m", "sharemock", "tail", "--url", two_workers, "--count", "1"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # Until both followers have connected and seen one (each only sees what comes after).
        deadline = time.monotonic() + 15
        while (reader.is_alive() or tail.poll() is None) and time.monotonic() < deadline:
            request(f"{two_workers}/")  # a 200, which the stream's filter leaves out
            request(f"{two_workers}/defdrive/api/access/456", "PUT", '{"name": 5}')
            time.sleep(0.3)
        reader.join(timeout=10)
        out, err = tail.communicate(timeout=10)
    finally:
        if tail.poll() is None:
            tail.kill()
            tail.wait()
    assert found and found[0]["status"] == 401
    assert found[0]["reasons"][0]["message"] == "No authorization token provided"
    line = out.decode()
    assert line.count("\n") == 1, err.decode()
    if " GET / " in line:
        assert " 200 GET / - " in line
    else:
        assert "401 PUT /defdrive/api/access/456 defdrive.updateAccess" in line
        assert "auth authenticated: No authorization token provided" in line


def test_a_live_view_ends_soon_and_resumes_where_it_left_off(two_workers: str) -> None:
    request(f"{two_workers}/defdrive/api/accesses/1")
    (first,) = [e for e in _wait_listed(two_workers) if e["path"] == "/defdrive/api/accesses/1"]
    request(f"{two_workers}/defdrive/api/accesses/2")
    _wait_listed(two_workers, 2)
    started = time.monotonic()
    resumed = urllib.request.Request(
        f"{two_workers}/__admin/requests?follow=1&provider=defdrive",
        headers={"Last-Event-ID": str(first["id"])},
    )
    with urllib.request.urlopen(resumed, timeout=10) as stream:
        text = stream.read().decode()  # the whole stream: it ends by itself
    assert time.monotonic() - started < 6
    assert "retry: " in text
    # Where to resume comes first, even for a stream that carries no entry.
    assert text.splitlines()[1] == f"id: {first['id']}"
    events = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    assert [e["path"] for e in events] == ["/defdrive/api/accesses/2"]


def _wait_listed(base: str, count: int = 1) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 5
    while len(found := _listed(base, provider="defdrive")) < count:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return found


def test_a_live_view_with_a_bad_filter_is_refused(two_workers: str) -> None:
    status, _, body = request(f"{two_workers}/__admin/requests?follow=1&status=abc")
    assert status == 400
    assert "status" in json.loads(body)["detail"]
