"""Black-box: the calls public Oracle clients make, as they make them, and what they read back.

The clients (`../shared/reference/real-clients.md`, Oracle): Oracle's content toolkit `cec`
(`createFolderPublicLink`), a public jQuery client, a public Java client and a public Python
client. Each test sends what the client sends and checks every field the client reads.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.oracle.conftest import AA_FILE, AA_FOLDER, LINK, LINK_PATH, basic

ROOT = "/oracle/documents/api"
UNKNOWN_FILE = "D00000000000000000000000T0000000000100000001"
UNKNOWN_FOLDER = "F00000000000000000000000T0000000000100000001"


def _toolkit_headers(authorization: dict[str, str]) -> dict[str, str]:
    """The toolkit's headers: it sets no Content-Type, so node's HTTP library labels the
    JSON string `text/plain;charset=UTF-8`; it always sends its application key."""
    return {
        **authorization,
        "Content-Type": "text/plain;charset=UTF-8",
        "X-Oracle-Ocm-App-Key": "cec-toolkit-app-key",
    }


def _toolkit_create_folder_public_link(
    client: TestClient, authorization: dict[str, str], folder_id: str, role: str
) -> Any:
    """`serverRest.createFolderPublicLink`: the body is `JSON.stringify`'s, byte for byte."""
    body = json.dumps({"roleName": role, "assignedUsers": "@everybody"}, separators=(",", ":"))
    return client.post(
        f"{ROOT}/1.2/publiclinks/folder/{folder_id}",
        headers=_toolkit_headers(authorization),
        content=body.encode(),
    )


def _toolkit_error_text(response: Any) -> str:
    """What the toolkit reports on a failure: `data.title || data.errorMessage`."""
    data = response.json()
    return str(data.get("title") or data.get("errorMessage"))


@pytest.mark.parametrize("role", ["viewer", "downloader", "contributor"])
@pytest.mark.parametrize("auth", ["basic", "bearer"])
def test_toolkit_creates_a_folder_public_link(
    client: TestClient, aa: dict[str, str], auth: str, role: str
) -> None:
    authorization = basic("useraa", "welcome1") if auth == "basic" else aa
    response = _toolkit_create_folder_public_link(client, authorization, AA_FOLDER, role)

    assert response.status_code == 200  # the toolkit checks `statusCode === 200`
    data = response.json()
    link_id = data["id"]  # what the toolkit reads
    assert link_id == data["linkID"]
    assert data["role"] == role  # roleName was honoured, not ignored
    assert data["assignedUsers"] == "@everybody"

    link = client.get(f"{ROOT}/1.2/publiclinks/{link_id}", headers=aa).json()
    assert (link["linkID"], link["role"], link["assignedUsers"]) == (link_id, role, "@everybody")
    listed = client.get(f"{ROOT}/1.1/publiclinks/folder/{AA_FOLDER}", headers=aa).json()
    assert [item["linkID"] for item in listed["items"]] == [link_id]


@pytest.mark.parametrize(
    ("authorization", "folder_id", "status"),
    [
        (basic("useraa", "welcome1"), UNKNOWN_FOLDER, 404),
        (basic("userbb", "welcome2"), AA_FOLDER, 403),  # not the folder's owner
        (basic("useraa", "wrong-password"), AA_FOLDER, 401),
    ],
)
def test_toolkit_reads_errormessage_when_it_fails(
    client: TestClient, authorization: dict[str, str], folder_id: str, status: int
) -> None:
    response = _toolkit_create_folder_public_link(client, authorization, folder_id, "viewer")
    assert response.status_code == status
    assert _toolkit_error_text(response) == response.json()["errorMessage"] != ""


def test_toolkit_run_twice_on_a_folder_is_told_it_has_its_link(
    client: TestClient, aa: dict[str, str]
) -> None:
    first = _toolkit_create_folder_public_link(client, aa, AA_FOLDER, "viewer")
    assert first.status_code == 200
    again = _toolkit_create_folder_public_link(client, aa, AA_FOLDER, "viewer")
    assert again.status_code == 409  # an item has one unnamed link
    assert _toolkit_error_text(again) == "The item already has an unnamed public link."


def test_jquery_client_creates_a_file_link_and_reads_id_and_linkid(
    client: TestClient, aa: dict[str, str]
) -> None:
    response = client.post(
        f"{ROOT}/1.1/publiclinks/file/{AA_FILE}",
        headers={**basic("useraa", "welcome1"), "Content-Type": "application/json"},
        content=json.dumps({"assignedUsers": "@everybody", "role": "contributor"}).encode(),
    )
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == data["linkID"]
    assert data["linkID"].startswith("L")
    assert client.get(f"{ROOT}/1.1/publiclinks/{data['id']}", headers=aa).json()["role"] == (
        "contributor"
    )


def test_java_client_creates_and_lists_file_links_on_1_2(
    client: TestClient, aa: dict[str, str]
) -> None:
    created = client.post(
        f"{ROOT}/1.2/publiclinks/file/{AA_FILE}",
        headers=aa,
        json={
            "assignedUsers": "@everybody",
            "role": "downloader",
            "expirationTime": "2030-06-30T23:59:59",
        },
    )
    assert created.status_code == 200
    assert created.json()["errorCode"] == "0"
    link_id = created.json()["linkID"]

    listed = client.get(f"{ROOT}/1.2/publiclinks/file/{AA_FILE}", headers=aa)
    assert listed.status_code == 200
    body = listed.json()
    assert body["errorCode"] == "0"
    roles = {item["linkID"]: item["role"] for item in body["items"]}
    assert roles[link_id] == "downloader"
    assert len(roles) == 2  # and the seed's link, still there
    assert all(isinstance(item["role"], str) for item in body["items"])


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_java_client_reads_minus_16_on_a_404(
    client: TestClient, aa: dict[str, str], method: str
) -> None:
    response = client.request(
        method,
        f"{ROOT}/1.2/publiclinks/file/{UNKNOWN_FILE}",
        headers=aa,
        json={"assignedUsers": "@everybody", "role": "downloader"},
    )
    assert response.status_code == 404
    assert response.json()["errorCode"] == "-16"


@pytest.mark.parametrize(("kind", "item"), [("folder", AA_FOLDER), ("file", AA_FILE)])
def test_python_client_creates_links_on_1_2_and_reads_linkid(
    client: TestClient, aa: dict[str, str], kind: str, item: str
) -> None:
    response = client.post(
        f"{ROOT}/1.2/publiclinks/{kind}/{item}",
        headers=basic("useraa", "welcome1"),
        json={"assignedUsers": "@serviceinstance", "role": "viewer"},
    )
    assert response.status_code == 200
    link_id = response.json()["linkID"]
    link = client.get(f"{ROOT}/1.2/publiclinks/{link_id}", headers=aa).json()
    assert (link["assignedUsers"], link["role"]) == ("@serviceinstance", "viewer")


# --- roleName, as the toolkit sends it, against role ---------------------------------------


@pytest.mark.parametrize(
    ("body", "role"),
    [
        ({"assignedUsers": "@everybody", "roleName": "downloader"}, "downloader"),
        ({"assignedUsers": "@everybody", "role": "downloader"}, "downloader"),
        (
            {"assignedUsers": "@everybody", "role": "contributor", "roleName": "contributor"},
            "contributor",
        ),
        ({"assignedUsers": "@everybody"}, "viewer"),  # neither: the default
    ],
)
def test_rolename_is_role_by_another_name(
    client: TestClient, aa: dict[str, str], body: dict[str, str], role: str
) -> None:
    response = client.post(f"{ROOT}/1.2/publiclinks/folder/{AA_FOLDER}", headers=aa, json=body)
    assert response.status_code == 200
    assert response.json()["role"] == role
    assert "roleName" not in response.json()  # answers name it `role`, as documented


def test_rolename_in_xml_too(client: TestClient, aa: dict[str, str]) -> None:
    response = client.post(
        f"{ROOT}/1.2/publiclinks/folder/{AA_FOLDER}",
        headers={**aa, "Content-Type": "application/xml"},
        content=b"<PublicLinkCreateBody><assignedUsers>@everybody</assignedUsers>"
        b"<roleName>contributor</roleName></PublicLinkCreateBody>",
    )
    assert response.status_code == 200
    assert response.json()["role"] == "contributor"


def test_two_roles_that_disagree_are_oracles_400(client: TestClient, aa: dict[str, str]) -> None:
    path = f"{ROOT}/1.2/publiclinks/folder/{AA_FOLDER}"
    response = client.post(
        path,
        headers=_toolkit_headers(aa),
        content=b'{"roleName":"viewer","role":"contributor","assignedUsers":"@everybody"}',
    )
    assert response.status_code == 400
    assert response.json() == {
        "errorCode": "-1",
        "errorKey": "!csInvalidRequestParameters",
        "errorMessage": "Request parameters are not formatted correctly.",
    }
    assert client.get(path, headers=aa).json()["count"] == "0"


def test_rolename_is_not_an_edit_field(client: TestClient, aa: dict[str, str]) -> None:
    """Only create takes it (what the toolkit calls); the seed's edit body stays closed."""
    response = client.put(LINK_PATH, headers=aa, json={"roleName": "downloader"})
    assert response.status_code == 400
    assert client.get(LINK_PATH, headers=aa).json()["role"] == "viewer"


@pytest.mark.parametrize(
    ("method", "tail"),
    [("GET", f"folder/{AA_FOLDER}"), ("GET", f"file/{AA_FILE}"), ("DELETE", LINK)],
)
def test_the_toolkits_app_key_is_accepted_everywhere(
    client: TestClient, method: str, tail: str
) -> None:
    response = client.request(
        method,
        f"{ROOT}/1.2/publiclinks/{tail}",
        headers={**basic("useraa", "welcome1"), "X-Oracle-Ocm-App-Key": "any key at all"},
    )
    assert response.status_code == 200
    assert response.json()["errorCode"] == "0"
