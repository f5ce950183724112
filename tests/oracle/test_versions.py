"""API versions 1.1 and 1.2: one publiclinks contract, one state; any other version is no route."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.oracle.conftest import (
    AA_FILE,
    AA_FOLDER,
    API,
    API_1_2,
    LINK,
    VERSIONS,
    XML_HEADERS,
    from_xml,
    to_xml_body,
)

ROUTE_NOT_FOUND = {
    "errorCode": "-1",
    "errorKey": "!csNotFound",
    "errorMessage": "The requested resource is not found.",
}


def _api(version: str) -> str:
    return f"/oracle/documents/api/{version}/publiclinks"


@pytest.mark.parametrize(
    ("method", "tail"),
    [
        ("GET", f"file/{AA_FILE}"),
        ("GET", f"folder/{AA_FOLDER}"),
        ("GET", LINK),
    ],
)
def test_reads_answer_the_same_in_both_versions(
    client: TestClient, aa: dict[str, str], method: str, tail: str
) -> None:
    answers = [client.request(method, f"{_api(v)}/{tail}", headers=aa) for v in VERSIONS]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()


@pytest.mark.parametrize(("made_in", "seen_in"), [("1.2", "1.1"), ("1.1", "1.2")])
@pytest.mark.parametrize(("kind", "item"), [("file", AA_FILE), ("folder", AA_FOLDER)])
def test_a_link_made_in_one_version_is_the_same_link_in_the_other(
    client: TestClient, aa: dict[str, str], made_in: str, seen_in: str, kind: str, item: str
) -> None:
    created = client.post(
        f"{_api(made_in)}/{kind}/{item}",
        headers=aa,
        json={"assignedUsers": "@serviceinstance", "linkName": "both-ways"},
    )
    assert created.status_code == 200
    link_id = created.json()["linkID"]

    listed = client.get(f"{_api(seen_in)}/{kind}/{item}", headers=aa).json()
    assert link_id in [entry["linkID"] for entry in listed["items"]]

    edited = client.put(f"{_api(seen_in)}/{link_id}", headers=aa, json={"role": "downloader"})
    assert edited.status_code == 200
    assert client.get(f"{_api(made_in)}/{link_id}", headers=aa).json()["role"] == "downloader"

    # A second link of that name is refused whichever version asks.
    clash = client.post(
        f"{_api(seen_in)}/{kind}/{item}",
        headers=aa,
        json={"assignedUsers": "@everybody", "linkName": "both-ways"},
    )
    assert clash.status_code == 409

    assert client.delete(f"{_api(seen_in)}/{link_id}", headers=aa).status_code == 200
    gone = client.get(f"{_api(made_in)}/{link_id}", headers=aa)
    assert gone.status_code == 404
    assert gone.json()["errorCode"] == "-16"


def test_xml_on_1_2_both_ways(client: TestClient, aa: dict[str, str]) -> None:
    response = client.post(
        f"{API_1_2}/folder/{AA_FOLDER}",
        headers={**aa, **XML_HEADERS},
        content=to_xml_body("PublicLinkCreateBody", {"assignedUsers": "@everybody"}),
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    root, created = from_xml(response.content, "PublicLinkCreateResponse")
    assert root == "PublicLinkGetResponse"  # the create answer's root, as before `id` came
    assert created["assignedUsers"] == "@everybody"
    assert created["id"] == created["linkID"]

    listed = client.get(f"{API}/folder/{AA_FOLDER}", headers={**aa, "Accept": "application/xml"})
    root, body = from_xml(listed.content, "FolderLinksResponse")
    assert root == "FolderLinksResponse"
    assert [entry["linkID"] for entry in body["items"]] == [created["linkID"]]


UNKNOWN_VERSIONS = ["1.0", "1.3", "2", "1", "v1.2", "1.2.0", "1.1 ", "latest", "1%2E2x"]


@pytest.mark.parametrize("version", UNKNOWN_VERSIONS)
@pytest.mark.parametrize(
    ("method", "tail"),
    [
        ("GET", f"file/{AA_FILE}"),
        ("POST", f"file/{AA_FILE}"),
        ("GET", f"folder/{AA_FOLDER}"),
        ("POST", f"folder/{AA_FOLDER}"),
        ("GET", LINK),
        ("PUT", LINK),
        ("DELETE", LINK),
        ("PATCH", LINK),  # not a 405: there is no such resource to have methods
    ],
)
def test_an_unknown_version_is_no_route(
    client: TestClient, aa: dict[str, str], version: str, method: str, tail: str
) -> None:
    response = client.request(
        method, f"{_api(version)}/{tail}", headers=aa, json={"assignedUsers": "@everybody"}
    )
    assert response.status_code == 404
    assert response.json() == ROUTE_NOT_FOUND
    assert "version" in response.headers["x-sharemock-detail"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nobody"}])
def test_an_unknown_version_is_no_route_before_credentials_count(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(f"{_api('1.3')}/{LINK}", headers=headers)
    assert response.status_code == 404
    assert response.json() == ROUTE_NOT_FOUND


def test_an_unknown_version_answers_xml_when_asked(client: TestClient, aa: dict[str, str]) -> None:
    response = client.get(f"{_api('9')}/{LINK}", headers={**aa, "Accept": "application/xml"})
    assert response.status_code == 404
    assert from_xml(response.content, "Error") == ("ErrorResponse", ROUTE_NOT_FOUND)


def test_a_wrong_method_on_a_served_version_is_still_405(
    client: TestClient, aa: dict[str, str]
) -> None:
    response = client.patch(f"{API_1_2}/{LINK}", headers=aa)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "PUT", "DELETE"}


def test_the_contract_serves_each_operation_once_for_both_versions(client: TestClient) -> None:
    document = client.get("/oracle/openapi.json").json()
    assert all(path.startswith("/documents/api/{version}/") for path in document["paths"])
    version = document["components"]["parameters"]["Version"]
    assert version["schema"]["enum"] == list(VERSIONS)
