"""XML on the wire, JSON inside: for providers that speak XML as well as JSON.

Handlers, Connexion's request validation and its response validation only ever see JSON.
`XmlBodies` is an ASGI middleware placed outside all of them (before routing) that

- turns an XML request body into the JSON document the operation's schema describes, and
  re-labels the request `application/json`, so one JSON schema validates both media types;
- turns a JSON response into XML when the client's `Accept` prefers XML.

It acts only below the prefix of a provider with an `xml_root`; error bodies are made XML by
the edge (`negotiation.render_body`), which sits outside this middleware.

One more wire format is read as JSON, for any provider: an operation whose contract declares
`text/plain` for its request body reads a `text/plain` body, or one sent without a
Content-Type, as JSON (Oracle's toolkit posts JSON that way). The request is re-labelled
`application/json`, so Connexion's JSON validator parses and checks it (a malformed one is the
provider's 400) and the handler receives the same dict as for JSON.

XML carries text only, so the request conversion follows the operation's schema: an object
becomes a dict of its child elements (a property's `xml.name` renames its element), an array is
its repeated elements (or the children of one element when `xml.wrapped`), `allOf` members are
merged, and integer, number and boolean text become numbers and booleans when they parse as
such. The root element's name
is not checked. Attributes, comments and processing instructions are ignored; a DOCTYPE is
refused (no entity expansion at all).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sharemock.config import DEFAULT_MAX_BODY
from sharemock.mounts import MountedProvider, Mounts
from sharemock.negotiation import (
    JSON,
    XML,
    is_json_media_type,
    media_type,
    to_xml,
    wants_xml,
)
from sharemock.request_body import read_body, with_body
from sharemock.validation import BodyProblem

MAX_DEPTH = 32
TEXT = "text/plain"
_NUMBER_TYPES = {"integer": int, "number": float}

Resolve = Callable[[Any], Any]


def is_xml_media_type(content_type: str | None) -> bool:
    """`application/xml`, `text/xml` or any `+xml` type."""
    kind = media_type(content_type)
    return kind in (XML, "text/xml") or kind.endswith("+xml")


def parse_xml(data: bytes) -> ElementTree.Element:
    """The root element of an XML document; `BodyProblem` if it is not one we accept."""
    builder = ElementTree.TreeBuilder()
    depth = 0

    def start(name: str, _attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise BodyProblem(f"XML body nests deeper than {MAX_DEPTH} elements")
        builder.start(name.rpartition(" ")[2], {})  # namespace URI dropped: local names only

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(name.rpartition(" ")[2])

    def refuse_doctype(*_args: object) -> None:
        raise BodyProblem("XML body must not have a DOCTYPE")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise BodyProblem(f"request body is not well-formed XML: {exc}") from exc
    return builder.close()


def _effective(schema: Any, resolve: Resolve) -> dict[str, Any]:
    """`schema` resolved, with the members of an `allOf` merged into one object schema."""
    schema = resolve(schema) if isinstance(schema, dict) else {}
    if "allOf" not in schema:
        return dict(schema)
    merged = {key: value for key, value in schema.items() if key != "allOf"}
    properties: dict[str, Any] = {}
    for part in schema["allOf"]:
        part = _effective(part, resolve)
        if "type" in part:
            merged.setdefault("type", part["type"])
        properties.update(part.get("properties", {}))
    merged["properties"] = {**properties, **schema.get("properties", {})}
    return merged


def xml_to_json(element: ElementTree.Element, schema: Any, resolve: Resolve) -> Any:
    """The JSON value `element` stands for, read as `schema` describes it."""
    schema = _effective(schema, resolve)
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    children = list(element)
    text = element.text or ""
    if kind == "array":
        items = schema.get("items", {})
        return [xml_to_json(child, items, resolve) for child in children]
    if kind == "object" or (kind is None and children):
        if not children and text.strip():
            return text  # text where an object belongs: left for validation to refuse
        return _object(children, schema, resolve)
    if children:
        return _object(children, {}, resolve)  # elements where a scalar belongs: ditto
    return _scalar(text, kind)


def _scalar(text: str, kind: str | None) -> Any:
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    if kind in _NUMBER_TYPES:
        try:
            return _NUMBER_TYPES[kind](text)
        except ValueError:
            return text
    return text


def _object(children: list[ElementTree.Element], schema: Any, resolve: Resolve) -> dict[str, Any]:
    properties: dict[str, Any] = schema.get("properties", {}) if isinstance(schema, dict) else {}
    # Which property each element name stands for (`xml.name` renames the element).
    by_element: dict[str, tuple[str, Any]] = {}
    for name, raw in properties.items():
        property_schema = _effective(raw, resolve)
        element_name = property_schema.get("xml", {}).get("name", name)
        if property_schema.get("type") == "array" and not property_schema.get("xml", {}).get(
            "wrapped"
        ):
            element_name = (
                resolve(property_schema.get("items", {})).get("xml", {}).get("name", name)
            )
        by_element[element_name] = (name, property_schema)

    result: dict[str, Any] = {}
    for child in children:
        name, property_schema = by_element.get(child.tag, (child.tag, {}))
        is_array = property_schema.get("type") == "array"
        if is_array and not property_schema.get("xml", {}).get("wrapped"):
            item = xml_to_json(child, property_schema.get("items", {}), resolve)
            result.setdefault(name, []).append(item)
            continue
        value = xml_to_json(child, property_schema, resolve)
        if name in result:
            # A repeated element where one value belongs: keep them all, validation refuses.
            previous = result[name]
            result[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            result[name] = value
    return result


class XmlBodies:
    """ASGI middleware: XML requests become JSON, JSON responses become XML on request."""

    def __init__(self, app: ASGIApp, mounts: Mounts, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self._mounts = mounts
        # The server's body limit (`Limits`, outside, refuses a larger body first).
        self._max_body = max_body
        # Decided once: the other providers' requests pass straight through.
        self._served = {id(mounted) for mounted in mounts if needs_xml_bodies(mounted)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        mounted = self._mounts.owner(scope["path"]) if scope["type"] == "http" else None
        if mounted is None or id(mounted) not in self._served:
            await self.app(scope, receive, send)
            return
        operation = mounted.spec.operation_for(mounted.local_path(scope["path"]), scope["method"])
        headers = Headers(scope=scope)
        if operation is not None and _reads_text_as_json(mounted, operation, headers):
            scope = _relabelled_json(scope)
        if mounted.provider.xml_root is None:
            await self.app(scope, receive, send)
            return
        if operation is not None and is_xml_media_type(headers.get("content-type")):
            body_schema = mounted.spec.request_schema(operation, XML)
            if body_schema is not None:
                scope, receive = await _as_json_request(
                    scope, receive, body_schema, mounted, self._max_body
                )
        if wants_xml(headers.get("accept")):
            send = _XmlResponse(send, mounted, operation).send
        await self.app(scope, receive, send)


def needs_xml_bodies(mounted: MountedProvider) -> bool:
    """Whether a provider speaks XML, or has an operation that reads `text/plain` as JSON."""
    if mounted.provider.xml_root is not None:
        return True
    return any(TEXT in mounted.spec.request_media_types(op) for op in mounted.spec.operations)


def _reads_text_as_json(mounted: MountedProvider, operation: Any, headers: Headers) -> bool:
    """A `text/plain` (or unlabelled) body, for an operation that declares `text/plain`."""
    kind = media_type(headers.get("content-type"))
    return kind in ("", TEXT) and TEXT in mounted.spec.request_media_types(operation)


def _relabelled_json(scope: Scope) -> Scope:
    # The charset goes too: JSON is UTF-8 (RFC 8259), and Flask reads the handler's body so.
    headers = MutableHeaders(scope={"type": "http", "headers": list(scope["headers"])})
    headers["content-type"] = JSON
    return {**scope, "headers": headers.raw}


async def _as_json_request(
    scope: Scope, receive: Receive, schema: Any, mounted: MountedProvider, limit: int
) -> tuple[Scope, Receive]:
    """The request with its XML body read, converted and re-labelled as JSON."""
    raw = await read_body(receive, limit, "XML body")
    payload = b""
    if raw.strip():
        value = xml_to_json(parse_xml(raw), schema, mounted.spec.resolve)
        payload = json.dumps(value, separators=(",", ":")).encode()
    return with_body(scope, receive, payload, JSON)


class _XmlResponse:
    """A `send` that holds back a JSON response and sends it as XML instead."""

    def __init__(self, send: Send, mounted: MountedProvider, operation: Any) -> None:
        self._send = send
        self._mounted = mounted
        self._operation = operation
        self._start: Message | None = None
        self._chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if is_json_media_type(Headers(raw=message["headers"]).get("content-type")):
                self._start = message
                return
        elif message["type"] == "http.response.body" and self._start is not None:
            self._chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._send_converted(self._start, b"".join(self._chunks))
            return
        await self._send(message)

    async def _send_converted(self, start: Message, body: bytes) -> None:
        try:
            value = json.loads(body) if body else None
        except ValueError:
            value = None
        if isinstance(value, dict):
            root = self._root_element(start["status"])
            body = to_xml(root, value)
            headers = MutableHeaders(raw=list(start["headers"]))
            headers["content-type"] = XML
            headers["content-length"] = str(len(body))
            start = {**start, "headers": headers.raw}
        await self._send(start)
        await self._send({"type": "http.response.body", "body": body, "more_body": False})

    def _root_element(self, status: int) -> str:
        """The response schema's `xml.name`, else the provider's XML root."""
        provider_root = self._mounted.provider.xml_root
        assert provider_root is not None
        if self._operation is None:
            return provider_root
        schema = self._mounted.spec.response_schema(self._operation, status, XML)
        name = (schema or {}).get("xml", {}).get("name")
        return name if isinstance(name, str) and name else provider_root
