"""JSON and XML carry the same content, for requests and for answers, on every operation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.oracle.conftest import (
    AA_FILE,
    AA_FOLDER,
    API,
    LINK,
    LINK_PATH,
    XML_HEADERS,
    from_xml,
    to_xml_body,
)

CREATE = {
    "assignedUsers": "useraa,userbb",
    "expirationTime": "2031-01-01T00:00:01Z",
    "linkName": 'review <&> "quoted" ünïcode',
    "password": "pass&word<>",
    "role": "contributor",
}


def _as_json(response: Any, schema: str) -> Any:
    if response.headers["content-type"] == "application/xml":
        return from_xml(response.content, schema)[1]
    return response.json()


@pytest.mark.parametrize(("kind", "item"), [("file", AA_FILE), ("folder", AA_FOLDER)])
def test_create_and_list_in_xml_match_json(
    client: TestClient, aa: dict[str, str], kind: str, item: str
) -> None:
    path = f"{API}/{kind}/{item}"
    from_xml_request = client.post(
        path, headers={**aa, **XML_HEADERS}, content=to_xml_body("PublicLinkCreateBody", CREATE)
    )
    assert from_xml_request.status_code == 200
    assert from_xml_request.headers["content-type"] == "application/xml"
    root, created = from_xml(from_xml_request.content, "PublicLinkGetResponse")
    assert root == "PublicLinkGetResponse"
    assert created["linkName"] == CREATE["linkName"]
    assert created["assignedUsers"] == CREATE["assignedUsers"]
    assert created["expirationTime"] == CREATE["expirationTime"]
    assert created.pop("id") == created["linkID"]  # only the create answer has `id`
    assert created == client.get(f"{API}/{created['linkID']}", headers=aa).json()

    list_schema = "FileLinksResponse" if kind == "file" else "FolderLinksResponse"
    as_xml = client.get(path, headers={**aa, "Accept": "application/xml"})
    root, listed = from_xml(as_xml.content, list_schema)
    assert root == list_schema
    assert listed == client.get(path, headers=aa).json()
    assert listed["items"][-1]["ownedBy"]["displayName"] == "User AA"


def test_a_list_of_one_is_a_list_in_xml_too(client: TestClient, aa: dict[str, str]) -> None:
    response = client.get(f"{API}/file/{AA_FILE}", headers={**aa, "Accept": "application/xml"})
    assert b"<items><item><linkID>" in response.content
    listed = from_xml(response.content, "FileLinksResponse")[1]
    assert [item["linkID"] for item in listed["items"]] == [LINK]
    empty = client.get(f"{API}/folder/{AA_FOLDER}", headers={**aa, "Accept": "application/xml"})
    assert from_xml(empty.content, "FolderLinksResponse")[1]["items"] == []


def test_delete_answers_in_xml(client: TestClient, aa: dict[str, str]) -> None:
    response = client.delete(LINK_PATH, headers={**aa, "Accept": "application/xml"})
    assert response.status_code == 200
    root, body = from_xml(response.content, "PublicLinkDeleteResponse")
    assert root == "PublicLinkDeleteResponse"
    assert body == {"errorCode": "0", "linkID": LINK, "type": "publiclink"}


@pytest.mark.parametrize(
    "content",
    [
        # The root element's name is not checked, namespaces and a declaration are fine.
        b"<anything><role>downloader</role></anything>",
        b'<?xml version="1.0" encoding="UTF-8"?>\n<o:PublicLinkEditBody xmlns:o="urn:oracle">'
        b"\n  <o:role>downloader</o:role>\n</o:PublicLinkEditBody>",
        b"<PublicLinkEditBody><!-- why --><role><![CDATA[downloader]]></role></PublicLinkEditBody>",
    ],
)
def test_xml_requests_are_read_leniently(
    client: TestClient, aa: dict[str, str], content: bytes
) -> None:
    response = client.put(LINK_PATH, headers={**aa, "Content-Type": "text/xml"}, content=content)
    assert response.status_code == 200
    assert response.json()["role"] == "downloader"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/xml", "application/xml"),
        ("text/xml", "application/json"),  # only application/xml is offered
        ("application/json;q=0.5, application/xml", "application/xml"),
        ("application/xml;q=0.5, application/json", "application/json"),
        ("application/*", "application/json"),
    ],
)
def test_the_answer_follows_accept(
    client: TestClient, aa: dict[str, str], accept: str | None, expected: str
) -> None:
    headers = {**aa, "Accept": accept} if accept else aa
    response = client.get(LINK_PATH, headers=headers)
    assert response.headers["content-type"] == expected
    assert _as_json(response, "PublicLinkGetResponse")["linkID"] == LINK


def test_the_contract_documents_its_media_types_everywhere(client: TestClient) -> None:
    document = client.get("/oracle/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            if "requestBody" in operation:
                body = operation["requestBody"]
                if "$ref" in body:
                    body = document["components"]["requestBodies"][body["$ref"].split("/")[-1]]
                # A body may come as text/plain too (read as JSON): Oracle's toolkit sends that.
                assert set(body["content"]) == {
                    "application/json",
                    "application/xml",
                    "text/plain",
                }, path
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = document["components"]["responses"][response["$ref"].split("/")[-1]]
                assert set(response["content"]) == {"application/json", "application/xml"}, (
                    path,
                    method,
                    status,
                )


# --- text/plain: JSON as a fetch-style client labels it ------------------------------------

PLAIN_LABELS = [
    {"Content-Type": "text/plain;charset=UTF-8"},  # node's fetch, for a string body
    {"Content-Type": "text/plain"},
    {},  # no Content-Type at all
]


@pytest.mark.parametrize("label", PLAIN_LABELS)
@pytest.mark.parametrize(("kind", "item"), [("file", AA_FILE), ("folder", AA_FOLDER)])
def test_a_create_in_text_is_read_as_json(
    client: TestClient, aa: dict[str, str], label: dict[str, str], kind: str, item: str
) -> None:
    content = json.dumps({"assignedUsers": "@everybody", "role": "downloader"}).encode()
    response = client.post(f"{API}/{kind}/{item}", headers={**aa, **label}, content=content)
    assert response.status_code == 200, response.headers.get("x-sharemock-detail")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["role"] == "downloader"
    assert response.json()["assignedUsers"] == "@everybody"


@pytest.mark.parametrize("label", PLAIN_LABELS)
def test_an_edit_in_text_is_read_as_json(
    client: TestClient, aa: dict[str, str], label: dict[str, str]
) -> None:
    content = json.dumps({"role": "contributor"}).encode()
    response = client.put(LINK_PATH, headers={**aa, **label}, content=content)
    assert response.status_code == 200
    assert client.get(LINK_PATH, headers=aa).json()["role"] == "contributor"


def test_a_text_request_may_ask_for_xml(client: TestClient, aa: dict[str, str]) -> None:
    response = client.post(
        f"{API}/folder/{AA_FOLDER}",
        headers={**aa, "Content-Type": "text/plain", "Accept": "application/xml"},
        content=b'{"assignedUsers": "@everybody"}',
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"


BAD_TEXT_BODIES = [
    b"",
    b"not json",
    b'{"assignedUsers": "@everybody"',  # cut short
    b"<PublicLinkCreateBody><assignedUsers>@everybody</assignedUsers></PublicLinkCreateBody>",
    b'"@everybody"',
    b"[]",
    b'{"assignedUsers": "@nobody"}',  # JSON, but not what the schema allows
    b'{"role": "viewer"}',  # assignedUsers missing
    '{"assignedUsers": "\u00e9"}'.encode("latin-1"),  # not UTF-8
    b'{"assignedUsers": "\\ud800"}',  # a lone surrogate
]


@pytest.mark.parametrize("label", PLAIN_LABELS)
@pytest.mark.parametrize("content", BAD_TEXT_BODIES)
def test_a_bad_text_body_is_oracles_400_and_creates_nothing(
    client: TestClient, aa: dict[str, str], label: dict[str, str], content: bytes
) -> None:
    path = f"{API}/folder/{AA_FOLDER}"
    response = client.post(path, headers={**aa, **label}, content=content)
    assert response.status_code == 400
    assert response.json()["errorKey"] == "!csInvalidRequestParameters"
    assert client.get(path, headers=aa).json()["count"] == "0"


@pytest.mark.parametrize("content_type", ["text/html", "application/octet-stream", "text/csv"])
def test_other_media_types_are_still_the_400(
    client: TestClient, aa: dict[str, str], content_type: str
) -> None:
    response = client.post(
        f"{API}/folder/{AA_FOLDER}",
        headers={**aa, "Content-Type": content_type},
        content=b'{"assignedUsers": "@everybody"}',
    )
    assert response.status_code == 400
    assert response.json()["errorCode"] == "-1"
