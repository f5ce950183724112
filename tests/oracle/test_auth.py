"""Oracle's authentication: HTTP Basic or Bearer; every way to get it wrong is a 401."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from sharemock.config import Settings
from sharemock.providers.oracle import PROVIDER
from tests.oracle.conftest import AA_FILE, AA_FOLDER, API, LINK_PATH, basic

UNAUTHENTICATED = {
    "errorCode": "-1",
    "errorKey": "!csUserNotAuthenticated",
    "errorMessage": "The user is not authenticated.",
}

BAD_AUTHORIZATIONS = {
    "missing": {},
    "empty": {"Authorization": ""},
    "no scheme": {"Authorization": "useraa-token"},
    "unknown token": {"Authorization": "Bearer not-a-token"},
    "empty token": {"Authorization": "Bearer "},
    "password as token": {"Authorization": "Bearer welcome1"},
    "wrong password": basic("useraa", "welcome2"),
    "unknown login": basic("nobody", "welcome1"),
    "user id as login": basic("U0EAA20910FAF3052ACB79E4T00000000001", "welcome1"),
    "token as password": basic("useraa", "useraa-token"),
    "no colon": {"Authorization": "Basic dXNlcmFh"},
    "not base64": {"Authorization": "Basic !!!"},
    "other scheme": {"Authorization": "Digest username=useraa"},
}

PROTECTED = [
    ("GET", LINK_PATH),
    ("PUT", LINK_PATH),
    ("DELETE", LINK_PATH),
    ("GET", f"{API}/file/{AA_FILE}"),
    ("POST", f"{API}/file/{AA_FILE}"),
    ("GET", f"{API}/folder/{AA_FOLDER}"),
    ("POST", f"{API}/folder/{AA_FOLDER}"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_protected_operation_refuses_bad_credentials(
    client: TestClient, aa: dict[str, str], method: str, path: str
) -> None:
    body = {"assignedUsers": "@everybody", "role": "contributor", "linkName": "sneaky"}
    if method == "PUT":
        body.pop("linkName")
    for case, headers in BAD_AUTHORIZATIONS.items():
        response = client.request(method, path, headers=headers, json=body)
        assert response.status_code == 401, case
        assert response.json() == UNAUTHENTICATED, case
        assert response.headers["WWW-Authenticate"].startswith("Basic "), case
        assert response.headers["X-Sharemock-Detail"], case
    # ... and nothing was changed by the refused calls.
    link = client.get(LINK_PATH, headers=aa).json()
    assert (link["role"], link["lastModifiedTime"]) == ("viewer", "2015-06-10T22:01:08Z")
    assert client.get(f"{API}/file/{AA_FILE}", headers=aa).json()["count"] == "1"
    assert client.get(f"{API}/folder/{AA_FOLDER}", headers=aa).json()["count"] == "0"


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer useraa-token"},
        {"Authorization": "bearer useraa-token"},  # schemes are case-insensitive (RFC 9110)
        basic("useraa", "welcome1"),
    ],
)
def test_basic_and_bearer_both_authenticate(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(LINK_PATH, headers=headers)
    assert response.status_code == 200
    assert response.json()["ownedBy"]["displayName"] == "User AA"


def test_user_bb_authenticates_but_has_no_rights(client: TestClient) -> None:
    for headers in ({"Authorization": "Bearer userbb-token"}, basic("userbb", "welcome2")):
        assert client.get(LINK_PATH, headers=headers).status_code == 403


def test_dev_credential_is_the_bearer_token() -> None:
    assert PROVIDER.dev_headers("useraa", Settings()) == {"Authorization": "Bearer useraa-token"}
    assert PROVIDER.dev_headers("userbb", Settings()) == {"Authorization": "Bearer userbb-token"}
    with pytest.raises(LookupError, match="useraa, userbb"):
        PROVIDER.dev_credential("nobody", Settings())
