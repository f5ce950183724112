"""Every documented KooDrive error: its HTTP status and its native `{code, msg}` body."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock.providers.koodrive.fixtures import DEMO_SPACE, OTHER_SPACE
from tests.koodrive.conftest import API, DEMO_SHARE

INVALID = {"code": "13000102", "msg": "Verify parameters failed."}
NOT_FOUND = {"code": "13000309", "msg": "The resource does not exist."}
SPACE_NOT_FOUND = {"code": "13000301", "msg": "The space does not exist or is abnormal."}
FILE_NOT_IN_SPACE = {"code": "13000302", "msg": "The file is not in the specified space."}
NO_SPACE_PERMISSION = {
    "code": "13000410",
    "msg": "The current user has no permission to operate the space.",
}
NO_SUCH_API = {
    "code": "APIGW.0101",
    "msg": "The API does not exist or has not been published in the environment.",
}
DEMO_FILE = "FumFysUZDLUEAGaRDVyFC76wn87hIwVpB"
OTHER_FILE = "FbX9kLm2nQ4rS6tU8vW0yZ1aB3cD5eF7g"
VALID_CREATE = {"fileIds": [DEMO_FILE], "containerId": DEMO_SPACE, "scope": 1, "validDays": 7}


def _stored(client: TestClient, headers: dict[str, str]) -> Any:
    return client.get(API, headers=headers).json()["shareLinks"]


@pytest.mark.parametrize(
    "body",
    [
        {},  # validDays is required
        {"extractCode": "MDg2K0vU"},
        {"validDays": -1},
        {"validDays": 366},
        {"validDays": "9"},
        {"validDays": 9.5},
        {"validDays": True},
        {"validDays": None},
        {"validDays": 2**63},
        {"validDays": 9, "extractCode": "MDg2K0v"},  # 7 characters
        {"validDays": 9, "extractCode": "MDg2K0vUx"},  # 9 characters
        {"validDays": 9, "extractCode": "MDg2K0v!"},
        {"validDays": 9, "extractCode": "MDg2K0vé"},
        {"validDays": 9, "extractCode": ""},
        {"validDays": 9, "comment": "x" * 512},
        {"validDays": 9, "comment": 123},
        {"validDays": 9, "expireTime": 5},
        {"validDays": 9, "expireTime": "x" * 65},
        {"validDays": 9, "shareId": "1"},  # not a field of the contract
        [],
        "validDays",
    ],
)
def test_update_bad_body_is_400_and_changes_nothing(
    client: TestClient, demo: dict[str, str], body: Any
) -> None:
    before = client.get(f"{API}/{DEMO_SHARE}", headers=demo).json()
    response = client.put(f"{API}/{DEMO_SHARE}", headers=demo, json=body)
    assert response.status_code == 400
    assert response.json() == INVALID
    assert response.headers["X-Sharemock-Detail"]
    assert client.get(f"{API}/{DEMO_SHARE}", headers=demo).json() == before


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        ('{"validDays": 9', "application/json"),  # not JSON
        ("", "application/json"),  # no body
        ('{"validDays": "\\ud800"}', "application/json"),  # unpaired surrogate
        ("validDays=9", "text/plain"),
        ("validDays=9", "application/x-www-form-urlencoded"),
    ],
)
def test_update_unreadable_body_is_400(
    client: TestClient, demo: dict[str, str], content: str, content_type: str
) -> None:
    response = client.put(
        f"{API}/{DEMO_SHARE}", headers={**demo, "Content-Type": content_type}, content=content
    )
    assert response.status_code == 400
    assert response.json() == INVALID


@pytest.mark.parametrize(
    "changes",
    [
        {"fileIds": None},
        {"fileIds": []},
        {"fileIds": [DEMO_FILE] * 2},  # the same file twice
        {"fileIds": [f"F{i}" for i in range(101)]},
        {"fileIds": ["not/an/id"]},
        {"fileIds": DEMO_FILE},
        {"containerId": ""},
        {"containerId": "x" * 65},
        {"scope": 0},  # the enterprise edition's request example sends 0
        {"scope": 4},
        {"validDays": 0},  # creating takes 1 to 365
        {"validDays": 366},
        {"extractCode": "short"},
        {"comment": "x" * 512},
        {"expireTime": "2025-05-27 01:37:49"},  # not a field of the contract
    ],
)
def test_create_bad_body_is_400(
    client: TestClient, demo: dict[str, str], changes: dict[str, Any]
) -> None:
    body = {k: v for k, v in {**VALID_CREATE, **changes}.items() if v is not None}
    response = client.post(API, headers=demo, json=body)
    assert response.status_code == 400
    assert response.json() == INVALID
    assert len(_stored(client, demo)) == 1


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"containerId": "IAAB5thdWzxEoAsiA0000000000000000000"}, SPACE_NOT_FOUND),
        ({"containerId": OTHER_SPACE, "fileIds": [OTHER_FILE]}, NO_SPACE_PERMISSION),
        ({"fileIds": [OTHER_FILE]}, FILE_NOT_IN_SPACE),  # another space's file
        ({"fileIds": [DEMO_FILE, "FnoSuchFile000000000000000000000"]}, FILE_NOT_IN_SPACE),
    ],
)
def test_create_with_spaces_and_files_one_cannot_share_is_400(
    client: TestClient,
    demo: dict[str, str],
    other: dict[str, str],
    changes: dict[str, Any],
    error: dict[str, str],
) -> None:
    others_before = _stored(client, other)
    response = client.post(API, headers=demo, json={**VALID_CREATE, **changes})
    assert response.status_code == 400
    assert response.json() == error
    assert len(_stored(client, demo)) == 1
    assert _stored(client, other) == others_before


@pytest.mark.parametrize(
    "query",
    [
        "pageSize=0",
        "pageSize=101",
        "pageSize=ten",
        "pageCursor=-1",
        "pageCursor=abc",
        "pageCursor=1234567890",
        "sortType=1",
        "sortDirection=3",
        "displayName=",
        "shareId=1",  # not a parameter of the contract
    ],
)
def test_list_bad_query_is_400(client: TestClient, demo: dict[str, str], query: str) -> None:
    response = client.get(f"{API}?{query}", headers=demo)
    assert response.status_code == 400
    assert response.json() == INVALID


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"shareIds": []},
        {"shareIds": DEMO_SHARE},
        {"shareIds": [int(DEMO_SHARE)]},
        {"shareIds": ["abc"]},
        {"shareIds": [str(n) for n in range(101)]},
        {"shareIds": [DEMO_SHARE], "force": True},
    ],
)
def test_cancel_bad_body_is_400_and_cancels_nothing(
    client: TestClient, demo: dict[str, str], body: Any
) -> None:
    response = client.post(f"{API}/cancel", headers=demo, json=body)
    assert response.status_code == 400
    assert response.json() == INVALID
    assert client.get(f"{API}/{DEMO_SHARE}", headers=demo).status_code == 200


@pytest.mark.parametrize("bad_id", ["abc", "-1", "1.5", "1" * 33, "%20", "1689743054514187776x"])
@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_bad_share_id_is_400(
    client: TestClient, demo: dict[str, str], method: str, bad_id: str
) -> None:
    response = client.request(method, f"{API}/{bad_id}", headers=demo, json={"validDays": 1})
    assert response.status_code == 400
    assert response.json() == INVALID


@pytest.mark.parametrize("share_id", ["1", "1000000000000000000", "9" * 32])
def test_unknown_share_is_400_13000309(
    client: TestClient, demo: dict[str, str], share_id: str
) -> None:
    for method in ("GET", "PUT"):
        response = client.request(method, f"{API}/{share_id}", headers=demo, json={"validDays": 1})
        assert response.status_code == 400
        assert response.json() == NOT_FOUND


def test_unknown_route_and_method_keep_the_code_msg_shape(
    client: TestClient, demo: dict[str, str]
) -> None:
    response = client.get("/koodrive/koodrive/ose/v1/nothing-here", headers=demo)
    assert response.status_code == 404
    assert response.json() == NO_SUCH_API

    response = client.delete(f"{API}/{DEMO_SHARE}", headers=demo)
    assert response.status_code == 405
    assert response.json() == NO_SUCH_API
    assert response.headers["Allow"] == "GET, PUT"

    response = client.request("TRACE", API, headers=demo)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "OPTIONS"])
def test_cancel_path_is_not_a_share_id(
    client: TestClient, demo: dict[str, str], method: str
) -> None:
    """`/share/cancel` is a concrete path: other methods are 405, not a share called 'cancel'."""
    response = client.request(method, f"{API}/cancel", headers=demo, json={"validDays": 1})
    assert response.status_code == 405
    assert response.json() == NO_SUCH_API
    assert response.headers["Allow"] == "POST"


def _refuse_writes(app: Any, event: str) -> Any:
    database = app.runtime.database
    database.install(
        f"CREATE TRIGGER IF NOT EXISTS refuse BEFORE {event} ON koodrive_shares"
        " BEGIN SELECT RAISE(ABORT, 'disk says no'); END;"
    )
    return database


def test_storage_failure_on_update_is_500_and_changes_nothing(
    client: TestClient, demo: dict[str, str], app: Any
) -> None:
    before = client.get(f"{API}/{DEMO_SHARE}", headers=demo).json()
    database = _refuse_writes(app, "UPDATE")
    response = client.put(f"{API}/{DEMO_SHARE}", headers=demo, json={"validDays": 3})
    assert response.status_code == 500
    assert response.json() == {"code": "13000000", "msg": "Internal server error."}
    assert "disk says no" in response.headers["X-Sharemock-Detail"]
    database.install("DROP TRIGGER refuse;")
    assert client.get(f"{API}/{DEMO_SHARE}", headers=demo).json() == before


def test_storage_failure_on_cancel_rolls_every_id_back(
    client: TestClient, demo: dict[str, str], app: Any
) -> None:
    created = client.post(API, headers=demo, json=VALID_CREATE).json()["shareLink"]["shareId"]
    database = _refuse_writes(app, "DELETE")
    response = client.post(f"{API}/cancel", headers=demo, json={"shareIds": [DEMO_SHARE, created]})
    assert response.status_code == 500
    assert response.json()["code"] == "13000000"
    database.install("DROP TRIGGER refuse;")
    assert len(_stored(client, demo)) == 2


def test_storage_failure_on_create_is_500(
    client: TestClient, demo: dict[str, str], app: Any
) -> None:
    database = _refuse_writes(app, "INSERT")
    response = client.post(API, headers=demo, json=VALID_CREATE)
    assert response.status_code == 500
    assert response.json()["code"] == "13000000"
    database.install("DROP TRIGGER refuse;")
    assert len(_stored(client, demo)) == 1


@pytest.mark.parametrize("path", [f"{API}/12%0A34", f"{API}/1689743054514187776%0A", f"{API}/%0A"])
def test_a_newline_in_the_path_is_no_route_not_a_500(
    client: TestClient, demo: dict[str, str], path: str
) -> None:
    for method in ("GET", "PUT"):
        response = client.request(method, path, headers=demo, json={"validDays": 1})
        assert response.status_code == 404
        assert response.json() == NO_SUCH_API
