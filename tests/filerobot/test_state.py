"""State: updates apply as documented, are visible to reads, survive a restart, stay per project."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock.app import create_app
from sharemock.config import Settings
from sharemock.providers import PROVIDERS
from sharemock.providers.filerobot import store
from sharemock.providers.filerobot.rules import slug
from sharemock.state import open_database, reset_all
from tests.filerobot.conftest import FILE_A, FILE_B, OTHER_PATH, OTHER_UUID, SEED_PATH, SEED_UUID

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends

FOLDER = "0b5f2b0e-7b5a-5d35-9c51-3f7d1c2e0000"
NEW_ITEMS = [
    {"identifiers": [FILE_B], "type": "file_uuid"},
    {
        "identifiers": [FOLDER],
        "type": "folder_uuid",
        "options": {"recursive": False, "visibility": "PUB,ORG"},
    },
]
UPDATE: dict[str, Any] = {
    "uuid": SEED_UUID,
    "title": "Campaign assets",
    "description": "For the agency",
    "items": NEW_ITEMS,
    "starts_at": "2025-01-01T09:00:00Z",
    "expires_at": "2025-12-31T23:59:59+01:00",
    "starts_tz": "Europe/Paris",
    "expires_tz": "America/New_York",
    "auth": [{"pass": "s3cret", "user": "agency"}],
    "show_starts_at": True,
    "show_expires_at": True,
}
PUID = "sY6mkuRLxuhXh81YccsLSwE0fu"


def _share(client: TestClient, headers: dict[str, str], path: str = SEED_PATH) -> Any:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.json()["share"]


def test_put_is_visible_to_get_and_list(client: TestClient, demo: dict[str, str]) -> None:
    updated = client.put(SEED_PATH, headers=demo, json=UPDATE).json()["share"]
    assert _share(client, demo) == updated
    assert client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"] == [updated]
    for key in ("title", "description", "items", "starts_at", "expires_at", "auth"):
        assert updated[key] == UPDATE[key], key
    assert (updated["starts_tz"], updated["expires_tz"]) == ("Europe/Paris", "America/New_York")


def test_omitted_fields_keep_their_values_and_items_are_replaced(
    client: TestClient, demo: dict[str, str]
) -> None:
    client.put(SEED_PATH, headers=demo, json=UPDATE)
    only_items = [{"identifiers": [FILE_A], "type": "file_uuid"}]
    share = client.put(
        SEED_PATH, headers=demo, json={"uuid": SEED_UUID, "items": only_items}
    ).json()["share"]
    assert share["items"] == only_items  # the list is replaced, not merged
    for key in ("title", "description", "starts_at", "expires_at", "starts_tz", "auth"):
        assert share[key] == UPDATE[key], key


def test_null_dates_remove_them(client: TestClient, demo: dict[str, str]) -> None:
    client.put(SEED_PATH, headers=demo, json=UPDATE)
    share = client.put(
        SEED_PATH,
        headers=demo,
        json={"uuid": SEED_UUID, "items": NEW_ITEMS, "starts_at": None, "expires_at": None},
    ).json()["share"]
    assert (share["starts_at"], share["expires_at"]) == (None, None)


def test_show_flags_are_stored_but_not_echoed(
    client: TestClient, demo: dict[str, str], app: Any
) -> None:
    share = client.put(SEED_PATH, headers=demo, json=UPDATE).json()["share"]
    assert "show_starts_at" not in share and "show_expires_at" not in share
    with app.runtime.database.reading() as conn:
        stored = store.sharebox_of_project(conn, "demo", SEED_UUID)
    assert stored is not None
    assert (stored.settings.show_starts_at, stored.settings.show_expires_at) == (True, True)


def test_share_uri_follows_the_title_and_ignores_the_body(
    client: TestClient, demo: dict[str, str]
) -> None:
    share = client.put(
        SEED_PATH,
        headers=demo,
        json={**UPDATE, "share_uri": "https://evil.example/x", "puid": "Zz" * 13},
    ).json()["share"]
    assert share["puid"] == PUID
    assert share["share_uri"] == (f"https://share.filerobot.com/token/v3/s/{PUID}/campaign-assets")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("My share link", "my-share-link"),
        ("My share link 08/17/2024 06:29 PM", "my-share-link-08-17-2024-06:29-pm"),
        ("  Café  Déjà-vu!! ", "cafe-deja-vu"),
        ("日本", "share"),
    ],
)
def test_slug(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_create_get_update_delete(client: TestClient, demo: dict[str, str]) -> None:
    created = client.post(
        "/filerobot/demo/v5/shares",
        headers=demo,
        json={"title": "Press kit 2025", "items": NEW_ITEMS, "expires_at": "2026-01-01T00:00:00Z"},
    )
    assert created.status_code == 200
    body = created.json()
    assert body["msg"] == "Your share was created successfully"
    share = body["share"]
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", share["uuid"]
    )
    assert re.fullmatch(r"[0-9A-Za-z]{26}", share["puid"])
    assert share["share_uri"] == (
        f"https://share.filerobot.com/demo/v3/s/{share['puid']}/press-kit-2025"
    )
    assert share["description"] == ""
    assert (share["starts_at"], share["expires_at"]) == (None, "2026-01-01T00:00:00Z")
    assert (share["starts_tz"], share["expires_tz"]) == ("UTC", "UTC")
    assert share["auth"] == [{"pass": None, "user": ""}]

    path = f"/filerobot/demo/v5/share/{share['uuid']}"
    assert _share(client, demo, path) == share
    listed = client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"]
    assert [s["uuid"] for s in listed] == [SEED_UUID, share["uuid"]]

    renamed = client.put(
        path, headers=demo, json={"uuid": share["uuid"], "title": "Renamed", "items": NEW_ITEMS}
    ).json()["share"]
    assert renamed["title"] == "Renamed"
    assert renamed["expires_at"] == "2026-01-01T00:00:00Z"

    deleted = client.delete(path, headers=demo)
    assert deleted.status_code == 200
    body = deleted.json()
    assert list(body) == ["status", "msg", "info", "api_version"]
    assert body["msg"] == f"Successfully deleted the share with uuid={share['uuid']}"
    assert client.get(path, headers=demo).status_code == 404
    assert client.delete(path, headers=demo).status_code == 404


def test_projects_are_isolated(
    client: TestClient, demo: dict[str, str], other: dict[str, str]
) -> None:
    other_before = _share(client, other, OTHER_PATH)
    demo_list = client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"]
    assert [s["uuid"] for s in demo_list] == [SEED_UUID]
    other_list = client.get("/filerobot/other/v5/shares", headers=other).json()["shares"]
    assert [s["uuid"] for s in other_list] == [OTHER_UUID]

    # Under its own token, demo cannot reach other's sharebox: it does not exist there.
    in_demo = f"/filerobot/demo/v5/share/{OTHER_UUID}"
    assert client.get(in_demo, headers=demo).status_code == 404
    update = {"uuid": OTHER_UUID, "title": "mine", "items": NEW_ITEMS}
    assert client.put(in_demo, headers=demo, json=update).status_code == 404
    assert client.delete(in_demo, headers=demo).status_code == 404
    assert _share(client, other, OTHER_PATH) == other_before

    # A sharebox demo creates is not in other's list either.
    client.post("/filerobot/demo/v5/shares", headers=demo, json={"title": "T", "items": NEW_ITEMS})
    assert len(client.get("/filerobot/other/v5/shares", headers=other).json()["shares"]) == 1


def test_other_fixture(client: TestClient, other: dict[str, str]) -> None:
    share = _share(client, other, OTHER_PATH)
    assert share["items"][0]["type"] == "folder_uuid"
    assert share["share_uri"].startswith("https://share.filerobot.com/other/v3/s/")
    assert share["auth"] == [{"pass": "press-2024", "user": ""}]


def test_restart_on_the_same_database_keeps_state(
    client: TestClient, settings: Settings, demo: dict[str, str]
) -> None:
    updated = client.put(SEED_PATH, headers=demo, json=UPDATE).json()["share"]
    with TestClient(create_app(settings)) as restarted:
        assert _share(restarted, demo) == updated


def test_reset_restores_the_fixtures(
    client: TestClient, settings: Settings, demo: dict[str, str]
) -> None:
    original = _share(client, demo)
    client.put(SEED_PATH, headers=demo, json=UPDATE)
    client.post("/filerobot/demo/v5/shares", headers=demo, json={"title": "T", "items": NEW_ITEMS})
    reset_all(open_database(settings, PROVIDERS), PROVIDERS)
    assert client.get("/filerobot/demo/v5/shares", headers=demo).json()["shares"] == [original]
