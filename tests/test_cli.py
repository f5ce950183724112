"""The `sharemock` command line, and the server it runs, over real HTTP on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from sharemock.cli import main
from sharemock.config import DEFAULT_JWT_SECRET
from tests.defdrive.test_seed_replay import SEED_000_BODY
from tests.serving import request, serve


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`sharemock serve` in a subprocess on a free loopback port; stopped afterwards."""
    yield from serve(tmp_path)


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[str]:
    """`sharemock serve --workers 2`: two processes sharing one database."""
    yield from serve(tmp_path, "--workers", "2")


def test_token_prints_a_valid_jwt(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "defdrive", "--user", "johndoe"]) == 0
    token = capsys.readouterr().out.strip()
    claims = jwt.decode(token, DEFAULT_JWT_SECRET, algorithms=["HS256"])
    assert (claims["userID"], claims["username"]) == (15, "johndoe")


def test_token_for_unknown_user_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "defdrive", "--user", "mallory"]) == 2
    assert "mallory" in capsys.readouterr().err


def test_serve_answers_seed_000_over_http(server: str) -> None:
    status, _, body = request(
        server + "/defdrive/api/login",
        "POST",
        json.dumps({"username": "johndoe", "password": "password123"}),
        **{"Content-Type": "application/json"},
    )
    assert status == 200
    token = json.loads(body)["token"]

    status, headers, body = request(
        server + "/defdrive/api/access/456",
        "PUT",
        SEED_000_BODY,
        **{"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert status == 200, body
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["access"]["name"] == "Updated Team Access"


def test_serve_answers_the_deployed_dialect_over_http_on_one_state(server: str) -> None:
    login = json.dumps({"username": "johndoe", "password": "password123"})
    as_json = {"Content-Type": "application/json"}
    status, _, body = request(server + "/defdrive-deployed/api/login", "POST", login, **as_json)
    assert status == 200
    bearer = {"Authorization": f"Bearer {json.loads(body)['token']}", **as_json}

    edit = json.dumps({"name": "Over HTTP", "public": True, "oneTimeUse": True})
    status, _, body = request(
        server + "/defdrive-deployed/api/accesses/456/access", "PUT", edit, **bearer
    )
    assert status == 200, body
    assert json.loads(body)["access"]["OneTimeUse"] is True

    status, _, body = request(server + "/defdrive/api/accesses/456", **bearer)
    assert (status, json.loads(body)["access"]["name"]) == (200, "Over HTTP")


def test_serve_publishes_docs_and_index(server: str) -> None:
    status, _, index = request(server + "/")
    assert status == 200
    assert b'href="/defdrive/ui/"' in index
    assert b'href="/defdrive-deployed/ui/"' in index
    status, _, ui = request(server + "/defdrive/ui/")
    assert status == 200 and b"swagger" in ui.lower()
    status, _, spec = request(server + "/defdrive/openapi.json")
    assert status == 200
    assert json.loads(spec)["paths"]["/api/access/{accessID}"]["put"]["operationId"] == (
        "updateAccess"
    )


def test_reset_restores_fixtures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from starlette.testclient import TestClient

    from sharemock.app import create_app
    from sharemock.config import Settings

    settings = Settings(db_path=str(tmp_path / "state.db"))
    token = jwt.encode(
        {"userID": 15, "username": "johndoe", "exp": int(time.time()) + 600},
        settings.jwt_secret,
        algorithm="HS256",
    )
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings)) as client:
        client.delete("/defdrive/api/accesses/456", headers=headers)
        assert client.get("/defdrive/api/accesses/456", headers=headers).status_code == 404
        assert main(["reset", "--db", settings.db_path]) == 0
        assert client.get("/defdrive/api/accesses/456", headers=headers).status_code == 200


def test_workers_share_state(two_workers: str) -> None:
    """Writes and reads interleaved over fresh connections, which land on either worker: each
    read sees the write just before it."""
    token = main_token()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for turn in range(20):
        name = f"Shared {turn}"
        status, _, _ = request(
            two_workers + "/defdrive/api/access/456", "PUT", json.dumps({"name": name}), **headers
        )
        assert status == 200
        _, _, body = request(two_workers + "/defdrive/api/accesses/456", **headers)
        assert json.loads(body)["access"]["name"] == name


def main_token() -> str:
    return jwt.encode(
        {"userID": 15, "username": "johndoe", "exp": int(time.time()) + 600},
        DEFAULT_JWT_SECRET,
        algorithm="HS256",
    )
