"""`X-Filerobot-Key`: missing or unknown is 401, another project's key is 403."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock.config import Settings
from sharemock.credentials import dev_credential
from sharemock.providers import provider_named
from tests.filerobot.conftest import FILE_A, OTHER_UUID, SEED_PATH, SEED_UUID

MISSING = {"status": "error", "msg": "Missing X-Filerobot-Key header"}
INVALID = {"status": "error", "msg": "Invalid X-Filerobot-Key"}
FORBIDDEN = {"status": "error", "msg": "This X-Filerobot-Key does not give access to this project"}
ITEMS = [{"identifiers": [FILE_A], "type": "file_uuid"}]

# Every operation, on project `demo` (method, path, body).
PROTECTED: list[tuple[str, str, Any]] = [
    ("GET", "/filerobot/demo/v5/shares", None),
    ("POST", "/filerobot/demo/v5/shares", {"title": "T", "items": ITEMS}),
    ("GET", SEED_PATH, None),
    ("PUT", SEED_PATH, {"uuid": SEED_UUID, "title": "changed", "items": ITEMS}),
    ("DELETE", SEED_PATH, None),
]

REFUSALS: dict[str, tuple[dict[str, str], int, dict[str, str]]] = {
    "missing": ({}, 401, MISSING),
    "empty": ({"X-Filerobot-Key": ""}, 401, INVALID),
    "unknown": ({"X-Filerobot-Key": "not-a-key"}, 401, INVALID),
    "bearer prefix": ({"X-Filerobot-Key": "Bearer demo-key"}, 401, INVALID),
    "wrong case": ({"X-Filerobot-Key": "DEMO-KEY"}, 401, INVALID),
    "in Authorization": ({"Authorization": "demo-key"}, 401, MISSING),
    "other project's key": ({"X-Filerobot-Key": "other-key"}, 403, FORBIDDEN),
}


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED)
def test_every_operation_refuses_bad_keys(
    client: TestClient, demo: dict[str, str], method: str, path: str, body: Any
) -> None:
    before = client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"]
    for case, (headers, status, expected) in REFUSALS.items():
        response = client.request(method, path, headers=headers, json=body)
        assert response.status_code == status, case
        assert response.json() == expected, case
        assert response.headers["X-Sharemock-Detail"], case
    # ... and none of the refused calls changed anything.
    assert client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"] == before


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_key_only_opens_its_own_project(
    client: TestClient, demo: dict[str, str], other: dict[str, str], method: str
) -> None:
    """demo's key on other's path is 403; other's sharebox stays as it was."""
    path = f"/filerobot/other/v5/share/{OTHER_UUID}"
    before = client.get(path, headers=other).json()
    body = {"uuid": OTHER_UUID, "title": "mine now", "items": ITEMS} if method == "PUT" else None
    response = client.request(method, path, headers=demo, json=body)
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    after = client.get(path, headers=other).json()
    assert after["share"] == before["share"]


def test_unknown_project_with_a_valid_key_is_403(client: TestClient, demo: dict[str, str]) -> None:
    response = client.get("/filerobot/nosuchproject/v5/shares", headers=demo)
    assert response.status_code == 403
    assert response.json() == FORBIDDEN


def test_authentication_comes_before_validation(client: TestClient) -> None:
    response = client.get("/filerobot/demo/v5/share/not-a-uuid")
    assert response.status_code == 401
    assert response.json() == MISSING


def test_dev_credentials() -> None:
    settings = Settings()
    assert dev_credential("filerobot", "demo", settings) == "demo-key"
    assert dev_credential("filerobot", "other", settings) == "other-key"
    with pytest.raises(LookupError, match="demo, other"):
        dev_credential("filerobot", "nobody", settings)
    provider = provider_named("filerobot")
    assert provider.dev_headers("demo", settings) == {"X-Filerobot-Key": "demo-key"}
