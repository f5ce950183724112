"""DefDrive as deployed (`/defdrive-deployed`): the Go server's paths, JSON and messages,
and the DefDrive web frontend's calls replayed as it makes them (from its own origin)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock.providers.defdrive import store
from sharemock.providers.defdrive.auth import issue_token

API = "/defdrive-deployed/api"
SEED_API = "/defdrive/api"
FRONTEND = "http://localhost:5173"  # the frontend's Vite dev server: another origin
# What the frontend reads of each record (real-clients.md).
FILE_FIELDS = {"ID", "Name", "Location", "Size", "Public", "UserID"}
ACCESS_FIELDS = {
    "ID",
    "Name",
    "Link",
    "Subnets",
    "IPs",
    "Expires",
    "Public",
    "OneTimeUse",
    "TTL",
    "EnableTTL",
}
GORM_FIELDS = {"ID", "CreatedAt", "UpdatedAt", "DeletedAt"}


def _preflight(client: TestClient, method: str, path: str) -> None:
    answer = client.options(
        path,
        headers={
            "Origin": FRONTEND,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert answer.status_code in (200, 204)
    assert answer.headers["access-control-allow-origin"] == FRONTEND
    assert method in answer.headers["access-control-allow-methods"]
    assert "authorization" in answer.headers["access-control-allow-headers"].lower()


def _call(client: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    """A cross-origin call as the browser makes it: preflight, then the request."""
    headers = {"Origin": FRONTEND, **kwargs.pop("headers", {})}
    if method != "GET" or "Authorization" in headers:
        _preflight(client, method, path)
    answer = client.request(method, path, headers=headers, **kwargs)
    assert answer.headers["access-control-allow-origin"] == FRONTEND
    return answer


@pytest.fixture
def token(client: TestClient) -> str:
    answer = _call(
        client, "POST", f"{API}/login", json={"username": "johndoe", "password": "password123"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["user"]["username"] == "johndoe"
    return str(body["token"])


def test_the_frontend_session_edits_and_toggles_access_456(client: TestClient, token: str) -> None:
    bearer = {"Authorization": f"Bearer {token}"}

    files = _call(client, "GET", f"{API}/files", headers=bearer).json()["files"]
    document = next(file for file in files if file["ID"] == 42)
    assert document.keys() >= FILE_FIELDS | GORM_FIELDS
    assert (document["Name"], document["Location"], document["UserID"]) == (
        "document.pdf",
        "johndoe/document.pdf",
        15,
    )

    accesses = _call(client, "GET", f"{API}/files/42/accesses", headers=bearer).json()
    team = next(access for access in accesses["accesses"] if access["ID"] == 456)
    assert team.keys() >= ACCESS_FIELDS | GORM_FIELDS
    assert team["Subnets"] is None and team["IPs"] is None  # never set: Go's nil slices

    wrapped = _call(client, "GET", f"{API}/accesses/456", headers=bearer).json()
    assert wrapped["access"]["ID"] == 456  # wrapped, as the Go server sends it

    edit = {
        "name": "Edited by the frontend",
        "subnets": ["10.0.0.0/8"],
        "ips": [],
        "expires": "2027-01-31T23:59:59Z",
        "public": True,
        "oneTimeUse": False,
        "ttl": 5,
        "enableTTL": False,
    }
    answer = _call(client, "PUT", f"{API}/accesses/456/access", headers=bearer, json=edit)
    assert answer.status_code == 200
    toggled = _call(client, "PUT", f"{API}/files/42/access", headers=bearer, json={"public": True})
    assert toggled.status_code == 200

    seen = client.get(f"{SEED_API}/accesses/456", headers=bearer).json()["access"]
    assert seen == {
        "id": 456,
        "fileID": 42,
        "name": "Edited by the frontend",
        "link": team["Link"],
        "subnets": ["10.0.0.0/8"],
        "ips": [],
        "expires": "2027-01-31T23:59:59Z",
        "public": True,
        "oneTimeUse": False,
        "ttl": 5,
        "enableTTL": False,
    }
    seed_files = client.get(f"{SEED_API}/files", headers=bearer).json()["files"]
    assert next(file for file in seed_files if file["id"] == 42)["public"] is True


def test_the_frontend_creates_and_deletes_an_access(client: TestClient, token: str) -> None:
    bearer = {"Authorization": f"Bearer {token}"}
    body = {"name": "One shot", "subnets": [], "ips": [], "expires": "", "public": True}
    created = _call(client, "POST", f"{API}/files/42/accesses", headers=bearer, json=body)
    assert created.status_code == 200
    access = created.json()["access"]
    assert access["Subnets"] == [] and access["IPs"] == []  # sent empty: empty, not null
    link = created.json()["link"]
    assert link.endswith(f"/defdrive-deployed/link/{access['Link']}")

    deleted = _call(client, "DELETE", f"{API}/accesses/{access['ID']}", headers=bearer)
    assert deleted.status_code == 200
    assert deleted.json() == {"message": "Access deleted successfully"}
    gone = client.get(f"{SEED_API}/accesses/{access['ID']}", headers=bearer)
    assert gone.status_code == 404


def test_an_upload_is_listed_downloaded_through_a_link_and_deleted_with_its_accesses(
    client: TestClient, token: str
) -> None:
    bearer = {"Authorization": f"Bearer {token}"}
    content = b"quarterly numbers\n"
    uploaded = _call(
        client,
        "POST",
        f"{API}/upload",
        headers=bearer,
        files={"file": ("report.txt", content, "text/plain")},
    )
    assert uploaded.status_code == 200
    file = uploaded.json()["file"]
    assert (file["Name"], file["Location"], file["Size"], file["Public"]) == (
        "report.txt",
        "johndoe/report.txt",
        len(content),
        False,
    )
    again = client.post(f"{API}/upload", headers=bearer, files={"file": ("report.txt", b"x")})
    assert again.status_code == 409
    assert again.json() == {"error": "A file with this name already exists in your folder"}

    file_id = file["ID"]
    client.put(f"{API}/files/{file_id}/access", headers=bearer, json={"public": True})
    access = client.post(
        f"{API}/files/{file_id}/accesses", headers=bearer, json={"public": True}
    ).json()["access"]
    download = client.get(f"/defdrive-deployed/link/{access['Link']}")
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-disposition"] == 'attachment; filename="report.txt"'

    stats = client.get(f"{API}/files/stats", headers=bearer).json()
    assert stats["file_count"] == 2
    assert {"extension": "txt", "count": 1, "total_size": len(content)} in stats["file_types"]
    limits = client.get(f"{API}/user/limits", headers=bearer).json()
    assert limits["current_files"] == 2
    assert limits["remaining_files"] == limits["max_files"] - 2

    deleted = _call(client, "DELETE", f"{API}/files/{file_id}", headers=bearer)
    assert deleted.json() == {"message": "File deleted successfully"}
    assert client.get(f"/defdrive-deployed/link/{access['Link']}").status_code == 404
    assert client.get(f"{API}/accesses/{access['ID']}", headers=bearer).status_code == 404


def test_an_upload_past_the_quota_is_refused_with_its_counts(
    app: Any, client: TestClient, token: str
) -> None:
    with app.runtime.database.transaction() as conn:
        conn.execute("UPDATE defdrive_users SET max_files = 1 WHERE id = 15")
    answer = client.post(
        f"{API}/upload",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("more.txt", b"x")},
    )
    assert answer.status_code == 403
    assert answer.json() == {"error": "File limit exceeded", "current_files": 1, "max_files": 1}
    with app.runtime.database.reading() as conn:
        assert len(store.files_of_user(conn, 15)) == 1


def test_an_upload_without_a_file_part_says_so(client: TestClient, token: str) -> None:
    answer = client.post(
        f"{API}/upload",
        headers={"Authorization": f"Bearer {token}"},
        files={"document": ("a.txt", b"x")},
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "No file provided"}


def test_an_older_client_sends_the_record_back_in_pascal_case(
    client: TestClient, token: str
) -> None:
    bearer = {"Authorization": f"Bearer {token}"}
    record = client.get(f"{API}/accesses/456", headers=bearer).json()["access"]
    record.update(Public=False, Name="Renamed", Subnets=["192.168.0.0/16"])
    answer = client.put(f"{API}/accesses/456/access", headers=bearer, json=record)
    assert answer.status_code == 200
    access = answer.json()["access"]
    assert (access["Name"], access["Public"], access["Subnets"]) == (
        "Renamed",
        False,
        ["192.168.0.0/16"],
    )
    assert access["IPs"] is None  # sent as null: stays null


@pytest.mark.parametrize(
    ("body", "name", "public"),
    [
        ({"NAME": "a", "pUbLiC": True}, "a", True),
        ({"name": "first", "Name": "last"}, "last", False),  # the last of a clash wins
        ({"name": None, "public": None}, "", False),  # null: the empty value
        ({"access": {"Name": "wrapped"}}, "", False),  # wrapped: no field set, as in Go
    ],
)
def test_keys_match_case_insensitively_as_gos_decoder(
    client: TestClient, token: str, body: dict[str, Any], name: str, public: bool
) -> None:
    bearer = {"Authorization": f"Bearer {token}"}
    answer = client.put(f"{API}/accesses/456/access", headers=bearer, json=body)
    assert answer.status_code == 200
    assert (answer.json()["access"]["Name"], answer.json()["access"]["Public"]) == (name, public)


def test_a_wrong_type_under_any_casing_is_refused(client: TestClient, token: str) -> None:
    bearer = {"Authorization": f"Bearer {token}"}
    before = client.get(f"{API}/accesses/456", headers=bearer).json()
    answer = client.put(f"{API}/accesses/456/access", headers=bearer, json={"PUBLIC": "yes"})
    assert answer.status_code == 400
    assert answer.json() == {"error": "Invalid request body"}
    assert client.get(f"{API}/accesses/456", headers=bearer).json() == before


def test_toggle_with_an_empty_body_makes_the_file_private(client: TestClient, token: str) -> None:
    bearer = {"Authorization": f"Bearer {token}"}
    client.put(f"{API}/files/42/access", headers=bearer, json={"public": True})
    answer = client.put(f"{API}/files/42/access", headers=bearer, json={})
    assert answer.status_code == 200
    assert answer.json()["file"]["Public"] is False


def test_an_update_through_the_documented_contract_reads_here(
    client: TestClient, token: str
) -> None:
    bearer = {"Authorization": f"Bearer {token}"}
    seed_update = {"name": "Via the seed path", "public": False, "ttl": 60, "enableTTL": True}
    assert client.put(f"{SEED_API}/access/456", headers=bearer, json=seed_update).status_code == 200
    access = client.get(f"{API}/accesses/456", headers=bearer).json()["access"]
    assert (access["Name"], access["Public"], access["TTL"], access["EnableTTL"]) == (
        "Via the seed path",
        False,
        60,
        True,
    )
    assert access["Subnets"] is None  # the seed update left it out


def test_sign_up_then_log_in_as_the_new_account(client: TestClient) -> None:
    account = {"name": "Ada", "username": "ada", "email": "ada@example.com", "password": "engine"}
    answer = _call(client, "POST", f"{API}/signup", json=account)
    assert answer.status_code == 200
    user = answer.json()["user"]
    assert (user["Username"], user["Password"], user["MaxFiles"], user["Files"]) == (
        "ada",
        "",
        100,
        None,
    )
    taken = client.post(f"{API}/signup", json=account)
    assert taken.status_code == 409
    assert taken.json()["error"].startswith("Failed to create user: ")

    login = client.post(f"{API}/login", json={"username": "ada", "password": "engine"})
    token = login.json()["token"]
    files = client.get(f"{API}/files", headers={"Authorization": f"Bearer {token}"})
    assert files.json() == {"files": []}


def test_a_failed_login_answers_in_the_error_key(client: TestClient) -> None:
    answer = client.post(f"{API}/login", json={"username": "johndoe", "password": "wrong"})
    assert answer.status_code == 401
    assert answer.json() == {"error": "Invalid username or password"}


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        (None, "Authorization header is required"),
        ("Bearer", "Authorization header format must be Bearer {token}"),
        ("Bearer not-a-jwt", "Invalid or expired token"),
    ],
)
def test_refused_tokens_get_the_go_middlewares_words(
    client: TestClient, authorization: str | None, message: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    answer = client.get(f"{API}/files", headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {"error": message}


def test_health_and_the_go_servers_id_errors(client: TestClient, token: str) -> None:
    assert client.get(f"{API}/health").json() == {"status": "ok"}
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{API}/accesses/abc", headers=bearer).json() == {
        "error": "Invalid access ID"
    }
    assert client.delete(f"{API}/files/4294967296", headers=bearer).json() == {
        "error": "Invalid file ID"
    }
    other = client.delete(f"{API}/files/43", headers=bearer)
    assert (other.status_code, other.json()) == (
        403,
        {"error": "You don't have permission to delete this file"},
    )


def test_the_admin_routes_are_not_served(client: TestClient, token: str) -> None:
    answer = client.get(f"{API}/admin/users/limits", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404


def test_a_malformed_multipart_body_is_a_400(client: TestClient, token: str) -> None:
    boundary = "bf95dd2a007d70b4f968f568ce36426d"
    answer = client.post(
        f"{API}/upload",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
        content=f"--{boundary}\r\n&È75\x80--{boundary}--\r\n".encode(),
    )
    assert answer.status_code == 400
    assert answer.json() == {"error": "Invalid request body"}


def test_a_token_of_no_account_is_refused_not_a_500(client: TestClient, settings: Any) -> None:
    ghost = issue_token(999, "ghost", settings.jwt_secret, datetime.now(UTC))
    answer = client.get(f"{API}/user/limits", headers={"Authorization": f"Bearer {ghost}"})
    assert answer.status_code == 401
    assert answer.json() == {"error": "Invalid token claims"}
