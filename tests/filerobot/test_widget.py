"""Filerobot's own widget (@filerobot/core + @filerobot/explorer 3.114): its calls, replayed.

Each request is built as the widget's code builds it (user.slice.js `fetchUserAuthState`,
SharePanel/ShareDialog.js, Modals/ShareFolder/ShareFolder.utils.js `adaptDataBeforeSave`,
sharebox.slice.js `fetchShareboxFilesAndFolders`), and each check reads what the widget reads.
Core's Client.js counts an answer as a success only when it is 2xx, its Content-Type is
`application/json` and its body's `status` is ok/success/cancelled.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import FrozenClock
from tests.filerobot.conftest import FILE_A, FILE_B, SEED_PATH

FOLDER = "0b5f2b0e-7b5a-5d35-9c51-3f7d1c2e0000"
SEED_PUID = "sY6mkuRLxuhXh81YccsLSwE0fu"
OTHER_PUID = "Rm3XcV9bTq2LwP8nZs5KdY7hGf"
# The widget sends Content-Type: application/json on every request, GETs included.
WIDGET_HEADERS = {"Content-Type": "application/json"}

# SharePanel/ShareDialog.js, files with a password and an expiry, download disabled.
FILES_BODY: dict[str, Any] = {
    "title": "Share link 12/01/2026 05:30 PM",
    "description": "",
    "starts_at": None,
    "expires_at": "2027-01-08T17:30",
    "starts_tz": None,
    "expires_tz": "Europe/Berlin",
    "items": [{"type": "file_uuid", "identifiers": [FILE_A, FILE_B]}],
    "token": "demo",
    "permissions": "READ",
    "auth": {"pass": "s3cret", "user": ""},
}
# ShareFolder.utils.js adaptDataBeforeSave, default dialog state (no password, no dates).
FOLDER_BODY: dict[str, Any] = {
    "title": "Campaign",
    "description": "For the agency",
    "token": "demo",
    "auth": {},
    "permissions": "READ+DOWNLOAD",
    "items": [
        {
            "type": "folder_uuid",
            "identifiers": [FOLDER],
            "options": {"recursive": True, "visibility": "PUB,ORG"},
        }
    ],
}


def _widget_success(response: Any) -> Any:
    """The body, if core's Client.js would resolve with it."""
    assert 200 <= response.status_code < 300, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"].lower() in ("ok", "success", "cancelled")
    return body


def _error(response: Any, status: int, msg: str) -> None:
    assert response.status_code == status, response.text
    assert response.json() == {"status": "error", "msg": msg}


def _create(client: TestClient, demo: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        "/filerobot/demo/v5/shares", headers={**demo, **WIDGET_HEADERS}, json=body
    )
    share: dict[str, Any] = _widget_success(response)["share"]
    return share


def _public(client: TestClient, puid: str, query: str = "", token: str = "demo") -> Any:
    # `get` adds the widget's (possibly empty) key header; the public view ignores it.
    headers = {**WIDGET_HEADERS, "X-Filerobot-Key": ""}
    return client.get(f"/filerobot/{token}/v4/share/{puid}{query}", headers=headers)


# --- GET /{container}/v4/key/info?key=<sassKey>, without the key header ---


def test_key_info_lets_the_widget_share(client: TestClient) -> None:
    body = _widget_success(
        client.get("/filerobot/demo/v4/key/info?key=demo-key", headers=WIDGET_HEADERS)
    )
    # user.slice.js: AUTH state needs both flags; sharing needs OBJECTS_SHARE_MANAGE in AUTH.
    assert body["is_validate"] is True
    assert body["is_user_info_included"] is True
    assert isinstance(body["permissions"], list)
    assert {"OBJECTS_SHARE_MANAGE", "OBJECTS_LIST", "OBJECTS_FETCH"} <= set(body["permissions"])
    assert body["info"]["api_version"] == 4
    assert list(body) == [
        "status",
        "is_validate",
        "is_user_info_included",
        "permissions",
        "info",
        "api_version",
    ]


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/filerobot/demo/v4/key/info?key=not-a-key", "no project has this key"),
        ("/filerobot/demo/v4/key/info?key=other-key", "the key is another project's"),
        ("/filerobot/nosuchproject/v4/key/info?key=demo-key", "the key is another project's"),
        ("/filerobot/demo/v4/key/info?key=DEMO-KEY", "no project has this key"),
    ],
)
def test_key_info_refuses_keys_of_no_or_another_project(
    client: TestClient, path: str, detail: str
) -> None:
    response = client.get(path, headers=WIDGET_HEADERS)
    _error(response, 401, "Invalid key")
    assert response.headers["X-Sharemock-Detail"] == detail


@pytest.mark.parametrize("query", ["", "?key=", "?other=demo-key", "?key=" + "k" * 1025])
def test_key_info_without_a_key_is_400(client: TestClient, query: str) -> None:
    response = client.get(f"/filerobot/demo/v4/key/info{query}", headers=WIDGET_HEADERS)
    _error(response, 400, "Missing or malformed key parameter")


def test_key_info_takes_no_key_header(client: TestClient) -> None:
    """The key is in the query; a header (even a wrong one) changes nothing."""
    response = client.get(
        "/filerobot/other/v4/key/info?key=other-key", headers={"X-Filerobot-Key": "demo-key"}
    )
    assert _widget_success(response)["is_validate"] is True


# --- POST {apiEndpoint}/{container}/v5/shares, as the share panel and folder dialog build it ---


def test_share_panel_creates_a_sharebox(client: TestClient, demo: dict[str, str]) -> None:
    share = _create(client, demo, FILES_BODY)
    # SharePanel.thunks.js reads share.puid only, to build the page's address.
    assert len(share["puid"]) == 26 and share["puid"].isalnum()
    assert share["items"] == [{"identifiers": [FILE_A, FILE_B], "type": "file_uuid"}]
    assert share["auth"] == [{"pass": "s3cret", "user": ""}]
    # A null zone takes the default; the local expiry is Berlin time (CET, UTC+1) -> UTC.
    assert (share["starts_at"], share["starts_tz"]) == (None, "UTC")
    assert (share["expires_at"], share["expires_tz"]) == ("2027-01-08T16:30:00Z", "Europe/Berlin")
    listed = client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"]
    assert listed[-1] == share


def test_share_folder_dialog_creates_a_sharebox(client: TestClient, demo: dict[str, str]) -> None:
    share = _create(client, demo, FOLDER_BODY)
    assert share["auth"] == [{"pass": None, "user": ""}]  # `{}`: no password
    assert share["items"] == [
        {
            "identifiers": [FOLDER],
            "type": "folder_uuid",
            "options": {"recursive": True, "visibility": "PUB,ORG"},
        }
    ]
    assert (share["starts_tz"], share["expires_tz"]) == ("UTC", "UTC")


@pytest.mark.parametrize(
    ("local", "zone", "stored"),
    [
        ("2026-07-01T10:00", "Europe/Paris", "2026-07-01T08:00:00Z"),  # CEST, UTC+2
        ("2026-12-01T10:00", "Europe/Paris", "2026-12-01T09:00:00Z"),  # CET, UTC+1
        ("2026-12-01T10:00", "America/New_York", "2026-12-01T15:00:00Z"),
        ("2026-12-01T10:00", "UTC", "2026-12-01T10:00:00Z"),
        ("2026-12-01T10:00", None, "2026-12-01T10:00:00Z"),
        ("2026-12-01T10:00", "Etc/Unknown", "2026-12-01T10:00:00Z"),  # not a zone: UTC
        ("2028-02-29T23:59", "Asia/Tokyo", "2028-02-29T14:59:00Z"),
        ("2026-12-31T23:59:59+01:00", "Asia/Tokyo", "2026-12-31T23:59:59+01:00"),  # as sent
    ],
)
def test_widget_dates_are_local_to_their_zone_and_stored_in_utc(
    client: TestClient, demo: dict[str, str], local: str, zone: str | None, stored: str
) -> None:
    body = {**FOLDER_BODY, "starts_at": local, "starts_tz": zone}
    body |= {"expires_at": local, "expires_tz": zone}
    share = _create(client, demo, body)
    assert share["starts_at"] == share["expires_at"] == stored
    # An update may send the widget's form too; the stored zone reads it.
    path = f"/filerobot/demo/v5/share/{share['uuid']}"
    update = {"uuid": share["uuid"], "items": FOLDER_BODY["items"], "starts_at": local}
    updated = client.put(path, headers=demo, json=update).json()["share"]
    assert updated["starts_at"] == stored


@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": "2026-02-30T10:00"},
        {"starts_at": "2027-02-29T10:00"},
        {"starts_at": "2026-1-01T10:00"},
        {"expires_at": "2026-01-01T24:00"},
        {"expires_at": "2026-01-01 10:00"},
        {"expires_at": "3000-01-01T10:00"},
        {"starts_tz": "Not a zone!"},
        {"auth": {"pass": 5}},
        {"auth": {"pass": "x", "extra": 1}},
        {"auth": "s3cret"},
        {"permissions": "DOWNLOAD"},
        {"token": "Not A Token"},
    ],
)
def test_create_refuses_malformed_widget_fields(
    client: TestClient, demo: dict[str, str], change: dict[str, Any]
) -> None:
    before = client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"]
    response = client.post("/filerobot/demo/v5/shares", headers=demo, json=FILES_BODY | change)
    _error(response, 400, "Invalid request body")
    assert client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"] == before


def test_body_token_must_be_the_path_token(client: TestClient, demo: dict[str, str]) -> None:
    before = client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"]
    response = client.post(
        "/filerobot/demo/v5/shares", headers=demo, json=FILES_BODY | {"token": "other"}
    )
    _error(
        response, 409, "The token in the request body does not match the project token in the path"
    )
    assert client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"] == before


# --- GET {shareApiEndpoint}/{container}/v4/share/{puid}[?password=], the public view ---


def test_public_view_of_a_widget_sharebox(client: TestClient, demo: dict[str, str]) -> None:
    puid = _create(client, demo, FILES_BODY)["puid"]
    _error(_public(client, puid), 401, "This share is protected by a password")
    _error(_public(client, puid, "?password=wrong"), 401, "Wrong password")
    body = _widget_success(_public(client, puid, "?password=s3cret"))
    # sharebox.slice.js keys files by `name` (so names are unique) and reads them as listed;
    # READ: no `url`, so the widget offers no download.
    assert [file["name"] for file in body["files"]] == [FILE_A, FILE_B]
    assert body["files"][0] == {
        "uuid": FILE_A,
        "name": FILE_A,
        "type": "application/octet-stream",
        "size": {"bytes": 0, "pretty": "0 B"},  # FileInfo shows `pretty`
    }
    assert body["folders"] == []
    assert body["share"] == {
        "title": FILES_BODY["title"],
        "description": "",
        "puid": puid,
        "permissions": "READ",
        "starts_at": None,
        "expires_at": "2027-01-08T16:30:00Z",
        "starts_tz": "UTC",
        "expires_tz": "Europe/Berlin",
    }


def test_public_view_of_folders(client: TestClient, demo: dict[str, str]) -> None:
    body = FOLDER_BODY | {"items": [*FOLDER_BODY["items"], *FOLDER_BODY["items"]]}
    puid = _create(client, demo, body)["puid"]
    view = _widget_success(_public(client, puid))
    # getFoldersState reads name, files (.length) and folders (spread) of every folder.
    assert view["folders"] == [
        {"uuid": FOLDER, "name": FOLDER, "path": f"/{FOLDER}", "files": [], "folders": []}
    ]
    assert view["files"] == []
    assert view["share"]["permissions"] == "READ+DOWNLOAD"


def test_public_view_of_the_seed_sharebox(client: TestClient) -> None:
    body = _widget_success(_public(client, SEED_PUID))
    assert [file["uuid"] for file in body["files"]] == [FILE_A, FILE_B]
    # READ+DOWNLOAD: every file has a url, which is what makes the widget offer downloads.
    assert body["share"]["permissions"] == "READ+DOWNLOAD"
    assert body["files"][0]["url"] == {
        "cdn": f"https://demo.filerobot.com/{FILE_A}",
        "download": f"https://demo.filerobot.com/{FILE_A}?download=1",
    }
    assert body["share"]["title"] == "My share link"
    assert "auth" not in body["share"]


def test_public_view_ignores_any_key_header(client: TestClient) -> None:
    for headers in ({}, {"X-Filerobot-Key": "nonsense"}, {"X-Filerobot-Key": "other-key"}):
        response = client.get(f"/filerobot/demo/v4/share/{SEED_PUID}", headers=headers)
        assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/filerobot/demo/v4/share/AAAAAAAAAAAAAAAAAAAAAAAAAA",  # no such puid
        f"/filerobot/demo/v4/share/{OTHER_PUID}",  # another project's
        f"/filerobot/nosuchproject/v4/share/{SEED_PUID}",
        "/filerobot/demo/v4/share/not-a-puid!",  # no puid looks like this
        f"/filerobot/demo/v4/share/{SEED_PUID.lower()}",  # puids are case-sensitive
    ],
)
def test_public_view_of_an_unknown_puid_is_404(client: TestClient, path: str) -> None:
    _error(client.get(path), 404, "Share not found")


def test_public_view_enforces_the_dates_before_the_password(
    client: TestClient, other: dict[str, str], clock: FrozenClock
) -> None:
    """`other`'s fixture: 2024-09-01T08:00:00Z to 2024-12-31T23:59:59Z, password press-2024."""
    open_with = "?password=press-2024"
    clock.moment = datetime(2024, 9, 1, 7, 59, 59, tzinfo=UTC)
    _error(_public(client, OTHER_PUID, token="other"), 403, "This share is not active yet")
    clock.moment = datetime(2024, 9, 1, 8, 0, 0, tzinfo=UTC)
    _error(_public(client, OTHER_PUID, token="other"), 401, "This share is protected by a password")
    assert _public(client, OTHER_PUID, open_with, token="other").status_code == 200
    clock.moment = datetime(2024, 12, 31, 23, 59, 58, tzinfo=UTC)
    assert _public(client, OTHER_PUID, open_with, token="other").status_code == 200
    clock.moment = datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC)
    _error(_public(client, OTHER_PUID, open_with, token="other"), 410, "This share has expired")


def test_public_view_reads_dates_with_offsets(
    client: TestClient, demo: dict[str, str], clock: FrozenClock
) -> None:
    clock.moment = datetime(2025, 12, 31, 22, 0, 0, tzinfo=UTC)
    update = {
        "uuid": "028f53bb-0148-409f-88ed-483dd8c33e6e",
        "items": [{"identifiers": [FILE_A], "type": "file_uuid"}],
        "expires_at": "2025-12-31T23:30:00+01:00",  # 22:30Z
    }
    assert client.put(SEED_PATH, headers=demo, json=update).status_code == 200
    assert _public(client, SEED_PUID).status_code == 200
    clock.moment = datetime(2025, 12, 31, 22, 30, 0, tzinfo=UTC)
    _error(_public(client, SEED_PUID), 410, "This share has expired")


def test_a_deleted_sharebox_has_no_public_view(client: TestClient, demo: dict[str, str]) -> None:
    assert client.delete(SEED_PATH, headers=demo).status_code == 200
    _error(_public(client, SEED_PUID), 404, "Share not found")


# --- the browser: another origin, the key header ---


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/filerobot/demo/v4/key/info?key=demo-key", "content-type"),
        ("POST", "/filerobot/demo/v5/shares", "content-type,x-filerobot-key"),
        ("GET", f"/filerobot/demo/v4/share/{SEED_PUID}", "content-type,x-filerobot-key"),
    ],
)
def test_cors_preflight_passes(client: TestClient, method: str, path: str, headers: str) -> None:
    origin = "http://127.0.0.1:5173"
    response = client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert method in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == headers
    # ... and the answer itself carries the origin too.
    answer = client.get(
        "/filerobot/demo/v4/key/info?key=demo-key", headers={"Origin": origin, **WIDGET_HEADERS}
    )
    assert answer.headers["access-control-allow-origin"] == origin
