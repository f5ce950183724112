"""Every documented DefDrive error status is reachable, with DefDrive's `{"error"}` body."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

BAD_IDS = ["abc", "-1", "4294967296", "1.5", "99999999999999999999999"]


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize(
    ("method", "template", "message"),
    [
        ("PUT", "/defdrive/api/files/{}/access", "Invalid file ID"),
        ("GET", "/defdrive/api/files/{}/accesses", "Invalid file ID"),
        ("POST", "/defdrive/api/files/{}/accesses", "Invalid file ID"),
        ("PUT", "/defdrive/api/access/{}", "Invalid access ID"),
        ("GET", "/defdrive/api/accesses/{}", "Invalid access ID"),
        ("DELETE", "/defdrive/api/accesses/{}", "Invalid access ID"),
    ],
)
def test_bad_path_id_is_400_with_seed_message(
    client: TestClient, john: dict[str, str], method: str, template: str, message: str, bad_id: str
) -> None:
    body = {"public": True} if template.endswith("/access") and "files" in template else {}
    response = client.request(method, template.format(bad_id), headers=john, json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert response.headers["content-type"] == "application/json"


def test_largest_uint32_is_a_valid_id(client: TestClient, john: dict[str, str]) -> None:
    response = client.get("/defdrive/api/accesses/4294967295", headers=john)
    assert response.status_code == 404
    assert response.json() == {"error": "Access record not found"}


@pytest.mark.parametrize(
    "body",
    [
        '{"public": true',  # not JSON
        "[]",  # not an object
        '{"public": "true"}',  # wrong type
        "{}",  # public is required by the seed
        '{"public": true, "extra": 1}',  # not a field of the contract
    ],
)
def test_toggle_bad_body_is_400(client: TestClient, john: dict[str, str], body: str) -> None:
    response = client.put(
        "/defdrive/api/files/42/access",
        headers={**john, "Content-Type": "application/json"},
        content=body,
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid request body"}
    assert "X-Sharemock-Detail" in response.headers


@pytest.mark.parametrize(
    "body",
    [
        {"ips": ["not-an-ip"]},
        {"subnets": ["10.0.0.0"]},
        {"expires": "next tuesday"},
        {"ttl": -1},
        {"ttl": 2**31},
        {"public": 1},
        {"name": 5},
    ],
)
def test_update_access_bad_body_is_400(
    client: TestClient, john: dict[str, str], body: dict[str, object]
) -> None:
    before = client.get("/defdrive/api/accesses/456", headers=john).json()
    response = client.put("/defdrive/api/access/456", headers=john, json=body)
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid request body"}
    # A refused update leaves the stored record untouched.
    assert client.get("/defdrive/api/accesses/456", headers=john).json() == before


def test_wrong_content_type_is_400(client: TestClient, john: dict[str, str]) -> None:
    response = client.put(
        "/defdrive/api/files/42/access",
        headers={**john, "Content-Type": "text/plain"},
        content="public=true",
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid request body"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/defdrive/api/access/457"),
        ("GET", "/defdrive/api/accesses/457"),
        ("DELETE", "/defdrive/api/accesses/457"),
        ("GET", "/defdrive/api/files/43/accesses"),
        ("POST", "/defdrive/api/files/43/accesses"),
        ("PUT", "/defdrive/api/files/43/access"),
    ],
)
def test_another_users_resource_is_403(
    client: TestClient, john: dict[str, str], method: str, path: str
) -> None:
    body = {"public": True} if path.endswith("/access") else {"name": "mine now"}
    response = client.request(method, path, headers=john, json=body)
    assert response.status_code == 403
    assert response.json()["error"].startswith("You don't have permission to ")


def test_403_messages_name_the_action(client: TestClient, john: dict[str, str]) -> None:
    expected = {
        ("PUT", "/defdrive/api/access/457"): "You don't have permission to update this access",
        ("GET", "/defdrive/api/accesses/457"): "You don't have permission to view this access",
        ("DELETE", "/defdrive/api/accesses/457"): "You don't have permission to delete this access",
        (
            "GET",
            "/defdrive/api/files/43/accesses",
        ): "You don't have permission to view accesses for this file",
        (
            "POST",
            "/defdrive/api/files/43/accesses",
        ): "You don't have permission to create access for this file",
    }
    for (method, path), message in expected.items():
        response = client.request(method, path, headers=john, json={})
        assert response.json() == {"error": message}


@pytest.mark.parametrize(
    ("method", "path", "message"),
    [
        ("PUT", "/defdrive/api/access/999", "Access record not found"),
        ("GET", "/defdrive/api/accesses/999", "Access record not found"),
        ("DELETE", "/defdrive/api/accesses/999", "Access record not found"),
        ("GET", "/defdrive/api/files/999/accesses", "File not found"),
        ("POST", "/defdrive/api/files/999/accesses", "File not found"),
        ("PUT", "/defdrive/api/files/999/access", "File not found"),
    ],
)
def test_unknown_id_is_404(
    client: TestClient, john: dict[str, str], method: str, path: str, message: str
) -> None:
    body = {"public": True} if path.endswith("/access") else {}
    response = client.request(method, path, headers=john, json=body)
    assert response.status_code == 404
    assert response.json() == {"error": message}


def test_storage_failure_is_the_documented_500(
    client: TestClient, john: dict[str, str], app: object
) -> None:
    """A write the store refuses answers the seed's 500 and leaves the data as it was."""
    database = app.runtime.database  # type: ignore[attr-defined]
    database.install(
        "CREATE TRIGGER IF NOT EXISTS refuse BEFORE UPDATE ON defdrive_accesses"
        " BEGIN SELECT RAISE(ABORT, 'disk says no'); END;"
    )
    response = client.put("/defdrive/api/access/456", headers=john, json={"name": "x"})
    assert response.status_code == 500
    assert response.json() == {"error": "Failed to update access record"}
    assert "disk says no" in response.headers["X-Sharemock-Detail"]

    database.install("DROP TRIGGER refuse;")
    assert client.get("/defdrive/api/accesses/456", headers=john).json()["access"]["name"] == (
        "Team Access"
    )


def test_unknown_route_and_method_keep_defdrive_shape(
    client: TestClient, john: dict[str, str]
) -> None:
    response = client.get("/defdrive/api/nothing-here", headers=john)
    assert response.status_code == 404
    assert response.json() == {"error": "404 page not found"}

    response = client.delete("/defdrive/api/files/42/access", headers=john)
    assert response.status_code == 405
    assert response.json() == {"error": "405 method not allowed"}
    assert response.headers["Allow"] == "PUT"

    response = client.request("TRACE", "/defdrive/api/files", headers=john)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json"


def test_login_errors(client: TestClient) -> None:
    wrong = client.post("/defdrive/api/login", json={"username": "johndoe", "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json() == {"error": "Invalid username or password"}

    unknown = client.post("/defdrive/api/login", json={"username": "nobody", "password": "x"})
    assert unknown.json() == {"error": "Invalid username or password"}

    missing = client.post("/defdrive/api/login", json={"username": "johndoe"})
    assert missing.status_code == 400
    assert missing.json() == {"error": "Invalid request body"}


def test_a_newline_in_a_path_segment_is_a_404_not_a_500(client: TestClient) -> None:
    # Starlette's mount refuses the segment, Flask's rule accepts it: the guard answers.
    response = client.get("/defdrive/link/%0A0c2a8e5b9f6d4e1a8b7c3d2e1f0a9b8c")
    assert response.status_code == 404
    assert response.json() == {"error": "404 page not found"}
