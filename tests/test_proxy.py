"""The validation proxy (`sharemock proxy`): it finds real faults, and passes good answers.

A deliberately non-conforming DefDrive, written here, answers with wrong field types, an
undocumented status, a 500 to a bad body and a 200 without credentials; the proxy in front of
it must flag each by its check, pass every answer through unaltered, and with `errors` refuse
or replace them. In front of the real mock (`sharemock serve`), the seed requests pass with no
violation and a 2 MiB body streams both ways, unchecked past the proxy's bound.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import Headers as StarletteHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from sharemock.config import Settings
from sharemock.credentials import dev_credential
from sharemock.proxy import BODY_BOUND, VIOLATIONS_PATH, proxy_app
from tests.conftest import REPO
from tests.serving import Server, free_port, serve, stop, wait_until_serving
from tests.serving import request as raw_request

TOKEN = dev_credential("defdrive", "johndoe", Settings())
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Content-Type": "application/json"}
HASH = "0c2a8e5b9f6d4e1a8b7c3d2e1f0a9b8c"


def request(url: str, method: str = "GET", body: str | None = None, **headers: str) -> Any:
    """(status, headers, body) as `tests.serving.request` gives them, headers looked up
    regardless of case (uvicorn sends them in lower case)."""
    status, answered, raw = raw_request(url, method, body, **headers)
    return status, StarletteHeaders(headers=answered), raw


@contextmanager
def running(app: ASGIApp) -> Iterator[str]:
    """`app` under uvicorn in a thread on a free loopback port; its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


# -- a DefDrive that breaks its contract -------------------------------------------------

ACCESS = {
    "id": 456,
    "fileID": 42,
    "name": "Team Access",
    "link": HASH,
    "subnets": [],
    "ips": [],
    "expires": "",
    "public": True,
    "oneTimeUse": False,
    "ttl": 0,
    "enableTTL": False,
}


class Faulty:
    """The non-conforming server, counting what reaches it."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.app = Starlette(
            routes=[
                Route("/api/files", self.list_files),
                Route("/api/files/{file_id}/access", self.toggle, methods=["PUT"]),
                Route("/api/accesses/{access_id}", self.access, methods=["GET", "DELETE"]),
                Route("/api/login", self.login, methods=["POST"]),
            ]
        )

    async def list_files(self, request: Request) -> Response:
        self.seen.append("listFiles")
        # Wrong field types: an id as a string, a size as a number string, public as 0/1.
        file = {
            "id": "42",
            "name": "document.pdf",
            "location": "johndoe/document.pdf",
            "user_id": 15,
            "size": "2048576",
            "public": 0,
            "created_at": "2026-03-04T10:30:00Z",
            "updated_at": "2026-03-04T10:30:00Z",
        }
        return JSONResponse({"files": [file]}, headers={"X-Upstream": "faulty"})

    async def toggle(self, request: Request) -> Response:
        self.seen.append("togglePublicAccess")
        body = await request.json()
        if not isinstance(body.get("public"), bool):  # a bad body crashes it
            return JSONResponse({"error": "panic: interface conversion"}, status_code=500)
        return JSONResponse({"message": "ok", "file": {"id": 42}}, status_code=200)

    async def access(self, request: Request) -> Response:
        self.seen.append(request.method)
        if request.method == "DELETE":  # an undocumented status
            return JSONResponse({"message": "Access deletion scheduled"}, status_code=202)
        return JSONResponse({"access": ACCESS})  # whatever the credentials: ignored auth

    async def login(self, request: Request) -> Response:
        self.seen.append("login")
        user = {"id": 15, "username": "johndoe", "email": "j@example.com", "name": "John"}
        return JSONResponse({"message": "Login successful", "token": "t", "user": user})


@pytest.fixture(scope="module")
def faulty() -> Iterator[tuple[Faulty, str]]:
    server = Faulty()
    with running(server.app) as base:
        yield server, base


@pytest.fixture(scope="module")
def reporting(faulty: tuple[Faulty, str]) -> Iterator[str]:
    with running(proxy_app("defdrive", faulty[1])) as base:
        yield base


@pytest.fixture(scope="module")
def refusing(faulty: tuple[Faulty, str]) -> Iterator[str]:
    with running(proxy_app("defdrive", faulty[1], errors=True)) as base:
        yield base


def violations(base: str) -> list[dict[str, Any]]:
    status, _, body = request(base + VIOLATIONS_PATH)
    assert status == 200
    exchanges: list[dict[str, Any]] = json.loads(body)["exchanges"]
    return exchanges


def checks(exchange: dict[str, Any]) -> set[str]:
    return {violation["check"] for violation in exchange["violations"]}


def through(base: str, upstream: str, path: str, method: str = "GET", body: str | None = None,
            **headers: str) -> tuple[Any, Any]:  # fmt: skip
    """The same request through the proxy and straight to the upstream."""
    proxied = request(base + "/defdrive" + path, method, body, **headers)
    direct = request(upstream + path, method, body, **headers)
    return proxied, direct


def assert_unaltered(proxied: Any, direct: Any) -> None:
    assert proxied[0] == direct[0]
    assert proxied[2] == direct[2]
    for name in ("Content-Type", "Content-Length", "X-Upstream"):
        assert proxied[1].get(name) == direct[1].get(name)


def test_wrong_field_types_are_flagged_and_passed_through(
    faulty: tuple[Faulty, str], reporting: str
) -> None:
    proxied, direct = through(reporting, faulty[1], "/api/files", **AUTH)
    assert_unaltered(proxied, direct)
    assert proxied[1]["X-Sharemock-Violations"] == "3"
    assert "response_schema_conformance /files/0/id" in proxied[1]["X-Sharemock-Violation"]
    exchange = violations(reporting)[0]
    assert exchange["operation"] == "listFiles" and exchange["status"] == 200
    pointers = {v["pointer"] for v in exchange["violations"]}
    assert pointers == {"/files/0/id", "/files/0/size", "/files/0/public"}
    assert checks(exchange) == {"response_schema_conformance"}


def test_an_undocumented_status_is_flagged(faulty: tuple[Faulty, str], reporting: str) -> None:
    proxied, direct = through(reporting, faulty[1], "/api/accesses/456", "DELETE", **AUTH)
    assert_unaltered(proxied, direct)
    assert proxied[0] == 202
    assert proxied[1]["X-Sharemock-Violations"] == "1"
    assert proxied[1]["X-Sharemock-Violation"].startswith(
        "response status_code_conformance: 202 is not documented for deleteAccess"
    )
    assert checks(violations(reporting)[0]) == {"status_code_conformance"}


def test_a_500_to_a_bad_body_is_flagged(faulty: tuple[Faulty, str], reporting: str) -> None:
    proxied, direct = through(
        reporting, faulty[1], "/api/files/42/access", "PUT", '{"public": "yes"}', **AUTH, **JSON
    )
    assert_unaltered(proxied, direct)
    assert proxied[0] == 500
    exchange = violations(reporting)[0]
    assert checks(exchange) == {"request_body", "negative_data_rejection"}
    body_error = next(v for v in exchange["violations"] if v["check"] == "request_body")
    assert body_error == {
        "side": "request",
        "check": "request_body",
        "in": "body",
        "rule": "type",
        "message": "'yes' is not of type 'boolean'",
        "pointer": "/public",
    }


def test_ignored_auth_is_flagged(faulty: tuple[Faulty, str], reporting: str) -> None:
    proxied, direct = through(reporting, faulty[1], "/api/accesses/456")
    assert_unaltered(proxied, direct)
    assert proxied[0] == 200
    assert "response ignored_auth" in proxied[1]["X-Sharemock-Violation"]
    assert checks(violations(reporting)[0]) == {"ignored_auth"}
    # With the credential, the same answer is a good one.
    proxied, _ = through(reporting, faulty[1], "/api/accesses/456", **AUTH)
    assert proxied[0] == 200 and "X-Sharemock-Violations" not in proxied[1]


def test_a_conforming_answer_gets_no_mark(faulty: tuple[Faulty, str], reporting: str) -> None:
    body = '{"username": "johndoe", "password": "password123"}'
    proxied, direct = through(reporting, faulty[1], "/api/login", "POST", body, **JSON)
    assert_unaltered(proxied, direct)
    assert not any(name.startswith("x-sharemock") for name in proxied[1])


def test_errors_replaces_each_wrong_answer_by_a_502(
    faulty: tuple[Faulty, str], refusing: str
) -> None:
    cases = [
        ("/api/files", "GET", None, AUTH, "response_schema_conformance"),
        ("/api/accesses/456", "DELETE", None, AUTH, "status_code_conformance"),
        ("/api/accesses/456", "GET", None, {}, "ignored_auth"),
    ]
    for path, method, body, headers, check in cases:
        status, answered, raw = request(refusing + "/defdrive" + path, method, body, **headers)
        assert status == 502, path
        assert answered["Content-Type"] == "application/problem+json"
        problem = json.loads(raw)
        assert problem["status"] == 502 and problem["title"] == "Bad Gateway"
        assert check in {v["check"] for v in problem["violations"]}
        assert check in problem["detail"]


def test_errors_refuses_a_bad_request_before_forwarding(
    faulty: tuple[Faulty, str], refusing: str
) -> None:
    server, _ = faulty
    before = len(server.seen)
    status, headers, raw = request(
        refusing + "/defdrive/api/files/42/access", "PUT", '{"public": "yes"}', **AUTH, **JSON
    )
    assert status == 400 and headers["Content-Type"] == "application/problem+json"
    problem = json.loads(raw)
    assert problem["operation"] == "togglePublicAccess"
    assert [v["pointer"] for v in problem["violations"]] == ["/public"]
    assert len(server.seen) == before  # never forwarded
    assert violations(refusing)[0]["answered"] == 400


def test_an_unreachable_upstream_is_a_502_and_one_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with (
        caplog.at_level(logging.INFO, "sharemock.proxy"),
        running(proxy_app("defdrive", dead)) as base,
    ):
        status, headers, raw = request(base + "/defdrive/api/files", **AUTH)
    assert status == 502 and headers["Content-Type"] == "application/problem+json"
    problem = json.loads(raw)
    assert problem["detail"].startswith(f"the upstream {dead}/api/files could not be reached")
    lines = [r for r in caplog.records if r.name == "sharemock.proxy"]
    assert len(lines) == 1 and "could not be reached" in lines[0].getMessage()
    assert "Traceback" not in caplog.text


def test_the_list_is_bounded_and_can_be_cleared(faulty: tuple[Faulty, str]) -> None:
    with running(proxy_app("defdrive", faulty[1], keep=2)) as base:
        for _ in range(3):
            request(base + "/defdrive/api/files", **AUTH)
        listed = violations(base)
        assert [entry["id"] for entry in listed] == [3, 2]
        assert request(base + VIOLATIONS_PATH, "DELETE")[0] == 204
        assert violations(base) == []


# -- in front of the real mock ------------------------------------------------------------


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Bodies past the mock's own 1 MiB limit: the proxy's streaming past its bound is tested.
    yield from serve(tmp_path_factory.mktemp("proxy-mock"), "--max-body", "4M")


@pytest.fixture(scope="module")
def cli_proxy(mock: str) -> Iterator[str]:
    """`sharemock proxy defdrive` as a user runs it, in a subprocess."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sharemock", "proxy", "defdrive", "--upstream",
         mock + "/defdrive", "--port", str(port), "--log-level", "warning"],
        cwd=REPO, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}")
    wait_until_serving(server, path=VIOLATIONS_PATH)
    try:
        yield server.base
    finally:
        stop(server)


def _no_violation(answer: Any, status: int = 200) -> None:
    assert answer[0] == status, answer[2][:300]
    marks = {name: value for name, value in answer[1].items() if name.startswith("x-sharemock-v")}
    assert marks == {}, marks


def test_the_readme_seed_requests_pass_with_no_violation(mock: str, cli_proxy: str) -> None:
    base = cli_proxy + "/defdrive"
    seed_000 = {
        "name": "Updated Team Access",
        "subnets": ["192.168.1.0/24", "10.0.0.0/8"],
        "ips": ["10.0.0.50", "10.0.0.51"],
        "expires": "2027-06-30T23:59:59Z",
        "public": False,
        "oneTimeUse": False,
        "ttl": 7200,
        "enableTTL": True,
    }
    _no_violation(request(base + "/api/access/456", "PUT", json.dumps(seed_000), **AUTH, **JSON))
    login = '{"username": "johndoe", "password": "password123"}'
    answer = request(base + "/api/login", "POST", login, **JSON)
    _no_violation(answer)
    token = json.loads(answer[2])["token"]
    toggle = request(
        base + "/api/files/42/access", "PUT", '{"public": true}',
        Authorization=f"Bearer {token}", **JSON,
    )  # fmt: skip
    _no_violation(toggle)
    _no_violation(request(base + f"/link/{HASH}"), 403)  # private after seed 000: documented
    for path in ("/api/files", "/api/files/42/accesses", "/api/accesses/456"):
        _no_violation(request(base + path, **AUTH))
    _no_violation(request(base + "/api/accesses/456"), 401)  # no credential: documented
    assert violations(cli_proxy) == []


def test_the_other_contracts_seed_requests_pass_with_no_violation(mock: str) -> None:
    filerobot = {
        "uuid": "028f53bb-0148-409f-88ed-483dd8c33e6e",
        "title": "My share link",
        "description": "Short description 123",
        "items": [
            {
                "identifiers": [
                    "59aac4eb-ccf1-56b3-a4d6-634e77750000",
                    "f2ebf6f6-39f2-56e6-ba74-d9b956c50000",
                ],
                "type": "file_uuid",
            }
        ],
        "starts_at": None,
        "expires_at": None,
        "starts_tz": "Europe/London",
        "expires_tz": "Europe/London",
        "auth": [{"pass": None, "user": ""}],
        "share_uri": "https://share.filerobot.com/token/v5/s/sY6mkuRLxuhXh81YccsLSwE0fu/my-share-link-08-17-2024-06:29-pm",
        "puid": "sY6mkuRLxuhXh81YccsLSwE0fu",
        "show_starts_at": False,
        "show_expires_at": False,
    }
    oracle_link = "/documents/api/1.1/publiclinks/LFCE8A35C88A6A96FD39B621T0000000000100000001"
    oracle_json = {
        "assignedUsers": "@everybody",
        "expirationTime": "2016-02-15T01:02:03",
        "password": "password2",
        "role": "viewer",
    }
    oracle_xml = (
        "<PublicLinkEditBody><assignedUsers>@everybody</assignedUsers><expirationTime>"
        "2016-02-15T01:02:03</expirationTime><password>password2</password><role>viewer</role>"
        "</PublicLinkEditBody>"
    )
    koodrive = {
        "expireTime": "2025-05-29T02:00:39.952Z",
        "extractCode": "MDg2K0vU",
        "comment": "123",
        "validDays": 9,
    }
    basic = "Basic dXNlcmFhOndlbGNvbWUx"  # useraa:welcome1
    cases = [
        ("filerobot", "/demo/v5/share/028f53bb-0148-409f-88ed-483dd8c33e6e", filerobot,
         {"X-Filerobot-Key": "demo-key", **JSON}),
        ("oracle", oracle_link, oracle_json, {"Authorization": basic, **JSON}),
        ("oracle", oracle_link, oracle_xml, {"Authorization": "Bearer useraa-token",
         "Content-Type": "application/xml", "Accept": "application/xml"}),
        ("koodrive", "/koodrive/ose/v1/share/1689743054514187776", koodrive,
         {"Authorization": "Bearer demo-access-token", **JSON}),
    ]  # fmt: skip
    for name in ("filerobot", "oracle", "koodrive"):
        app = proxy_app(name, mock + f"/{name}")
        with running(app) as base:
            for provider, path, body, headers in cases:
                if provider != name:
                    continue
                text = body if isinstance(body, str) else json.dumps(body)
                answer = request(base + f"/{name}" + path, "PUT", text, **headers)
                _no_violation(answer)
            assert violations(base) == []


def test_a_2_mib_body_streams_both_ways_unchecked_past_the_bound(mock: str, cli_proxy: str) -> None:
    base = cli_proxy + "/defdrive"
    # Upload: 2 MiB of IPs (a name is at most 1,024 characters). It arrives whole (the mock
    # echoes it), unchecked by the proxy.
    ips = [f"10.0.{n // 256 % 256}.{n % 256}" for n in range(200_000)]
    body = json.dumps({"name": "many", "ips": ips, "public": True})
    assert len(body) > 2 << 20
    status, headers, raw = request(base + "/api/access/456", "PUT", body, **AUTH, **JSON)
    assert status == 200
    assert json.loads(raw)["access"]["ips"] == ips
    unvalidated = headers["X-Sharemock-Unvalidated"]
    assert f"request body over {BODY_BOUND} bytes: not validated" in unvalidated
    assert f"response body over {BODY_BOUND} bytes: not validated" in unvalidated
    # Download: file 42's 2,048,576 bytes through the (now public, unrestricted) link.
    request(base + "/api/access/456", "PUT", '{"public": true}', **AUTH, **JSON)
    request(base + "/api/files/42/access", "PUT", '{"public": true}', **AUTH, **JSON)
    status, headers, raw = request(base + f"/link/{HASH}")
    assert status == 200, raw[:200]
    assert len(raw) == 2048576 == int(headers["Content-Length"])
    assert len(headers.getlist("date")) == len(headers.getlist("server")) == 1  # the mock's
    assert raw.startswith(b"sharemock placeholder content of document.pdf\n")
    assert headers["X-Sharemock-Unvalidated"] == (
        f"response body over {BODY_BOUND} bytes: not validated"
    )
    assert "X-Sharemock-Violations" not in headers


def test_the_cli_refuses_an_unknown_provider_or_a_bad_upstream(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from sharemock.cli import main

    assert main(["proxy", "nodrive", "--upstream", "http://127.0.0.1:1"]) == 2
    assert "unknown provider 'nodrive'" in capsys.readouterr().err
    assert main(["proxy", "defdrive", "--upstream", "ftp://example"]) == 2
    assert "--upstream must be an http(s) base URL" in capsys.readouterr().err


def test_the_contract_is_read_from_the_spec_directory(tmp_path: Path) -> None:
    # The package's spec files, as `Settings().spec_dir` names them.
    app = proxy_app("defdrive", "http://127.0.0.1:1", settings=Settings(spec_dir=REPO / "openapi"))
    assert app.contract.spec.operations
