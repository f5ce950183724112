"""State persists: edits are visible to reads, lists and a restarted server, until a reset."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock.app import create_app
from sharemock.config import Settings
from sharemock.providers import PROVIDERS
from sharemock.providers.oracle.store import link_by_id
from sharemock.state import open_database, reset_all
from tests.conftest import FrozenClock
from tests.oracle.conftest import AA_FILE, AA_FOLDER, API, BB_FILE, BB_LINK, LINK, LINK_PATH

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends

EDIT = {
    "assignedUsers": "useraa, userbb@example.com",
    "role": "downloader",
    "password": "s3cret-code",
    "expirationTime": "2030-12-31T23:59:59",
}


def _file_links(client: TestClient, headers: dict[str, str], item: str = AA_FILE) -> Any:
    return client.get(f"{API}/file/{item}", headers=headers).json()


def test_put_is_visible_to_get_and_to_the_list(client: TestClient, aa: dict[str, str]) -> None:
    edited = client.put(LINK_PATH, headers=aa, json=EDIT).json()
    fetched = client.get(LINK_PATH, headers=aa).json()
    assert fetched == edited
    assert fetched["expirationTime"] == "2030-12-31T23:59:59Z"
    listed = _file_links(client, aa)
    assert listed["count"] == "1"
    assert listed["items"] == [{k: v for k, v in edited.items() if k != "errorCode"}]


def test_an_edit_changes_only_what_it_carries(
    client: TestClient, aa: dict[str, str], clock: FrozenClock
) -> None:
    client.put(LINK_PATH, headers=aa, json=EDIT)
    for field, value in [("role", "contributor"), ("assignedUsers", "@serviceinstance")]:
        before = client.get(LINK_PATH, headers=aa).json()
        after = client.put(LINK_PATH, headers=aa, json={field: value}).json()
        assert after[field] == value
        assert {k: v for k, v in after.items() if k != field} == {
            k: v for k, v in before.items() if k != field
        }
    # An empty body edits nothing but the modification time.
    clock.moment = clock.moment.replace(year=2040)
    unchanged = client.put(LINK_PATH, headers=aa, json={}).json()
    assert unchanged["lastModifiedTime"].startswith("2040-")
    assert unchanged["role"] == "contributor"


def test_empty_strings_clear_the_expiry_and_password(
    app: Any, client: TestClient, aa: dict[str, str]
) -> None:
    client.put(LINK_PATH, headers=aa, json=EDIT)
    cleared = client.put(LINK_PATH, headers=aa, json={"expirationTime": "", "password": ""})
    assert "expirationTime" not in cleared.json()
    with app.runtime.database.reading() as conn:
        stored = link_by_id(conn, LINK)
    assert stored is not None
    assert (stored.settings.password, stored.settings.expiration_time) == (None, None)


def test_create_get_edit_delete_on_a_file_and_a_folder(
    client: TestClient, aa: dict[str, str], clock: FrozenClock
) -> None:
    for kind, item in (("file", AA_FILE), ("folder", AA_FOLDER)):
        created = client.post(
            f"{API}/{kind}/{item}",
            headers=aa,
            json={"assignedUsers": "userbb", "linkName": f"{kind}-share"},
        )
        assert created.status_code == 200
        link = created.json()
        assert link["role"] == "viewer"  # the documented default
        assert (
            link["createdTime"]
            == link["lastModifiedTime"]
            == clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        assert link["ownedBy"]["id"] == "U0EAA20910FAF3052ACB79E4T00000000001"
        assert "expirationTime" not in link and "password" not in link
        link_id = link["linkID"]
        assert link_id.startswith("L") and len(link_id) == len(LINK)
        assert link.pop("id") == link_id  # the create answer's `id` is the link's

        listed = client.get(f"{API}/{kind}/{item}", headers=aa).json()
        assert (listed["id"], listed["type"]) == (item, kind)
        assert listed["items"][-1]["linkID"] == link_id
        assert listed["count"] == str(len(listed["items"]))

        path = f"{API}/{link_id}"
        assert client.get(path, headers=aa).json() == link
        client.put(path, headers=aa, json={"role": "contributor"})
        assert client.get(path, headers=aa).json()["role"] == "contributor"
        deleted = client.delete(path, headers=aa)
        assert deleted.json() == {"errorCode": "0", "linkID": link_id, "type": "publiclink"}
        assert client.get(path, headers=aa).status_code == 404
        assert link_id not in [
            i["linkID"] for i in client.get(f"{API}/{kind}/{item}", headers=aa).json()["items"]
        ]


def test_each_user_sees_only_their_own_links(
    client: TestClient, aa: dict[str, str], bb: dict[str, str]
) -> None:
    assert [i["linkID"] for i in _file_links(client, aa)["items"]] == [LINK]
    assert [i["linkID"] for i in _file_links(client, bb, BB_FILE)["items"]] == [BB_LINK]
    # User BB manages their own link freely.
    edited = client.put(f"{API}/{BB_LINK}", headers=bb, json={"role": "viewer"})
    assert edited.status_code == 200
    assert edited.json()["ownedBy"]["displayName"] == "User BB"
    assert client.get(LINK_PATH, headers=aa).json()["role"] == "viewer"


def test_restart_on_the_same_database_keeps_state(
    client: TestClient, settings: Settings, aa: dict[str, str]
) -> None:
    client.put(LINK_PATH, headers=aa, json=EDIT)
    created = client.post(
        f"{API}/folder/{AA_FOLDER}", headers=aa, json={"assignedUsers": "@everybody"}
    ).json()
    with TestClient(create_app(settings)) as restarted:
        link = restarted.get(LINK_PATH, headers=aa).json()
        folder = restarted.get(f"{API}/folder/{AA_FOLDER}", headers=aa).json()
    assert (link["role"], link["assignedUsers"]) == ("downloader", EDIT["assignedUsers"])
    assert [item["linkID"] for item in folder["items"]] == [created["linkID"]]


def test_reset_restores_the_fixtures(
    client: TestClient, settings: Settings, aa: dict[str, str]
) -> None:
    client.put(LINK_PATH, headers=aa, json=EDIT)
    client.delete(LINK_PATH, headers=aa)
    reset_all(open_database(settings, PROVIDERS), PROVIDERS)
    link = client.get(LINK_PATH, headers=aa).json()
    assert (link["role"], link["lastModifiedTime"]) == ("viewer", "2015-06-10T22:01:08Z")
    assert "expirationTime" not in link


def test_memory_database_serves_too(aa: dict[str, str]) -> None:
    with TestClient(create_app(Settings(db_path=":memory:"))) as memory_client:
        assert memory_client.put(LINK_PATH, headers=aa, json=EDIT).status_code == 200
        assert memory_client.get(LINK_PATH, headers=aa).json()["role"] == "downloader"


def test_a_final_newline_the_contract_lets_through_is_not_stored(
    client: TestClient, aa: dict[str, str]
) -> None:
    # JSON Schema's `$` (Python's re) matches before a final newline; the value is kept without.
    body = {"assignedUsers": "useraa\n", "expirationTime": "2016-02-15T01:02:03\n"}
    response = client.put(LINK_PATH, headers=aa, json=body)
    assert response.status_code == 200
    link = response.json()
    assert (link["assignedUsers"], link["expirationTime"]) == ("useraa", "2016-02-15T01:02:03Z")
