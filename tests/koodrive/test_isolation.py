"""Ownership: a user sees and changes only their own shares; another's look like no share."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.koodrive.conftest import API, DEMO_SHARE, OTHER_SHARE

NOT_FOUND = {"code": "13000309", "msg": "The resource does not exist."}


def test_list_shows_only_the_callers_shares(
    client: TestClient, demo: dict[str, str], other: dict[str, str]
) -> None:
    demos = client.get(API, headers=demo).json()["shareLinks"]
    others = client.get(API, headers=other).json()["shareLinks"]
    assert [s["shareId"] for s in demos] == [DEMO_SHARE]
    assert [s["shareId"] for s in others] == [OTHER_SHARE]
    assert {s["ownerId"] for s in demos} == {"1681759180324844417"}
    assert {s["ownerId"] for s in others} == {"1702450318930124801"}


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_another_users_share_answers_like_a_missing_one(
    client: TestClient, demo: dict[str, str], other: dict[str, str], method: str
) -> None:
    before = client.get(f"{API}/{OTHER_SHARE}", headers=other).json()
    body = {"validDays": 365, "extractCode": "Stolen00", "comment": "mine now"}

    theirs = client.request(method, f"{API}/{OTHER_SHARE}", headers=demo, json=body)
    missing = client.request(method, f"{API}/1000000000000000000", headers=demo, json=body)

    assert theirs.status_code == missing.status_code == 400
    assert theirs.json() == missing.json() == NOT_FOUND
    assert client.get(f"{API}/{OTHER_SHARE}", headers=other).json() == before


def test_cancel_leaves_another_users_share_alone(
    client: TestClient, demo: dict[str, str], other: dict[str, str]
) -> None:
    before = client.get(f"{API}/{OTHER_SHARE}", headers=other).json()
    response = client.post(f"{API}/cancel", headers=demo, json={"shareIds": [OTHER_SHARE]})
    assert response.status_code == 200
    assert response.json()["subResponseList"] == [
        {"shareId": OTHER_SHARE, "code": 13000309, "msg": "The resource does not exist."}
    ]
    assert client.get(f"{API}/{OTHER_SHARE}", headers=other).json() == before


def test_a_new_share_belongs_to_its_creator(
    client: TestClient, demo: dict[str, str], other: dict[str, str]
) -> None:
    created = client.post(
        API,
        headers=other,
        json={
            "fileIds": ["FbX9kLm2nQ4rS6tU8vW0yZ1aB3cD5eF7g"],
            "containerId": "IAAB5thdWzxEoAsiA1702450320551849728",
            "scope": 2,
            "validDays": 1,
        },
    ).json()["shareLink"]
    assert created["ownerId"] == "1702450318930124801"
    assert client.get(f"{API}/{created['shareId']}", headers=demo).json() == NOT_FOUND
    assert created["shareId"] not in {
        s["shareId"] for s in client.get(API, headers=demo).json()["shareLinks"]
    }
