"""`GET /link/{hash}` enforces the access's restrictions in the implementation's order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import FrozenClock

LINK_456 = "0c2a8e5b9f6d4e1a8b7c3d2e1f0a9b8c"


def _publish_file(client: TestClient, john: dict[str, str]) -> None:
    response = client.put("/defdrive/api/files/42/access", headers=john, json={"public": True})
    assert response.status_code == 200


def _configure(client: TestClient, john: dict[str, str], **settings: Any) -> str:
    body = {"public": True, **settings}
    response = client.put("/defdrive/api/access/456", headers=john, json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["access"]["link"])


def _download(client: TestClient, link: str, ip: str = "10.0.0.50") -> Any:
    return client.get(f"/defdrive/link/{link}", headers={"X-Forwarded-For": ip})


def test_unknown_link_is_404(client: TestClient) -> None:
    response = client.get("/defdrive/link/ffffffffffffffffffffffffffffffff")
    assert response.status_code == 404
    assert response.json() == {"error": "Access link not found"}


def test_private_file_refuses_even_a_public_link(client: TestClient) -> None:
    response = _download(client, LINK_456)
    assert response.status_code == 403
    assert response.json() == {"error": "Access denied: file or access is not public"}


def test_public_file_and_link_download_the_file(client: TestClient, john: dict[str, str]) -> None:
    _publish_file(client, john)
    response = _download(client, LINK_456)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == 'attachment; filename="document.pdf"'
    assert len(response.content) == 2048576


@pytest.mark.parametrize(
    ("restriction", "ip", "message"),
    [
        ({"public": False}, "10.0.0.50", "Access denied: file or access is not public"),
        ({"subnets": ["192.168.1.0/24"]}, "10.0.0.50", "Access restricted to specific subnets"),
        ({"ips": ["10.0.0.51"]}, "10.0.0.50", "Access restricted to specific IPs"),
        ({"expires": "2020-01-01T00:00:00Z"}, "10.0.0.50", "Access link has expired"),
    ],
)
def test_each_restriction_refuses_with_its_message(
    client: TestClient, john: dict[str, str], restriction: dict[str, Any], ip: str, message: str
) -> None:
    _publish_file(client, john)
    link = _configure(client, john, **restriction)
    response = _download(client, link, ip)
    assert response.status_code == 403
    assert response.json() == {"error": message}


def test_subnets_and_ips_are_both_required(client: TestClient, john: dict[str, str]) -> None:
    _publish_file(client, john)
    link = _configure(client, john, subnets=["10.0.0.0/8"], ips=["10.0.0.51"])
    assert _download(client, link, "10.0.0.51").status_code == 200
    assert _download(client, link, "10.9.9.9").json() == {
        "error": "Access restricted to specific IPs"
    }
    assert _download(client, link, "192.168.1.1").json() == {
        "error": "Access restricted to specific subnets"
    }


def test_one_time_link_works_once(client: TestClient, john: dict[str, str]) -> None:
    _publish_file(client, john)
    link = _configure(client, john, oneTimeUse=True)
    assert _download(client, link).status_code == 200
    second = _download(client, link)
    assert second.status_code == 403
    assert second.json() == {"error": "Access link has already been used"}
    # An update keeps the link used; only switching oneTimeUse off frees it.
    _configure(client, john, oneTimeUse=True, name="renamed")
    assert _download(client, link).status_code == 403
    _configure(client, john, oneTimeUse=False)
    assert _download(client, link).status_code == 200


def test_ttl_counts_seconds_since_the_access_was_written(
    client: TestClient, john: dict[str, str], clock: FrozenClock
) -> None:
    _publish_file(client, john)
    link = _configure(client, john, ttl=60, enableTTL=True)
    clock.moment += timedelta(seconds=59)
    assert _download(client, link).status_code == 200
    clock.moment += timedelta(seconds=1)
    refused = _download(client, link)
    assert refused.status_code == 403
    assert refused.json() == {"error": "Access link has reached its TTL limit"}


def test_ttl_is_ignored_unless_enabled(
    client: TestClient, john: dict[str, str], clock: FrozenClock
) -> None:
    _publish_file(client, john)
    link = _configure(client, john, ttl=1, enableTTL=False)
    clock.moment += timedelta(days=1)
    assert _download(client, link).status_code == 200


def test_expiry_is_checked_against_the_clock(
    client: TestClient, john: dict[str, str], clock: FrozenClock
) -> None:
    _publish_file(client, john)
    expires = (clock() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    link = _configure(client, john, expires=expires)
    assert _download(client, link).status_code == 200
    clock.moment += timedelta(hours=1, seconds=1)
    assert _download(client, link).json() == {"error": "Access link has expired"}


def test_order_public_before_subnets_before_ips_before_used_before_ttl_before_expiry(
    client: TestClient, john: dict[str, str], clock: FrozenClock
) -> None:
    _publish_file(client, john)
    link = _configure(
        client,
        john,
        subnets=["192.168.0.0/16"],
        ips=["192.168.1.1"],
        oneTimeUse=True,
        ttl=10,
        enableTTL=True,
        expires="2020-01-01T00:00:00Z",
    )
    clock.moment += timedelta(seconds=30)
    assert _download(client, link, "10.0.0.1").json()["error"] == (
        "Access restricted to specific subnets"
    )
    assert _download(client, link, "192.168.2.2").json()["error"] == (
        "Access restricted to specific IPs"
    )
    assert _download(client, link, "192.168.1.1").json()["error"] == (
        "Access link has reached its TTL limit"
    )


def test_file_made_private_again_closes_all_links(client: TestClient, john: dict[str, str]) -> None:
    _publish_file(client, john)
    assert _download(client, LINK_456).status_code == 200
    client.put("/defdrive/api/files/42/access", headers=john, json={"public": False})
    assert _download(client, LINK_456).status_code == 403


def test_deleted_access_link_is_gone(client: TestClient, john: dict[str, str]) -> None:
    _publish_file(client, john)
    assert client.delete("/defdrive/api/accesses/456", headers=john).status_code == 200
    assert _download(client, LINK_456).status_code == 404
