"""State persists: writes are visible to later reads, across a restart, until a reset."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from sharemock.app import create_app
from sharemock.config import Settings
from sharemock.providers import PROVIDERS
from sharemock.state import open_database, reset_all

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends

UPDATE = {"name": "Renamed", "ips": ["10.0.0.50"], "ttl": 30, "enableTTL": True}


def test_put_is_visible_to_get(client: TestClient, john: dict[str, str]) -> None:
    updated = client.put("/defdrive/api/access/456", headers=john, json=UPDATE).json()["access"]
    fetched = client.get("/defdrive/api/accesses/456", headers=john).json()["access"]
    assert fetched == updated
    listed = client.get("/defdrive/api/files/42/accesses", headers=john).json()["accesses"]
    assert updated in listed


def test_update_replaces_every_settable_field(client: TestClient, john: dict[str, str]) -> None:
    client.put("/defdrive/api/access/456", headers=john, json=UPDATE)
    access = client.put("/defdrive/api/access/456", headers=john, json={"public": True}).json()[
        "access"
    ]
    assert access["name"] == ""
    assert access["ips"] == []
    assert (access["ttl"], access["enableTTL"]) == (0, False)
    assert access["link"] == "0c2a8e5b9f6d4e1a8b7c3d2e1f0a9b8c"


def test_toggle_is_visible_in_file_list(client: TestClient, john: dict[str, str]) -> None:
    client.put("/defdrive/api/files/42/access", headers=john, json={"public": True})
    assert client.get("/defdrive/api/files", headers=john).json()["files"][0]["public"] is True


def test_create_get_update_delete(client: TestClient, john: dict[str, str]) -> None:
    created = client.post(
        "/defdrive/api/files/42/accesses", headers=john, json={"name": "Partner", "public": True}
    )
    assert created.status_code == 200
    body = created.json()
    access_id, link = body["access"]["id"], body["access"]["link"]
    assert body["link"].endswith(f"/defdrive/link/{link}")
    assert len(link) == 32 and int(link, 16) >= 0

    path = f"/defdrive/api/accesses/{access_id}"
    assert client.get(path, headers=john).json()["access"]["name"] == "Partner"
    client.put(f"/defdrive/api/access/{access_id}", headers=john, json={"name": "Partner 2"})
    assert client.get(path, headers=john).json()["access"]["name"] == "Partner 2"
    deleted = client.delete(path, headers=john)
    assert deleted.json() == {"message": "Access deleted successfully"}
    assert client.get(path, headers=john).status_code == 404


def test_deleted_access_ids_are_never_reused(client: TestClient, john: dict[str, str]) -> None:
    first = client.post("/defdrive/api/files/42/accesses", headers=john, json={}).json()
    client.delete(f"/defdrive/api/accesses/{first['access']['id']}", headers=john)
    second = client.post("/defdrive/api/files/42/accesses", headers=john, json={}).json()
    assert second["access"]["id"] > first["access"]["id"]
    gone = client.get(f"/defdrive/api/accesses/{first['access']['id']}", headers=john)
    assert gone.status_code == 404


def test_restart_on_the_same_database_keeps_state(
    client: TestClient, settings: Settings, john: dict[str, str]
) -> None:
    client.put("/defdrive/api/access/456", headers=john, json=UPDATE)
    with TestClient(create_app(settings)) as restarted:
        access = restarted.get("/defdrive/api/accesses/456", headers=john).json()["access"]
    assert access["name"] == "Renamed"


def test_reset_restores_the_fixtures(
    client: TestClient, settings: Settings, john: dict[str, str]
) -> None:
    client.put("/defdrive/api/access/456", headers=john, json=UPDATE)
    client.delete("/defdrive/api/accesses/456", headers=john)
    reset_all(open_database(settings, PROVIDERS), PROVIDERS)
    access = client.get("/defdrive/api/accesses/456", headers=john).json()["access"]
    assert access["name"] == "Team Access"


def test_memory_database_serves_too(john: dict[str, str]) -> None:
    with TestClient(create_app(Settings(db_path=":memory:"))) as memory_client:
        response = memory_client.put("/defdrive/api/access/456", headers=john, json=UPDATE)
        assert response.status_code == 200
        again = memory_client.get("/defdrive/api/accesses/456", headers=john)
        assert again.json()["access"]["name"] == "Renamed"
