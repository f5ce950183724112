"""`sharemock.xml_bodies`: XML parsing, schema-guided conversion, and the ASGI middleware."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from sharemock.mounts import MountedProvider, Mounts
from sharemock.provider import Provider
from sharemock.providers import provider_named
from sharemock.spec import ProviderSpec
from sharemock.validation import BodyProblem
from sharemock.xml_bodies import MAX_DEPTH, XmlBodies, is_xml_media_type, parse_xml, xml_to_json

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "paths": {
        "/things/{id}": {
            "put": {
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}},
                        "application/xml": {"schema": {"$ref": "#/components/schemas/Thing"}},
                    }
                },
                "responses": {
                    "200": {
                        "content": {
                            "application/xml": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        }
                    }
                },
            },
            "get": {"responses": {"200": {"content": {"application/xml": {"schema": {}}}}}},
        },
        "/things/special": {"put": {"responses": {}}},
        "/notes/{id}": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "object"}},
                        "text/plain": {"schema": {"type": "object"}},
                    }
                },
                "responses": {},
            }
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "xml": {"name": "ThingRoot"},
                "properties": {
                    "name": {"type": "string"},
                    "size": {"type": "integer"},
                    "ratio": {"type": "number"},
                    "open": {"type": "boolean"},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                    "tags": {
                        "type": "array",
                        "xml": {"wrapped": True},
                        "items": {"type": "string", "xml": {"name": "tag"}},
                    },
                    "codes": {
                        "type": "array",
                        "items": {"type": "integer", "xml": {"name": "code"}},
                    },
                    "label": {"type": "string", "xml": {"name": "Label"}},
                },
            },
            "Owner": {"type": "object", "properties": {"id": {"type": "string"}}},
        }
    },
}
SPEC = ProviderSpec(DOCUMENT)
THING = SPEC.resolve({"$ref": "#/components/schemas/Thing"})


def _provider(xml_root: str | None) -> Provider:
    return Provider(
        name="toy",
        title="Toy",
        prefix="/toy",
        spec_file="toy.yaml",
        handlers_module="handlers.toy",
        errors=provider_named("defdrive").errors,
        schema_sql="",
        tables=(),
        load_fixtures=lambda conn: None,
        dev_credential=lambda user, settings: user,
        xml_root=xml_root,
    )


def _convert(xml: str) -> Any:
    return xml_to_json(parse_xml(xml.encode()), THING, SPEC.resolve)


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "xml",
    [
        "<a><b>",  # not closed
        "",  # nothing
        "just text",
        "<a></b>",
        "<a/><b/>",  # two roots
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
        '<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>',
        "<p:a/>",  # unbound prefix
    ],
)
def test_what_is_not_acceptable_xml_is_a_body_problem(xml: str) -> None:
    with pytest.raises(BodyProblem):
        parse_xml(xml.encode())


def test_nesting_is_bounded() -> None:
    deep = "<a>" * (MAX_DEPTH + 1) + "</a>" * (MAX_DEPTH + 1)
    with pytest.raises(BodyProblem, match="deeper"):
        parse_xml(deep.encode())
    fine = "<a>" * MAX_DEPTH + "</a>" * MAX_DEPTH
    assert parse_xml(fine.encode()).tag == "a"


def test_namespaces_and_declarations_are_read_past() -> None:
    root = parse_xml(
        b"<?xml version='1.0' encoding='iso-8859-1'?>"
        b'<t:Thing xmlns:t="urn:x"><t:name>caf\xe9</t:name><!-- c --><?pi x?></t:Thing>'
    )
    assert root.tag == "Thing"
    assert [(child.tag, child.text) for child in root] == [("name", "café")]


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/xml", True),
        ("application/xml; charset=utf-8", True),
        ("text/xml", True),
        ("application/atom+xml", True),
        ("APPLICATION/XML", True),
        ("application/json", False),
        (None, False),
        ("text/plain", False),
    ],
)
def test_xml_media_types(content_type: str | None, expected: bool) -> None:
    assert is_xml_media_type(content_type) is expected


# --- schema-guided conversion --------------------------------------------------------------


def test_scalars_follow_the_schema() -> None:
    converted = _convert(
        "<ThingRoot><name>7</name><size>12</size><ratio>0.5</ratio><open>true</open></ThingRoot>"
    )
    assert converted == {"name": "7", "size": 12, "ratio": 0.5, "open": True}


def test_text_that_does_not_parse_stays_text_for_validation_to_refuse() -> None:
    converted = _convert("<ThingRoot><size>twelve</size><open>yes</open></ThingRoot>")
    assert converted == {"size": "twelve", "open": "yes"}


def test_empty_elements_are_empty_strings_and_an_empty_root_is_an_empty_object() -> None:
    assert _convert("<ThingRoot><name/></ThingRoot>") == {"name": ""}
    assert _convert("<ThingRoot></ThingRoot>") == {}
    assert _convert("<ThingRoot>  \n </ThingRoot>") == {}


def test_text_where_an_object_belongs_stays_text() -> None:
    assert _convert("<ThingRoot>hello</ThingRoot>") == "hello"


def test_nested_objects_wrapped_and_unwrapped_arrays_and_renamed_elements() -> None:
    converted = _convert(
        "<ThingRoot><owner><id>U1</id></owner>"
        "<tags><tag>a</tag><tag>b</tag></tags>"
        "<code>1</code><code>2</code><Label>x</Label></ThingRoot>"
    )
    assert converted == {
        "owner": {"id": "U1"},
        "tags": ["a", "b"],
        "codes": [1, 2],
        "label": "x",
    }


def test_one_item_is_still_a_list() -> None:
    assert _convert("<ThingRoot><tags><tag>a</tag></tags><code>3</code></ThingRoot>") == {
        "tags": ["a"],
        "codes": [3],
    }


def test_a_repeated_scalar_becomes_a_list_so_validation_refuses_it() -> None:
    assert _convert("<ThingRoot><name>a</name><name>b</name></ThingRoot>") == {"name": ["a", "b"]}


def test_all_of_members_are_merged() -> None:
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Thing"},
            {"type": "object", "properties": {"extra": {"type": "integer"}}},
        ]
    }
    element = parse_xml(b"<R><tags><tag>a</tag></tags><extra>2</extra><size>1</size></R>")
    assert xml_to_json(element, schema, SPEC.resolve) == {"tags": ["a"], "extra": 2, "size": 1}


def test_unknown_elements_are_kept_for_validation_to_judge() -> None:
    assert _convert("<ThingRoot><extra><deep>1</deep></extra><more>x</more></ThingRoot>") == {
        "extra": {"deep": "1"},
        "more": "x",
    }


# --- the middleware ------------------------------------------------------------------------


class Echo:
    """A downstream app that reports the request it got, or answers a canned response."""

    def __init__(self) -> None:
        self.response: tuple[str, bytes] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if self.response is not None:
            content_type, payload = self.response
        else:
            headers = {k.decode(): v.decode() for k, v in scope["headers"]}
            seen = {"headers": headers, "body": body.decode()}
            content_type, payload = "text/plain", json.dumps(seen).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", content_type.encode()),
                    (b"content-length", str(len(payload)).encode()),
                    (b"x-kept", b"yes"),
                ],
            }
        )
        # Two chunks: the middleware must reassemble them.
        half = len(payload) // 2
        await send({"type": "http.response.body", "body": payload[:half], "more_body": True})
        await send({"type": "http.response.body", "body": payload[half:], "more_body": False})


@pytest.fixture
def echo() -> Echo:
    return Echo()


def _client(echo: Echo, xml_root: str | None = "Fault") -> TestClient:
    middleware = XmlBodies(echo, Mounts([MountedProvider(_provider(xml_root), SPEC)]))
    return TestClient(middleware)


def _seen(response: Any) -> dict[str, Any]:
    return dict(json.loads(response.text))


def test_an_xml_request_reaches_the_app_as_json(echo: Echo) -> None:
    response = _client(echo).put(
        "/toy/things/1",
        headers={"Content-Type": "application/xml; charset=utf-8"},
        content=b"<ThingRoot><name>n</name><size>3</size></ThingRoot>",
    )
    seen = _seen(response)
    assert json.loads(seen["body"]) == {"name": "n", "size": 3}
    assert seen["headers"]["content-type"] == "application/json"
    assert seen["headers"]["content-length"] == str(len(seen["body"]))


def test_an_empty_xml_body_reaches_the_app_as_an_empty_json_body(echo: Echo) -> None:
    seen = _seen(_client(echo).put("/toy/things/1", headers={"Content-Type": "text/xml"}))
    assert seen["body"] == ""
    assert seen["headers"]["content-type"] == "application/json"


def test_malformed_xml_is_a_body_problem_for_the_edge(echo: Echo) -> None:
    with pytest.raises(BodyProblem):
        _client(echo).put(
            "/toy/things/1", headers={"Content-Type": "application/xml"}, content=b"<a>"
        )


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("PUT", "/toy/things/1", {"Content-Type": "application/json"}),  # already JSON
        ("PUT", "/elsewhere/things/1", {"Content-Type": "application/xml"}),  # not below prefix
        ("PUT", "/toy/things/special", {"Content-Type": "application/xml"}),  # no request body
        ("POST", "/toy/things/1", {"Content-Type": "application/xml"}),  # no such operation
    ],
)
def test_other_requests_pass_untouched(
    echo: Echo, method: str, path: str, headers: dict[str, str]
) -> None:
    content = b"<ThingRoot><name>n</name></ThingRoot>"
    seen = _seen(_client(echo).request(method, path, headers=headers, content=content))
    assert seen["body"] == content.decode()
    assert seen["headers"]["content-type"] == headers["Content-Type"]


def test_a_provider_without_xml_root_is_left_alone(echo: Echo) -> None:
    content = b"<ThingRoot><name>n</name></ThingRoot>"
    seen = _seen(
        _client(echo, xml_root=None).put(
            "/toy/things/1", headers={"Content-Type": "application/xml"}, content=content
        )
    )
    assert seen["body"] == content.decode()


@pytest.mark.parametrize("xml_root", ["Fault", None])
@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain;charset=UTF-8"},  # what a fetch-style client sends
        {"Content-Type": "Text/Plain"},
        {},  # no Content-Type at all
    ],
)
def test_text_where_the_contract_declares_it_reaches_the_app_as_json(
    echo: Echo, headers: dict[str, str], xml_root: str | None
) -> None:
    content = b'{"name": "n"} not even checked here'
    seen = _seen(_client(echo, xml_root).post("/toy/notes/1", headers=headers, content=content))
    assert seen["headers"]["content-type"] == "application/json"
    assert seen["body"] == content.decode()  # relabelled only: Connexion's validator reads it


def test_text_where_the_contract_does_not_declare_it_is_left_for_the_415(echo: Echo) -> None:
    headers = {"Content-Type": "text/plain"}
    seen = _seen(_client(echo).put("/toy/things/1", headers=headers, content=b'{"name": "n"}'))
    assert seen["headers"]["content-type"] == "text/plain"


def test_a_json_answer_becomes_xml_named_by_the_response_schema(echo: Echo) -> None:
    echo.response = ("application/json", b'{"name":"n","tags":["a","b"],"owner":{"id":"U1"}}')
    response = _client(echo).put(
        "/toy/things/1", headers={"Accept": "application/xml", "Content-Type": "application/json"}
    )
    assert response.headers["content-type"] == "application/xml"
    assert response.headers["content-length"] == str(len(response.content))
    assert response.headers["x-kept"] == "yes"
    root = parse_xml(response.content)
    assert root.tag == "ThingRoot"
    # ... and it reads back as the same content.
    assert xml_to_json(root, THING, SPEC.resolve) == {
        "name": "n",
        "tags": ["a", "b"],
        "owner": {"id": "U1"},
    }


def test_without_a_schema_name_the_provider_root_is_used(echo: Echo) -> None:
    echo.response = ("application/json", b'{"a":"1"}')
    response = _client(echo).get("/toy/things/1", headers={"Accept": "application/xml"})
    assert parse_xml(response.content).tag == "Fault"
    unknown = _client(echo).get("/toy/nowhere", headers={"Accept": "application/xml"})
    assert parse_xml(unknown.content).tag == "Fault"


@pytest.mark.parametrize(
    "accept",
    [None, "application/json", "*/*", "application/json, application/xml;q=0.5", "text/html"],
)
def test_json_stays_json_unless_xml_is_preferred(echo: Echo, accept: str | None) -> None:
    echo.response = ("application/json", b'{"a":"1"}')
    headers = {"Accept": accept} if accept else {}
    response = _client(echo).get("/toy/things/1", headers=headers)
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"a": "1"}


def test_what_is_not_a_json_object_is_sent_as_it_came(echo: Echo) -> None:
    for content_type, payload in [
        ("application/xml", b"<already>xml</already>"),
        ("application/json", b"[1,2]"),
        ("application/json", b"not json"),
        ("text/plain", b"hello"),
    ]:
        echo.response = (content_type, payload)
        response = _client(echo).get("/toy/things/1", headers={"Accept": "application/xml"})
        assert response.content == payload
        assert response.headers["content-type"] == content_type


def test_defdrive_is_unaffected(client: TestClient) -> None:
    """DefDrive has no XML root: an XML body is still its 400, an XML Accept still JSON."""
    response = client.post(
        "/defdrive/api/login",
        headers={"Content-Type": "application/xml", "Accept": "application/xml"},
        content=b"<LoginRequest><username>johndoe</username></LoginRequest>",
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": "Invalid request body"}
    login = client.post(
        "/defdrive/api/login",
        headers={"Accept": "application/xml"},
        json={"username": "johndoe", "password": "password123"},
    )
    assert login.headers["content-type"] == "application/json"
    assert login.json()["message"] == "Login successful"
