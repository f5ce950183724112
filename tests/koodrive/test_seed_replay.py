"""Black-box: seed 004's example request, sent verbatim, answers with its example response.

Seed 004 (`../shared/seeds/004_bb159b35898a6465.txt`): KooDrive "Modify sharing settings",
`PUT /koodrive/ose/v1/share/{shareId}`, mounted here below the `/koodrive` prefix.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from starlette.testclient import TestClient

from tests.conftest import FrozenClock
from tests.koodrive.conftest import API, DEMO_SHARE, SEED_MOMENT

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends

# Seed 004's example request body, byte for byte (with the `expireTime` its table omits).
SEED_BODY = """{
"expireTime" : "2025-05-29T02:00:39.952Z",
"extractCode" : "MDg2K0vU",
"comment" : "123",
"validDays" : 9
}"""

# Seed 004's example response, byte for byte.
SEED_RESPONSE = """{
"shareLink" : {
"shareId" : "1689743054514187776",
"shortUrl" : "1689743054514187777",
"linkUrl" : "1689743054514187777",
"shareTime" : "2025-05-20T01:37:49.052Z",
"expireTime" : "2025-05-29T02:17:41.222Z",
"scope" : 1,
"extractCode" : "MDg2K0vU",
"displayName" : "jpeg_20250513_103635.jpeg",
"status" : 0,
"comment" : "123",
"ownerId" : "1681759180324844417",
"containerId" : "IAAB5thdWzxEoAsiA1681759183084696448",
"viewCnt" : 0,
"downloadCnt" : 0,
"saveCnt" : 0,
"updateTime" : "2025-05-20T02:17:41.222Z"
},
"code" : 0,
"msg" : "Success."
}"""

# Seed 004's response table: the one `shareLink` field its example leaves out.
TABLE_ONLY_FIELDS = {"createTime"}
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def _instant(text: str) -> datetime:
    assert text.endswith("Z") and len(text) == 24, text
    return datetime.strptime(text[:-1], TIME_FORMAT)


def _send_seed_request(client: TestClient, demo: dict[str, str]) -> dict[str, object]:
    response = client.put(
        f"{API}/{DEMO_SHARE}",
        headers={**demo, "Content-Type": "application/json"},
        content=SEED_BODY,
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body: dict[str, object] = response.json()
    return body


def test_seed_004_modify_sharing_settings(client: TestClient, demo: dict[str, str]) -> None:
    """At the seed's moment the answer is the seed's example, value for value."""
    body = _send_seed_request(client, demo)
    expected = json.loads(SEED_RESPONSE)

    assert list(body) == list(expected)  # shareLink, code, msg - in the example's order
    assert (body["code"], body["msg"]) == (0, "Success.")
    assert type(body["code"]) is int
    share_link = body["shareLink"]
    assert isinstance(share_link, dict)
    assert list(share_link)[: len(expected["shareLink"])] == list(expected["shareLink"])
    assert set(share_link) == set(expected["shareLink"]) | TABLE_ONLY_FIELDS
    for field, value in expected["shareLink"].items():
        assert share_link[field] == value, field
        assert type(share_link[field]) is type(value), field
    # createTime (table only): the share was created when it was first shared.
    assert share_link["createTime"] == share_link["shareTime"]


def test_seed_004_expiry_is_update_time_plus_valid_days(
    client: TestClient, demo: dict[str, str], clock: FrozenClock
) -> None:
    """At any other moment: expireTime = updateTime + 9 days; the body's expireTime is ignored."""
    clock.moment = SEED_MOMENT + timedelta(days=3, hours=5, microseconds=987654)
    share_link = _send_seed_request(client, demo)["shareLink"]
    assert isinstance(share_link, dict)

    update_time = _instant(share_link["updateTime"])
    assert share_link["updateTime"] == "2025-05-23T07:17:42.209Z"  # the clock, to the ms
    assert _instant(share_link["expireTime"]) == update_time + timedelta(days=9)
    assert share_link["expireTime"] != json.loads(SEED_BODY)["expireTime"]
    assert share_link["shareTime"] == "2025-05-20T01:37:49.052Z"  # unchanged by an update


def test_seed_004_answer_is_what_get_returns(client: TestClient, demo: dict[str, str]) -> None:
    updated = _send_seed_request(client, demo)["shareLink"]
    fetched = client.get(f"{API}/{DEMO_SHARE}", headers=demo).json()
    assert fetched == {"shareLink": updated, "code": 0, "msg": "Success."}
