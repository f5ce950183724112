"""Every documented Oracle error status is reachable, with Oracle's native body, in JSON and XML.

A refused write never changes what is stored.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.oracle.conftest import (
    AA_FILE,
    AA_FOLDER,
    API,
    BB_FILE,
    BB_LINK,
    LINK_PATH,
    XML_HEADERS,
    from_xml,
)

BAD_REQUEST = {
    "errorCode": "-1",
    "errorKey": "!csInvalidRequestParameters",
    "errorMessage": "Request parameters are not formatted correctly.",
}
FORBIDDEN = {
    "errorCode": "-20",
    "errorKey": "!csUserInsufficientPrivileges",
    "errorMessage": "The user does not have read permission.",
}
LINK_NOT_FOUND = {
    "errorCode": "-16",
    "errorKey": "!csPublicLinkNotFound",
    "errorMessage": "Link ID is not found.",
}
UNKNOWN_LINK = "L00000000000000000000000T0000000000100000001"


def _link(client: TestClient, headers: dict[str, str]) -> Any:
    return client.get(LINK_PATH, headers=headers).json()


# --- 400 ----------------------------------------------------------------------------------

BAD_EDIT_BODIES: list[Any] = [
    {"linkName": "renamed"},  # not editable
    {"role": "viewer", "linkName": "pub-test-158"},  # not even to the same value
    {"owner": "userbb"},  # not a field
    {"role": "owner"},
    {"role": "Viewer"},
    {"role": 1},
    {"password": "short"},  # under 8 characters
    {"password": "x" * 51},
    {"password": "tab\tinside"},  # control character
    {"password": 12345678},
    {"assignedUsers": ""},
    {"assignedUsers": "@nobody"},
    {"assignedUsers": "useraa,@everybody"},
    {"assignedUsers": ",useraa"},
    {"assignedUsers": "useraa,"},
    {"assignedUsers": "a" * 2001},
    {"assignedUsers": None},
    {"expirationTime": "2016-02-30T01:02:03"},  # no such day
    {"expirationTime": "2015-02-29T00:00:00"},  # not a leap year
    {"expirationTime": "2016-02-15"},
    {"expirationTime": "2016-02-15T01:02:03+02:00"},
    {"expirationTime": "2016-02-15T01:02:03.5Z"},
    {"expirationTime": "2016-02-15T24:00:00"},
    {"expirationTime": "tomorrow"},
    [],
    "viewer",
]


@pytest.mark.parametrize("body", BAD_EDIT_BODIES)
def test_a_bad_edit_is_400_and_changes_nothing(
    client: TestClient, aa: dict[str, str], body: Any
) -> None:
    before = _link(client, aa)
    response = client.put(LINK_PATH, headers=aa, json=body)
    assert response.status_code == 400, response.text
    assert response.json() == BAD_REQUEST
    assert response.headers["X-Sharemock-Detail"]
    assert _link(client, aa) == before


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("application/json", b'{"role": "viewer"'),  # not JSON
        ("application/json", b""),  # no body
        ("application/xml", b"<PublicLinkEditBody><role>viewer</role>"),  # not closed
        ("application/xml", b"<PublicLinkEditBody>viewer</PublicLinkEditBody>"),  # not fields
        ("application/xml", b"<E><role>viewer</role><role>viewer</role></E>"),  # repeated
        ("application/xml", b"<E><linkName>x</linkName></E>"),
        ("application/xml", b'<!DOCTYPE E [<!ENTITY r "viewer">]><E><role>&r;</role></E>'),
        ("text/plain", b"role=viewer"),
        ("application/x-www-form-urlencoded", b"role=viewer"),
    ],
)
def test_a_malformed_or_unsupported_body_is_400(
    client: TestClient, aa: dict[str, str], content_type: str, content: bytes
) -> None:
    before = _link(client, aa)
    response = client.put(LINK_PATH, headers={**aa, "Content-Type": content_type}, content=content)
    assert response.status_code == 400
    assert response.json() == BAD_REQUEST
    assert _link(client, aa) == before


@pytest.mark.parametrize(
    "body",
    [
        {},  # assignedUsers is required on create
        {"role": "viewer"},
        {"assignedUsers": "@everybody", "linkName": ""},
        {"assignedUsers": "@everybody", "linkName": "x" * 256},
        {"assignedUsers": "@everybody", "linkName": "line\nbreak"},
        # `roleName` is `role` by another name (Oracle's toolkit sends it): same values,
        # and two roles that disagree are refused.
        {"assignedUsers": "@everybody", "roleName": "owner"},
        {"assignedUsers": "@everybody", "roleName": "Viewer"},
        {"assignedUsers": "@everybody", "roleName": None},
        {"assignedUsers": "@everybody", "role": "viewer", "roleName": "downloader"},
        {"assignedUsers": "@everybody", "role": "contributor", "roleName": "viewer"},
    ],
)
@pytest.mark.parametrize("path", [f"{API}/file/{AA_FILE}", f"{API}/folder/{AA_FOLDER}"])
def test_a_bad_create_is_400_and_creates_nothing(
    client: TestClient, aa: dict[str, str], path: str, body: dict[str, str]
) -> None:
    response = client.post(path, headers=aa, json=body)
    assert response.status_code == 400
    assert response.json() == BAD_REQUEST
    assert client.get(path, headers=aa).json()["count"] == ("1" if "file" in path else "0")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{API}/XFCE8A35C88A6A96FD39B621T0000000000100000001"),  # not an L GUID
        ("PUT", f"{API}/L-1"),
        ("DELETE", f"{API}/L{'0' * 64}"),  # too long
        ("GET", f"{API}/file/{AA_FOLDER}"),  # a folder GUID where a file's belongs
        ("POST", f"{API}/file/D%C3%A9"),
        ("GET", f"{API}/folder/{AA_FILE}"),
        ("POST", f"{API}/folder/folder"),
    ],
)
def test_a_malformed_guid_is_400(
    client: TestClient, aa: dict[str, str], method: str, path: str
) -> None:
    response = client.request(method, path, headers=aa, json={"assignedUsers": "@everybody"})
    assert response.status_code == 400
    assert response.json() == BAD_REQUEST


# --- 403 ----------------------------------------------------------------------------------

OTHERS_RESOURCES = [
    ("bb", "GET", LINK_PATH),
    ("bb", "PUT", LINK_PATH),
    ("bb", "DELETE", LINK_PATH),
    ("bb", "GET", f"{API}/file/{AA_FILE}"),
    ("bb", "POST", f"{API}/file/{AA_FILE}"),
    ("bb", "GET", f"{API}/folder/{AA_FOLDER}"),
    ("bb", "POST", f"{API}/folder/{AA_FOLDER}"),
    ("aa", "GET", f"{API}/{BB_LINK}"),
    ("aa", "PUT", f"{API}/{BB_LINK}"),
    ("aa", "DELETE", f"{API}/{BB_LINK}"),
    ("aa", "GET", f"{API}/file/{BB_FILE}"),
    ("aa", "POST", f"{API}/file/{BB_FILE}"),
]


@pytest.mark.parametrize(("who", "method", "path"), OTHERS_RESOURCES)
def test_another_users_link_or_item_is_403_and_stays_untouched(
    client: TestClient,
    aa: dict[str, str],
    bb: dict[str, str],
    who: str,
    method: str,
    path: str,
) -> None:
    caller = bb if who == "bb" else aa
    owner = aa if who == "bb" else bb
    owner_view = {p: client.get(p, headers=owner).json() for p in (LINK_PATH, f"{API}/{BB_LINK}")}
    body = {"assignedUsers": "@everybody", "role": "contributor"}
    response = client.request(method, path, headers=caller, json=body)
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    for link_path, seen in owner_view.items():
        if client.get(link_path, headers=owner).status_code == 200:
            assert client.get(link_path, headers=owner).json() == seen
    assert client.get(f"{API}/file/{AA_FILE}", headers=aa).json()["count"] == "1"
    assert client.get(f"{API}/file/{BB_FILE}", headers=bb).json()["count"] == "1"
    assert client.get(f"{API}/folder/{AA_FOLDER}", headers=aa).json()["count"] == "0"


# --- 404 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_an_unknown_link_is_404(client: TestClient, bb: dict[str, str], method: str) -> None:
    response = client.request(method, f"{API}/{UNKNOWN_LINK}", headers=bb, json={})
    assert response.status_code == 404
    assert response.json() == LINK_NOT_FOUND


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    ("kind", "guid", "message", "key"),
    [
        ("file", "D00000000000000000000000T0000000000100000001", "File", "!csFileNotFound"),
        ("folder", "F00000000000000000000000T0000000000100000001", "Folder", "!csFolderNotFound"),
    ],
)
def test_an_unknown_item_is_404(
    client: TestClient,
    aa: dict[str, str],
    method: str,
    kind: str,
    guid: str,
    message: str,
    key: str,
) -> None:
    response = client.request(
        method, f"{API}/{kind}/{guid}", headers=aa, json={"assignedUsers": "@everybody"}
    )
    assert response.status_code == 404
    assert response.json() == {
        "errorCode": "-16",
        "errorKey": key,
        "errorMessage": f"{message} ID is not found.",
    }


def test_a_deleted_link_is_404(client: TestClient, aa: dict[str, str]) -> None:
    assert client.delete(LINK_PATH, headers=aa).status_code == 200
    for method in ("GET", "PUT", "DELETE"):
        response = client.request(method, LINK_PATH, headers=aa, json={"role": "viewer"})
        assert response.status_code == 404
        assert response.json() == LINK_NOT_FOUND


def test_an_unknown_route_is_404_in_oracles_shape(client: TestClient, aa: dict[str, str]) -> None:
    for path in ("/oracle/documents/api/1.1/shares/x", f"{API}/file/{AA_FILE}/extra", "/oracle"):
        response = client.get(path, headers=aa)
        assert response.status_code == 404
        assert response.json()["errorCode"] == "-1"
        assert set(response.json()) == {"errorCode", "errorKey", "errorMessage"}


def test_a_wrong_method_is_405_with_allow(client: TestClient, aa: dict[str, str]) -> None:
    response = client.patch(LINK_PATH, headers=aa, json={})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, PUT, DELETE"
    assert response.json()["errorCode"] == "-1"


# --- 409 ----------------------------------------------------------------------------------


def test_a_name_is_unique_per_item(client: TestClient, aa: dict[str, str]) -> None:
    path = f"{API}/file/{AA_FILE}"
    clash = client.post(
        path, headers=aa, json={"assignedUsers": "@everybody", "linkName": "pub-test-158"}
    )
    assert clash.status_code == 409
    assert clash.json() == {
        "errorCode": "-17",
        "errorKey": "!csPublicLinkNameExists",
        "errorMessage": "The item already has a public link named 'pub-test-158'.",
    }
    # The same name on another item is fine.
    other = client.post(
        f"{API}/folder/{AA_FOLDER}",
        headers=aa,
        json={"assignedUsers": "@everybody", "linkName": "pub-test-158"},
    )
    assert other.status_code == 200
    assert client.get(path, headers=aa).json()["count"] == "1"


def test_an_item_has_one_unnamed_link(client: TestClient, aa: dict[str, str]) -> None:
    path = f"{API}/folder/{AA_FOLDER}"
    first = client.post(path, headers=aa, json={"assignedUsers": "@serviceinstance"})
    assert first.status_code == 200
    assert "linkName" not in first.json()
    second = client.post(path, headers=aa, json={"assignedUsers": "@everybody"})
    assert second.status_code == 409
    assert second.json()["errorMessage"] == "The item already has an unnamed public link."
    # Once the unnamed link is gone, another may be made.
    client.delete(f"{API}/{first.json()['linkID']}", headers=aa)
    assert client.post(path, headers=aa, json={"assignedUsers": "@everybody"}).status_code == 200


# --- the same errors in XML ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "method", "path", "content", "status", "expected"),
    [
        ("aa", "PUT", LINK_PATH, b"<E><role>owner</role></E>", 400, BAD_REQUEST),
        ("aa", "PUT", LINK_PATH, b"<E><role>", 400, BAD_REQUEST),
        ("none", "GET", LINK_PATH, b"", 401, None),
        ("bb", "PUT", LINK_PATH, b"<E><role>viewer</role></E>", 403, FORBIDDEN),
        ("aa", "DELETE", f"{API}/{UNKNOWN_LINK}", b"", 404, LINK_NOT_FOUND),
        (
            "aa",
            "POST",
            f"{API}/file/{AA_FILE}",
            b"<E><assignedUsers>@everybody</assignedUsers><linkName>pub-test-158</linkName></E>",
            409,
            None,
        ),
    ],
)
def test_errors_answer_in_xml_when_asked(
    client: TestClient,
    aa: dict[str, str],
    bb: dict[str, str],
    who: str,
    method: str,
    path: str,
    content: bytes,
    status: int,
    expected: dict[str, str] | None,
) -> None:
    caller = {"aa": aa, "bb": bb, "none": {}}[who]
    response = client.request(method, path, headers={**caller, **XML_HEADERS}, content=content)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/xml"
    root, body = from_xml(response.content, "Error")
    assert root == "ErrorResponse"
    assert list(body) == ["errorCode", "errorKey", "errorMessage"]
    if expected is not None:
        assert body == expected
