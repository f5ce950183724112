"""Every documented Filerobot error status is reachable, with `{"status":"error","msg"}`."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.filerobot.conftest import FILE_A, OTHER_UUID, SEED_PATH, SEED_UUID

ITEMS = [{"identifiers": [FILE_A], "type": "file_uuid"}]
UPDATE = {"uuid": SEED_UUID, "items": ITEMS}
BAD_UUIDS = [
    "not-a-uuid",
    "028f53bb0148409f88ed483dd8c33e6e",
    "028f53bb-0148-409f-88ed-483dd8c33e6",
    "1",
]


def _error(response: Any, status: int, msg: str) -> None:
    assert response.status_code == status, response.text
    assert response.json() == {"status": "error", "msg": msg}
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("bad_uuid", BAD_UUIDS)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_malformed_uuid_is_400(
    client: TestClient, demo: dict[str, str], method: str, bad_uuid: str
) -> None:
    body = {**UPDATE, "uuid": SEED_UUID} if method == "PUT" else None
    response = client.request(
        method, f"/filerobot/demo/v5/share/{bad_uuid}", headers=demo, json=body
    )
    _error(response, 400, "Invalid sharebox uuid")
    assert "sharebox_uuid" in response.headers["X-Sharemock-Detail"]


def test_uppercase_uuid_is_the_same_sharebox(client: TestClient, demo: dict[str, str]) -> None:
    response = client.get(f"/filerobot/demo/v5/share/{SEED_UUID.upper()}", headers=demo)
    assert response.status_code == 200
    assert response.json()["share"]["uuid"] == SEED_UUID


@pytest.mark.parametrize(
    "body",
    [
        {"uuid": SEED_UUID},  # items is required
        {"items": ITEMS},  # uuid is required
        {**UPDATE, "items": []},
        {**UPDATE, "items": [{"identifiers": [], "type": "file_uuid"}]},
        {**UPDATE, "items": [{"identifiers": ["nope"], "type": "file_uuid"}]},
        {**UPDATE, "items": [{"identifiers": [FILE_A], "type": "file"}]},
        {**UPDATE, "items": [{"identifiers": [FILE_A]}]},
        {**UPDATE, "uuid": "not-a-uuid"},
        {**UPDATE, "title": ""},
        {**UPDATE, "title": None},
        {**UPDATE, "title": "x" * 256},
        {**UPDATE, "starts_at": "next tuesday"},
        {**UPDATE, "expires_at": "2025-12-31"},
        {**UPDATE, "expires_at": "2025-12-31T23:59:60Z"},
        {**UPDATE, "starts_tz": "Not a zone!"},
        {**UPDATE, "starts_tz": None},
        {**UPDATE, "auth": [{"pass": 123, "user": ""}]},
        {**UPDATE, "auth": {"pass": "x", "user": ""}},
        {**UPDATE, "show_starts_at": "yes"},
        {**UPDATE, "status": "active"},  # not a field of the contract
    ],
)
def test_update_bad_body_is_400_and_changes_nothing(
    client: TestClient, demo: dict[str, str], body: dict[str, Any]
) -> None:
    before = client.get(SEED_PATH, headers=demo).json()["share"]
    _error(client.put(SEED_PATH, headers=demo, json=body), 400, "Invalid request body")
    assert client.get(SEED_PATH, headers=demo).json()["share"] == before


@pytest.mark.parametrize("raw", ['{"uuid": "x"', "[]", "null", ""])
def test_update_unparseable_body_is_400(client: TestClient, demo: dict[str, str], raw: str) -> None:
    response = client.put(
        SEED_PATH, headers={**demo, "Content-Type": "application/json"}, content=raw
    )
    _error(response, 400, "Invalid request body")


def test_wrong_content_type_is_400(client: TestClient, demo: dict[str, str]) -> None:
    response = client.put(
        SEED_PATH, headers={**demo, "Content-Type": "text/plain"}, content="uuid=x"
    )
    _error(response, 400, "Invalid request body")


def test_body_uuid_must_be_the_path_uuid(client: TestClient, demo: dict[str, str]) -> None:
    before = client.get(SEED_PATH, headers=demo).json()["share"]
    response = client.put(
        SEED_PATH, headers=demo, json={**UPDATE, "uuid": OTHER_UUID, "title": "hijack"}
    )
    _error(
        response, 409, "The uuid in the request body does not match the sharebox uuid in the path"
    )
    assert client.get(SEED_PATH, headers=demo).json()["share"] == before
    # Case does not make two UUIDs different.
    same = client.put(SEED_PATH, headers=demo, json={**UPDATE, "uuid": SEED_UUID.upper()})
    assert same.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"items": ITEMS},  # title is required
        {"title": "T"},  # items is required
        {"title": "T", "items": ITEMS, "uuid": SEED_UUID},  # the server mints the uuid
        {"title": "T", "items": ITEMS, "puid": "x"},
        {"title": "T", "items": ITEMS, "expires_at": "soon"},
        {
            "title": "T",
            "items": [
                {"identifiers": [FILE_A], "type": "folder_uuid", "options": {"recursive": True}}
            ],
        },
    ],
)
def test_create_bad_body_is_400_and_creates_nothing(
    client: TestClient, demo: dict[str, str], body: dict[str, Any]
) -> None:
    _error(
        client.post("/filerobot/demo/v5/shares", headers=demo, json=body),
        400,
        "Invalid request body",
    )
    assert len(client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"]) == 1


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_sharebox_is_404(client: TestClient, demo: dict[str, str], method: str) -> None:
    unknown = "9b2e4d6a-1c3f-4e5a-8b7d-0f1e2d3c4b5a"
    body = {**UPDATE, "uuid": unknown} if method == "PUT" else None
    response = client.request(
        method, f"/filerobot/demo/v5/share/{unknown}", headers=demo, json=body
    )
    _error(response, 404, f"Share with uuid={unknown} not found")


def test_unknown_route_and_method_keep_filerobot_shape(
    client: TestClient, demo: dict[str, str]
) -> None:
    _error(client.get("/filerobot/demo/v5/nothing", headers=demo), 404, "Route not found")
    _error(client.get("/filerobot/demo/v4/shares", headers=demo), 404, "Route not found")

    response = client.patch(SEED_PATH, headers=demo, json=UPDATE)
    _error(response, 405, "Method not allowed")
    assert response.headers["Allow"] == "GET, PUT, DELETE"

    response = client.delete("/filerobot/demo/v5/shares", headers=demo)
    _error(response, 405, "Method not allowed")
    assert response.headers["Allow"] == "GET, POST"


@pytest.mark.parametrize(
    ("method", "table_event", "path", "body", "msg"),
    [
        ("PUT", "UPDATE", SEED_PATH, UPDATE, "Failed to update the share"),
        ("DELETE", "DELETE", SEED_PATH, None, "Failed to delete the share"),
        (
            "POST",
            "INSERT",
            "/filerobot/demo/v5/shares",
            {"title": "T", "items": ITEMS},
            "Failed to create the share",
        ),
    ],
)
def test_storage_failure_is_the_documented_500(
    client: TestClient,
    demo: dict[str, str],
    app: object,
    method: str,
    table_event: str,
    path: str,
    body: dict[str, Any] | None,
    msg: str,
) -> None:
    """A write the store refuses answers 500 in Filerobot's shape and leaves the data alone."""
    database = app.runtime.database  # type: ignore[attr-defined]
    before = client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"]
    database.install(
        f"CREATE TRIGGER IF NOT EXISTS refuse BEFORE {table_event} ON filerobot_shareboxes"
        " BEGIN SELECT RAISE(ABORT, 'disk says no'); END;"
    )
    response = client.request(method, path, headers=demo, json=body)
    _error(response, 500, msg)
    assert "disk says no" in response.headers["X-Sharemock-Detail"]
    database.install("DROP TRIGGER refuse;")
    assert client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"] == before


@pytest.mark.parametrize(
    "path",
    [
        "/filerobot/de%0Amo/v5/shares",
        "/filerobot/demo%0A/v5/shares",
        "/filerobot/demo/v5/shares%0A",
        f"/filerobot/demo/v5/share/{SEED_UUID}%0A",
        "/filerobot//v5/shares",
    ],
)
def test_unroutable_paths_are_404_not_500(
    client: TestClient, demo: dict[str, str], path: str
) -> None:
    """A line break in a path segment (which Flask would route but Starlette would not)."""
    _error(client.get(path, headers=demo), 404, "Route not found")
