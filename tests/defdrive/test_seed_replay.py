"""Black-box: the seeds' example requests, sent verbatim, answer with the seeds' responses.

Seed 000 (`../shared/seeds/000_bcc3bbb5ead28f32.txt`): Update Access.
Seed 001 (`../shared/seeds/001_8d1af433ae973dd1.txt`): Toggle Public Access.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from starlette.testclient import TestClient

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends

# Seed 000's example request body, byte for byte.
SEED_000_BODY = """{
    "name": "Updated Team Access",
    "subnets": ["192.168.1.0/24", "10.0.0.0/8"],
    "ips": ["10.0.0.50", "10.0.0.51"],
    "expires": "2027-06-30T23:59:59Z",
    "public": false,
    "oneTimeUse": false,
    "ttl": 7200,
    "enableTTL": true
  }"""

# The type of every field in seed 000's response schema.
SEED_000_ACCESS_TYPES = {
    "id": int,
    "fileID": int,
    "name": str,
    "link": str,
    "subnets": list,
    "ips": list,
    "expires": str,
    "public": bool,
    "oneTimeUse": bool,
    "ttl": int,
    "enableTTL": bool,
}

# Seed 001's success response example.
SEED_001_RESPONSE = {
    "message": "File access updated successfully",
    "file": {
        "id": 42,
        "name": "document.pdf",
        "location": "johndoe/document.pdf",
        "user_id": 15,
        "size": 2048576,
        "public": True,
        "created_at": "2026-03-04T10:30:00Z",
        "updated_at": "2026-03-04T14:22:00Z",
    },
}


def test_seed_000_update_access(client: TestClient, john: dict[str, str]) -> None:
    response = client.put(
        "/defdrive/api/access/456",
        headers={**john, "Content-Type": "application/json"},
        content=SEED_000_BODY,
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["message", "access"]
    assert isinstance(body["message"], str) and body["message"]
    access = body["access"]
    assert set(access) == set(SEED_000_ACCESS_TYPES)
    for field, kind in SEED_000_ACCESS_TYPES.items():
        assert type(access[field]) is kind, field
    sent = json.loads(SEED_000_BODY)
    assert {key: access[key] for key in sent} == sent
    assert access["id"] == 456
    assert access["fileID"] == 42


def test_seed_001_toggle_public_access(client: TestClient, john: dict[str, str]) -> None:
    response = client.put(
        "/defdrive/api/files/42/access",
        headers={**john, "Content-Type": "application/json"},
        content='{"public": true}',
    )

    assert response.status_code == 200
    body = response.json()
    assert list(body) == list(SEED_001_RESPONSE)
    assert body["message"] == SEED_001_RESPONSE["message"]
    file, expected = body["file"], SEED_001_RESPONSE["file"]
    assert list(file) == list(expected)
    for field in ("id", "name", "location", "user_id", "size", "public", "created_at"):
        assert file[field] == expected[field], field
    # updated_at is the time of this update, in the seed's form.
    updated = datetime.strptime(file["updated_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert updated > datetime.strptime(file["created_at"], "%Y-%m-%dT%H:%M:%SZ")


def test_seed_001_error_examples_verbatim(
    client: TestClient, john: dict[str, str], jane: dict[str, str]
) -> None:
    """Every error example seed 001 gives, with its status and exact body."""
    cases = [
        ("/defdrive/api/files/4294967296/access", john, '{"public": true}', 400, "Invalid file ID"),
        ("/defdrive/api/files/42/access", john, '{"public": "yes"}', 400, "Invalid request body"),
        ("/defdrive/api/files/42/access", {}, '{"public": true}', 401, "User not authenticated"),
        (
            "/defdrive/api/files/42/access",
            jane,
            '{"public": true}',
            403,
            "You don't have permission to modify this file",
        ),
        ("/defdrive/api/files/999/access", john, '{"public": true}', 404, "File not found"),
    ]
    for path, headers, body, status, message in cases:
        response = client.put(
            path, headers={**headers, "Content-Type": "application/json"}, content=body
        )
        assert response.status_code == status, (path, body)
        assert response.json() == {"error": message}
