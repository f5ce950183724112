"""The admin surface beyond loopback (`sharemock/admin_access.py`) and what the journal never
keeps in clear (`sharemock/journal/redact.py`).

This machine's rule is loopback only for any server a test binds, so a client beyond
loopback is made two ways: in-process, the ASGI scope's `client` set by the test client
(`TestClient(app, client=...)`); and over real HTTP, a `sharemock serve` on loopback with an
admin token (the guard is on) sent `X-Forwarded-For`, which uvicorn trusts from 127.0.0.1 and
makes the scope's client, as it does behind a reverse proxy on the machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock import cli
from sharemock.admin_access import IGNORED_HEADER, TOKEN_HEADER, guarded, is_loopback_host
from sharemock.app import create_app
from sharemock.config import DEFAULT_JWT_SECRET, Settings
from sharemock.credentials import dev_credential
from tests.serving import request, serve

LOOPBACK = ("127.0.0.1", 50000)
LOOPBACK6 = ("::1", 50000)
BEYOND = ("192.0.2.50", 50000)
TOKEN = "team-admin-token"
SHARE = "/koodrive/koodrive/ose/v1/share/1689743054514187776"
STATE = {"sharemock": "state/1", "providers": {"koodrive": {}}}


def _app(tmp_path: Path, **settings: Any) -> Any:
    return create_app(Settings(db_path=str(tmp_path / "state.db"), **settings))


@pytest.fixture
def exposed(tmp_path: Path) -> Iterator[Any]:
    """`serve --host 0.0.0.0` without an admin token, in-process."""
    app = _app(tmp_path, host="0.0.0.0")
    yield app
    app.runtime.database.close()


@pytest.fixture
def with_token(tmp_path: Path) -> Iterator[Any]:
    """`serve --host 0.0.0.0` with SHAREMOCK_ADMIN_TOKEN, in-process."""
    app = _app(tmp_path, host="0.0.0.0", admin_token=TOKEN)
    yield app
    app.runtime.database.close()


def _koodrive(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {dev_credential('koodrive', 'demo', settings)}"}


@pytest.mark.parametrize(
    ("host", "token", "expected"),
    [
        (None, None, False),  # an app made in-process: tests, the pytest plugin
        (None, TOKEN, False),
        ("127.0.0.1", None, False),
        ("localhost", None, False),
        ("::1", None, False),
        ("127.0.0.1", TOKEN, True),  # a reverse proxy on the machine: its clients need it
        ("0.0.0.0", None, True),
        ("::", None, True),
        ("192.0.2.2", None, True),
        ("no-such-host.invalid", None, True),
    ],
)
def test_the_guard_is_decided_at_start_up(
    host: str | None, token: str | None, expected: bool
) -> None:
    assert guarded(host, token) is expected


def test_loopback_names() -> None:
    assert is_loopback_host("127.0.0.2") and is_loopback_host("[::1]")
    assert not is_loopback_host("0.0.0.0") and not is_loopback_host("10.1.2.3")


@pytest.mark.parametrize("client", [LOOPBACK, LOOPBACK6, ("::ffff:127.0.0.1", 1)])
def test_loopback_clients_keep_the_whole_admin_surface(exposed: Any, client: Any) -> None:
    with TestClient(exposed, client=client) as http:
        assert http.get("/__admin/").status_code == 200
        kept = http.get("/__admin/state?provider=koodrive").json()
        assert http.put("/__admin/state", json=kept).status_code == 200
        answer = http.get(
            SHARE, headers={**_koodrive(exposed.runtime.settings), "Prefer": "delay=1"}
        )
        assert answer.status_code == 200
        assert answer.headers["Preference-Applied"] == "delay=1"
        assert IGNORED_HEADER not in answer.headers


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/__admin/", None),
        ("GET", "/__admin/requests", None),
        ("GET", "/__admin/requests?follow=1", None),  # the live view, answered before routing
        ("GET", "/__admin/state", None),
        ("PUT", "/__admin/state", STATE),
        ("POST", "/__admin/rules", {"operation": "getShareByMeDetail", "answer": {"code": 400}}),
        ("PUT", "/__admin/clock", {"offset": "P1D"}),
        ("POST", "/__admin/scenarios/share-cancelled", None),
        ("POST", "/__admin/reset", None),
        ("POST", "/__admin/snapshots", None),
    ],
)
def test_beyond_loopback_without_a_token_the_admin_api_is_forbidden(
    exposed: Any, method: str, path: str, body: Any
) -> None:
    with TestClient(exposed, client=BEYOND) as http:
        answer = http.request(method, path, json=body)
        assert answer.status_code == 403
        assert answer.headers["content-type"] == "application/problem+json"
        problem = answer.json()
        assert problem["status"] == 403 and "loopback clients only" in problem["detail"]
        # A token means nothing when none is configured.
        sent = http.request(method, path, json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert sent.status_code == 403
    with TestClient(exposed, client=LOOPBACK) as http:  # nothing changed
        assert http.get("/__admin/").json()["rules"] == 0
        assert http.get("/__admin/state?provider=koodrive").json()["providers"]["koodrive"]


def test_the_admin_contract_and_its_docs_stay_readable(exposed: Any) -> None:
    with TestClient(exposed, client=BEYOND) as http:
        for path in ("/__admin/openapi.json", "/__admin/openapi.yaml", "/__admin/ui/"):
            assert http.get(path).status_code == 200, path


def test_beyond_loopback_the_providers_are_served(exposed: Any) -> None:
    with TestClient(exposed, client=BEYOND) as http:
        answer = http.get(SHARE, headers=_koodrive(exposed.runtime.settings))
        assert answer.status_code == 200 and IGNORED_HEADER not in answer.headers
        assert http.get("/").status_code == 200


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("?__code=400", {}),
        ("?__delay=1", {}),
        ("?%5F%5Fcode=400", {}),  # the name as the controls read it, decoded
        ("", {"Prefer": "code=400"}),
        ("", {"Prefer": "state=share-cancelled"}),
    ],
)
def test_beyond_loopback_controls_are_ignored_and_said_so(
    exposed: Any, query: str, headers: dict[str, str]
) -> None:
    with TestClient(exposed, client=BEYOND) as http:
        sent = {**_koodrive(exposed.runtime.settings), **headers}
        answer = http.get(SHARE + query, headers=sent)
        assert answer.status_code == 200, answer.text  # the real answer, as a provider gives it
        assert "Preference-Applied" not in answer.headers
        assert answer.headers[IGNORED_HEADER].startswith("ignored")
        # Another parameter is kept as sent: a provider's own parameter still reaches it.
        assert http.get(SHARE + (query or "?") + "&x=1", headers=sent).status_code == 400


def test_with_a_token_the_admin_api_wants_it_as_a_bearer_token(with_token: Any) -> None:
    with TestClient(with_token, client=BEYOND) as http:
        for sent in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            answer = http.get("/__admin/", headers=sent)
            assert answer.status_code == 401, sent
            assert answer.headers["WWW-Authenticate"].startswith("Bearer")
            assert answer.json()["title"] == "Unauthorized"
        assert (
            http.get("/__admin/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        )
        assert (
            http.get("/__admin/", headers={"authorization": f"bearer  {TOKEN}"}).status_code == 200
        )
        assert http.get("/__admin/", headers={TOKEN_HEADER: TOKEN}).status_code == 200
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        put = http.put("/__admin/state", json=STATE, headers=bearer)
        assert put.status_code == 200
    with TestClient(with_token, client=LOOPBACK) as http:  # loopback needs no token
        assert http.get("/__admin/").status_code == 200


def test_with_a_token_controls_beyond_loopback_want_it_in_their_own_header(
    with_token: Any,
) -> None:
    provider = _koodrive(with_token.runtime.settings)  # the provider's own Authorization
    with TestClient(with_token, client=BEYOND) as http:
        ignored = http.get(SHARE, headers={**provider, "Prefer": "code=400"})
        assert ignored.status_code == 200 and IGNORED_HEADER in ignored.headers
        wrong = http.get(SHARE, headers={**provider, "Prefer": "code=400", TOKEN_HEADER: "no"})
        assert wrong.status_code == 200 and IGNORED_HEADER in wrong.headers
        applied = http.get(SHARE, headers={**provider, "Prefer": "code=400", TOKEN_HEADER: TOKEN})
        assert applied.status_code == 400
        assert applied.headers["Preference-Applied"] == "code=400"
        assert IGNORED_HEADER not in applied.headers


def test_a_rule_set_by_an_allowed_client_holds_for_everyone(with_token: Any) -> None:
    rule = {"operation": "getShareByMeDetail", "answer": {"code": 400}}
    with TestClient(with_token, client=LOOPBACK) as http:
        assert http.post("/__admin/rules", json=rule).status_code == 201
    with TestClient(with_token, client=BEYOND) as http:
        answer = http.get(SHARE, headers=_koodrive(with_token.runtime.settings))
        assert answer.status_code == 400 and "X-Sharemock-Rule" in answer.headers


# Start-up: what `sharemock serve` says (uvicorn.run replaced: nothing is bound) ------------


def _start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, host: str, **env: str) -> None:
    import uvicorn

    for name in ("SHAREMOCK_ADMIN_TOKEN", "SHAREMOCK_JWT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in (
        "SHAREMOCK_DB",
        "SHAREMOCK_DATABASE_URL",
        "SHAREMOCK_RESET",
        "SHAREMOCK_SPEC_DIR",
        "SHAREMOCK_ACCESS_LOG",
        "SHAREMOCK_LATENCY",
        "SHAREMOCK_CHAOS",
        "SHAREMOCK_SEED",
        "SHAREMOCK_SCENARIOS",
        "SHAREMOCK_JOURNAL_SIZE",
        "SHAREMOCK_HOST",
        "SHAREMOCK_VALIDATE_RESPONSES",
    ):
        monkeypatch.setenv(name, "")  # restored after the test (serve sets them for workers)
    ran: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.append(options))
    db = str(tmp_path / "state.db")
    assert cli.main(["serve", "--host", host, "--db", db, "--workers", "1"]) == 0
    assert ran and ran[0]["host"] == host


def test_start_up_beyond_loopback_says_the_admin_surface_is_closed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _start(monkeypatch, tmp_path, "0.0.0.0")
    said = capsys.readouterr()
    lines = said.out.splitlines()
    assert lines[0].startswith("sharemock ") and "http://0.0.0.0:" in lines[0]
    assert "beyond loopback" in lines[1] and "only loopback clients" in lines[1]
    assert "SHAREMOCK_ADMIN_TOKEN" in lines[1]
    assert "development JWT secret" in said.err and "SHAREMOCK_JWT_SECRET" in said.err


def test_start_up_with_a_token_and_a_secret_says_who_may_and_does_not_warn(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _start(
        monkeypatch,
        tmp_path,
        "192.0.2.2",
        SHAREMOCK_ADMIN_TOKEN=TOKEN,
        SHAREMOCK_JWT_SECRET="a-team-secret",
    )
    said = capsys.readouterr()
    assert "clients sending the admin token" in said.out and TOKEN not in said.out
    assert "warning" not in said.err and TOKEN not in said.err


def test_start_up_on_loopback_says_nothing_more(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _start(monkeypatch, tmp_path, "127.0.0.1")
    said = capsys.readouterr()
    assert len(said.out.splitlines()) == 1 and "warning" not in said.err


def test_the_settings_never_print_their_secrets() -> None:
    shown = repr(Settings(jwt_secret="s3cret-jwt", admin_token="s3cret-admin"))
    assert "s3cret" not in shown


# A real server ----------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    yield from serve(tmp_path, env={"SHAREMOCK_ADMIN_TOKEN": TOKEN})


def test_a_real_server_refuses_a_client_beyond_loopback_without_the_token(served: str) -> None:
    beyond = {"X-Forwarded-For": "192.0.2.50"}
    status, headers, body = request(served + "/__admin/", **beyond)
    assert status == 401 and json.loads(body)["title"] == "Unauthorized"
    assert {k.lower(): v for k, v in headers.items()}["www-authenticate"].startswith("Bearer")
    status, _, _ = request(served + "/__admin/", Authorization=f"Bearer {TOKEN}", **beyond)
    assert status == 200
    status, _, _ = request(served + "/__admin/")  # loopback itself
    assert status == 200
    auth = f"Bearer {dev_credential('koodrive', 'demo', Settings())}"
    status, headers, _ = request(served + SHARE + "?__code=400", Authorization=auth, **beyond)
    assert status == 200 and IGNORED_HEADER.lower() in {k.lower() for k in headers}
    status, headers, _ = request(
        served + SHARE + "?__code=400", Authorization=auth, **beyond, **{TOKEN_HEADER: TOKEN}
    )
    assert status == 400 and _applied(headers) == "code=400"
    status, headers, _ = request(served + SHARE + "?__code=400", Authorization=auth)
    assert status == 400 and _applied(headers) == "code=400"


def _applied(headers: dict[str, str]) -> str | None:
    return {k.lower(): v for k, v in headers.items()}.get("preference-applied")


# The journal -------------------------------------------------------------------------------


def _last(http: TestClient) -> dict[str, Any]:
    listed = http.get("/__admin/requests?limit=1").json()["requests"]
    entry: dict[str, Any] = http.get(f"/__admin/requests/{listed[0]['id']}").json()
    return entry


def test_the_journal_keeps_no_credential_in_clear(client: TestClient) -> None:
    login = client.post(
        "/defdrive/api/login",
        json={"username": "johndoe", "password": "password123"},
        headers={"Cookie": "sharemock-session=s1; other=c0ffee"},
    )
    assert login.status_code == 200
    token = login.json()["token"]
    entry = _last(client)
    shown = json.dumps(entry)
    assert "password123" not in shown and token not in shown
    assert json.loads(entry["request"]["body"]) == {"username": "johndoe", "password": "[redacted]"}
    assert "[redacted]" in entry["response"]["body"]
    assert dict(entry["request"]["headers"])["cookie"] == (
        "sharemock-session=[redacted]; other=[redacted]"
    )
    assert entry["session"] == "s1"  # read before redaction
    assert entry["request"]["truncated"] is False

    client.get("/defdrive/api/access/456", headers={"Authorization": f"Bearer {token}"})
    entry = _last(client)
    assert dict(entry["request"]["headers"])["authorization"] == "Bearer [redacted]"
    assert token not in json.dumps(entry)

    key = {"X-Filerobot-Key": "demo-key", TOKEN_HEADER: TOKEN}
    client.get(
        "/filerobot/demo/v4/share/sY6mkuRLxuhXh81YccsLSwE0fu?password=open-sesame", headers=key
    )
    entry = _last(client)
    shown = json.dumps(entry)
    assert "demo-key" not in shown and "open-sesame" not in shown and TOKEN not in shown
    assert entry["path"].endswith("?password=[redacted]")


def test_a_long_body_is_cut_then_redacted(client: TestClient) -> None:
    padding = "x" * 8200
    body = '{"username":"' + padding + '","password":"password123"}'
    client.post("/defdrive/api/login", content=body, headers={"Content-Type": "application/json"})
    entry = _last(client)
    assert entry["request"]["truncated"] is True and entry["request"]["bytes"] == len(body)
    assert "password123" not in json.dumps(entry)
    cut = '{"username":"johndoe","password":"' + "p" * 9000 + '"}'
    client.post("/defdrive/api/login", content=cut, headers={"Content-Type": "application/json"})
    entry = _last(client)
    assert entry["request"]["body"].endswith('"password":"[redacted]"')


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (b'{"link":{"Password" : "pa\\"ss"}}', b'{"link":{"Password" : "[redacted]"}}'),
        (b'{"extractCode":1234,"password":null}', b'{"extractCode":"[redacted]","password":null}'),
        (b"username=a&password=secret&x=1", b"username=a&password=[redacted]&x=1"),
        (b"<link><password>abc</password></link>", b"<link><password>[redacted]</password></link>"),
        (b'{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.c2ln"}', b'{"token":"[redacted]"}'),
        (b'{"token":"aF3kMs9qZ1"}', b'{"token":"aF3kMs9qZ1"}'),  # Filerobot's project token
        # A key with escaped letters is the same key to every decoder, and to the journal.
        (b'{"p\\u0061ssword":"s3cret"}', b'{"password":"[redacted]"}'),
        (b'{"EXTRACT\\u0043ODE":"MDg2"}', b'{"EXTRACTCODE":"[redacted]"}'),
        # An escaped backslash before `u0070` is text, not an escape: kept as sent.
        (b'{"x":"\\\\u0070assword"}', b'{"x":"\\\\u0070assword"}'),
        (b'{"name":"caf\\u00e9"}', b'{"name":"caf\\u00e9"}'),
    ],
)
def test_redacted_fields(sent: bytes, kept: bytes) -> None:
    from sharemock.journal import redact

    assert redact.body(sent) == kept


def test_the_development_secret_is_the_published_one() -> None:
    assert "not-for-production" in DEFAULT_JWT_SECRET
