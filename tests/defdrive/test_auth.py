"""DefDrive's JWT: every way a token can be wrong answers 401 in DefDrive's shape."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from starlette.testclient import TestClient

from sharemock.config import Settings
from sharemock.providers.defdrive.auth import TOKEN_LIFETIME, issue_token
from tests.conftest import FrozenClock

UNAUTHENTICATED = {"error": "User not authenticated"}


def _token(settings: Settings, **claims: object) -> str:
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def test_login_returns_a_token_that_works(client: TestClient) -> None:
    login = client.post(
        "/defdrive/api/login", json={"username": "johndoe", "password": "password123"}
    )
    assert login.status_code == 200
    body = login.json()
    assert body["message"] == "Login successful"
    assert body["user"] == {
        "id": 15,
        "username": "johndoe",
        "email": "johndoe@example.com",
        "name": "John Doe",
    }
    files = client.get("/defdrive/api/files", headers={"Authorization": f"Bearer {body['token']}"})
    assert files.status_code == 200
    assert [file["id"] for file in files.json()["files"]] == [42]


def test_token_claims_are_defdrives(client: TestClient, settings: Settings) -> None:
    token = client.post(
        "/defdrive/api/login", json={"username": "janedoe", "password": "password456"}
    ).json()["token"]
    claims = jwt.decode(token, settings.jwt_secret, algorithms=["HS256"])
    assert set(claims) == {"userID", "username", "exp"}
    assert (claims["userID"], claims["username"]) == (16, "janedoe")
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def _bad_authorizations(settings: Settings, clock: FrozenClock) -> dict[str, dict[str, str]]:
    now = clock()
    valid_exp = int((now + TOKEN_LIFETIME).timestamp())
    return {
        "missing": {},
        "empty": {"Authorization": ""},
        "no scheme": {"Authorization": issue_token(15, "johndoe", settings.jwt_secret, now)},
        "basic scheme": {"Authorization": "Basic am9objpwYXNzd29yZDEyMw=="},
        "not a jwt": {"Authorization": "Bearer not-a-token"},
        "bad signature": {
            "Authorization": "Bearer "
            + jwt.encode({"userID": 15, "exp": valid_exp}, "another-secret-" * 3, "HS256")
        },
        "expired": {
            "Authorization": "Bearer "
            + issue_token(15, "johndoe", settings.jwt_secret, now - TOKEN_LIFETIME - timedelta(1))
        },
        "no exp": {"Authorization": "Bearer " + _token(settings, userID=15, username="johndoe")},
        "no userID": {"Authorization": "Bearer " + _token(settings, username="x", exp=valid_exp)},
        "text userID": {"Authorization": "Bearer " + _token(settings, userID="15", exp=valid_exp)},
        "alg none": {
            "Authorization": "Bearer "
            + jwt.encode({"userID": 15, "exp": valid_exp}, None, algorithm="none")
        },
    }


PROTECTED = [
    ("GET", "/defdrive/api/files"),
    ("PUT", "/defdrive/api/files/42/access"),
    ("GET", "/defdrive/api/files/42/accesses"),
    ("POST", "/defdrive/api/files/42/accesses"),
    ("PUT", "/defdrive/api/access/456"),
    ("GET", "/defdrive/api/accesses/456"),
    ("DELETE", "/defdrive/api/accesses/456"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_protected_operation_refuses_bad_tokens(
    client: TestClient, settings: Settings, clock: FrozenClock, method: str, path: str
) -> None:
    for case, headers in _bad_authorizations(settings, clock).items():
        response = client.request(method, path, headers=headers, json={"public": True})
        assert response.status_code == 401, case
        assert response.json() == UNAUTHENTICATED, case
        assert response.headers["X-Sharemock-Detail"], case
    # ... and nothing was changed by the refused calls.
    john = {"Authorization": "Bearer " + issue_token(15, "johndoe", settings.jwt_secret, clock())}
    assert client.get("/defdrive/api/accesses/456", headers=john).status_code == 200


def test_expiry_follows_the_server_clock(
    client: TestClient, settings: Settings, clock: FrozenClock
) -> None:
    token = issue_token(15, "johndoe", settings.jwt_secret, clock())
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/defdrive/api/files", headers=headers).status_code == 200
    clock.moment += TOKEN_LIFETIME
    assert client.get("/defdrive/api/files", headers=headers).status_code == 401


def test_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHAREMOCK_JWT_SECRET", "a-secret-from-the-environment-0123456789")
    assert Settings.from_env().jwt_secret == "a-secret-from-the-environment-0123456789"
