"""State: writes are visible to later reads, survive a restart, and follow KooDrive's rules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock.app import create_app
from sharemock.config import Settings
from sharemock.providers import PROVIDERS
from sharemock.providers.koodrive.fixtures import DEMO_SPACE
from sharemock.state import open_database, reset_all
from tests.conftest import FrozenClock
from tests.koodrive.conftest import API, DEMO_SHARE, SEED_MOMENT

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends

UPDATE = {"validDays": 30, "extractCode": "Zz9Yy8Xx", "comment": "for the auditors"}
FILES = {
    "jpeg": "FumFysUZDLUEAGaRDVyFC76wn87hIwVpB",
    "pdf": "FkT3xQp8cWmZ0aLrVb2nDy6sHe4uJi9oN",
    "png": "Fq7RwYb1nLsK4dGhZx8cVm2pTa5eUj0iO",
}


def _share(client: TestClient, headers: dict[str, str], share_id: str = DEMO_SHARE) -> Any:
    response = client.get(f"{API}/{share_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["shareLink"]


def _create(client: TestClient, headers: dict[str, str], **fields: Any) -> Any:
    body = {"fileIds": [FILES["pdf"]], "containerId": DEMO_SPACE, "scope": 1, "validDays": 7}
    response = client.post(API, headers=headers, json={**body, **fields})
    assert response.status_code == 200, response.text
    assert (response.json()["code"], response.json()["msg"]) == (0, "Success.")
    return response.json()["shareLink"]


def test_put_is_visible_to_get_and_list(client: TestClient, demo: dict[str, str]) -> None:
    updated = client.put(f"{API}/{DEMO_SHARE}", headers=demo, json=UPDATE).json()["shareLink"]
    assert (updated["extractCode"], updated["comment"]) == ("Zz9Yy8Xx", "for the auditors")
    assert _share(client, demo) == updated
    assert client.get(API, headers=demo).json()["shareLinks"] == [updated]


def test_restart_on_the_same_database_keeps_state(
    client: TestClient, settings: Settings, demo: dict[str, str]
) -> None:
    updated = client.put(f"{API}/{DEMO_SHARE}", headers=demo, json=UPDATE).json()["shareLink"]
    created = _create(client, demo)
    with TestClient(create_app(settings)) as restarted:
        assert _share(restarted, demo) == updated
        assert _share(restarted, demo, created["shareId"]) == created


def test_reset_restores_the_fixtures(
    client: TestClient, settings: Settings, demo: dict[str, str]
) -> None:
    original = _share(client, demo)
    client.put(f"{API}/{DEMO_SHARE}", headers=demo, json=UPDATE)
    client.post(f"{API}/cancel", headers=demo, json={"shareIds": [DEMO_SHARE]})
    reset_all(open_database(settings, PROVIDERS), PROVIDERS)
    assert _share(client, demo) == original


def test_update_keeps_what_it_does_not_send(
    client: TestClient, demo: dict[str, str], clock: FrozenClock
) -> None:
    client.put(f"{API}/{DEMO_SHARE}", headers=demo, json=UPDATE)
    clock.moment += timedelta(hours=1)
    share = client.put(f"{API}/{DEMO_SHARE}", headers=demo, json={"validDays": 2}).json()[
        "shareLink"
    ]
    assert (share["extractCode"], share["comment"]) == ("Zz9Yy8Xx", "for the auditors")
    assert share["updateTime"] == "2025-05-20T03:17:41.222Z"
    assert share["expireTime"] == "2025-05-22T03:17:41.222Z"


def test_valid_days_zero_keeps_the_expiry(
    client: TestClient, demo: dict[str, str], clock: FrozenClock
) -> None:
    before = _share(client, demo)
    clock.moment += timedelta(days=1)
    share = client.put(f"{API}/{DEMO_SHARE}", headers=demo, json={"validDays": 0}).json()[
        "shareLink"
    ]
    assert share["expireTime"] == before["expireTime"] == "2025-05-27T01:37:49.052Z"
    assert share["updateTime"] == "2025-05-21T02:17:41.222Z"
    assert {k: v for k, v in share.items() if k != "updateTime"} == {
        k: v for k, v in before.items() if k != "updateTime"
    }


def test_an_expired_share_can_be_renewed(
    client: TestClient, demo: dict[str, str], clock: FrozenClock
) -> None:
    clock.moment = SEED_MOMENT + timedelta(days=400)  # long past 2025-05-27
    share = client.put(f"{API}/{DEMO_SHARE}", headers=demo, json={"validDays": 365}).json()[
        "shareLink"
    ]
    assert share["expireTime"] == "2027-06-24T02:17:41.222Z"
    assert share["status"] == 0


def test_create_get_update_cancel(client: TestClient, demo: dict[str, str]) -> None:
    created = _create(client, demo, extractCode="AbCd1234", comment="hello", scope=2)
    share_id = created["shareId"]
    assert len(share_id) == 19 and share_id.isdigit()
    assert created["shortUrl"] == created["linkUrl"] == str(int(share_id) + 1)
    assert created["shareTime"] == created["createTime"] == created["updateTime"]
    assert created["shareTime"] == "2025-05-20T02:17:41.222Z"
    assert created["expireTime"] == "2025-05-27T02:17:41.222Z"
    assert (created["scope"], created["status"]) == (2, 0)
    assert (created["extractCode"], created["comment"]) == ("AbCd1234", "hello")
    assert created["displayName"] == "quarterly_report.pdf"
    assert (created["viewCnt"], created["downloadCnt"], created["saveCnt"]) == (0, 0, 0)
    assert _share(client, demo, share_id) == created

    client.put(f"{API}/{share_id}", headers=demo, json={"validDays": 1, "comment": "bye"})
    assert _share(client, demo, share_id)["comment"] == "bye"

    cancelled = client.post(f"{API}/cancel", headers=demo, json={"shareIds": [share_id]})
    assert cancelled.status_code == 200
    assert cancelled.json() == {
        "subResponseList": [{"shareId": share_id, "code": 0, "msg": "success"}],
        "code": 0,
        "msg": "Success.",
    }
    gone = client.get(f"{API}/{share_id}", headers=demo)
    assert (gone.status_code, gone.json()["code"]) == (400, "13000309")
    again = client.post(f"{API}/cancel", headers=demo, json={"shareIds": [share_id]})
    assert again.json()["subResponseList"][0]["code"] == 13000309


def test_create_without_access_code_or_message(client: TestClient, demo: dict[str, str]) -> None:
    created = _create(client, demo)
    assert (created["extractCode"], created["comment"]) == ("", "")


def test_a_multi_file_share_is_named_after_its_first_file(
    client: TestClient, demo: dict[str, str]
) -> None:
    created = _create(client, demo, fileIds=[FILES["png"], FILES["jpeg"], FILES["pdf"]])
    assert created["displayName"] == "team_photo.png and other files"


def test_cancel_answers_per_id_in_order(client: TestClient, demo: dict[str, str]) -> None:
    created = _create(client, demo)["shareId"]
    ids = [DEMO_SHARE, "1000000000000000000", created, DEMO_SHARE]
    results = client.post(f"{API}/cancel", headers=demo, json={"shareIds": ids}).json()
    assert [(r["shareId"], r["code"]) for r in results["subResponseList"]] == [
        (DEMO_SHARE, 0),
        ("1000000000000000000", 13000309),
        (created, 0),
        (DEMO_SHARE, 13000309),  # already cancelled by the first entry
    ]
    assert client.get(API, headers=demo).json()["shareLinks"] == []


def test_list_pages_by_share_time(
    client: TestClient, demo: dict[str, str], clock: FrozenClock
) -> None:
    created = []
    for _ in range(5):
        clock.moment += timedelta(minutes=1)
        created.append(_create(client, demo)["shareId"])
    newest_first = [*reversed(created), DEMO_SHARE]

    seen, cursor, pages = [], "0", 0
    while True:
        page = client.get(API, headers=demo, params={"pageSize": 2, "pageCursor": cursor}).json()
        pages += 1
        seen += [s["shareId"] for s in page["shareLinks"]]
        if "nextCursor" not in page:
            break
        cursor = page["nextCursor"]
    assert (seen, pages) == (newest_first, 3)

    oldest_first = client.get(API, headers=demo, params={"sortDirection": 1}).json()
    assert [s["shareId"] for s in oldest_first["shareLinks"]] == list(reversed(newest_first))
    assert "nextCursor" not in oldest_first  # pageSize defaults to 100

    exact = client.get(API, headers=demo, params={"pageSize": 6}).json()
    assert len(exact["shareLinks"]) == 6 and "nextCursor" not in exact
    past_the_end = client.get(API, headers=demo, params={"pageCursor": "50"}).json()
    assert past_the_end == {"shareLinks": [], "code": 0, "msg": "Success."}


def test_list_filters_by_display_name(client: TestClient, demo: dict[str, str]) -> None:
    _create(client, demo, fileIds=[FILES["png"]])
    found = client.get(API, headers=demo, params={"displayName": "JPEG_2025"}).json()
    assert [s["shareId"] for s in found["shareLinks"]] == [DEMO_SHARE]
    literal = client.get(API, headers=demo, params={"displayName": "%"}).json()
    assert literal["shareLinks"] == []  # wildcards are plain text


def test_timestamps_are_utc_milliseconds(
    client: TestClient, demo: dict[str, str], clock: FrozenClock
) -> None:
    clock.moment = datetime(2025, 6, 1, 10, 0, 0, 5999, tzinfo=timezone(timedelta(hours=8)))
    share = _create(client, demo)
    for field in ("shareTime", "createTime", "updateTime"):
        assert share[field] == "2025-06-01T02:00:00.005Z", field  # UTC, cut to the millisecond
    assert share["expireTime"] == "2025-06-08T02:00:00.005Z"


def test_memory_database_serves_too(demo: dict[str, str]) -> None:
    with TestClient(create_app(Settings(db_path=":memory:"))) as memory_client:
        response = memory_client.put(f"{API}/{DEMO_SHARE}", headers=demo, json=UPDATE)
        assert response.status_code == 200
        assert _share(memory_client, demo)["comment"] == "for the auditors"
