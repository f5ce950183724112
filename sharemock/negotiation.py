"""Response media types: JSON for everyone, XML too for providers that declare an XML root."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

JSON = "application/json"
# Characters XML 1.0 cannot carry, even escaped (§2.2): stored text may hold them (JSON can).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
XML = "application/xml"


def media_type(content_type: str | None) -> str:
    """The media type of a `Content-Type` value, lower case, without parameters."""
    return (content_type or "").split(";")[0].strip().lower()


def is_json_media_type(content_type: str | None) -> bool:
    """`application/json` or any `+json` type (parameters ignored)."""
    kind = media_type(content_type)
    return kind == JSON or kind.endswith("+json")


def _quality(accept: str, media_type: str) -> float:
    """The q-value `accept` gives `media_type` (exact type, type/*, or */*)."""
    best = -1.0
    major = media_type.split("/")[0]
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        candidate = fields[0].lower()
        if candidate not in (media_type, f"{major}/*", "*/*"):
            continue
        q = 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        # A more specific match outranks */*, as RFC 9110 §12.5.1 asks.
        specificity = 0.002 if candidate == media_type else 0.001 if candidate != "*/*" else 0
        best = max(best, q + specificity)
    return best


def wants_xml(accept: str | None) -> bool:
    """Whether the client prefers XML over JSON."""
    if not accept:
        return False
    return _quality(accept, XML) > max(_quality(accept, JSON), 0.0)


def to_xml(root: str, body: dict[str, Any]) -> bytes:
    """Serialise a JSON-like dict as XML: keys become elements, lists repeat `item`."""
    element = ElementTree.Element(root)
    _fill(element, body)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child_value in value.items():
            _fill(ElementTree.SubElement(element, key), child_value)
    elif isinstance(value, list):
        for item in value:
            _fill(ElementTree.SubElement(element, "item"), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _XML_ILLEGAL.sub("\ufffd", str(value))


def render_body(
    body: dict[str, Any], accept: str | None, xml_root: str | None
) -> tuple[bytes, str]:
    """Encode `body` in the media type the client asked for, among those the provider has."""
    if xml_root is not None and wants_xml(accept):
        return to_xml(xml_root, body), XML
    return json.dumps(body, separators=(",", ":")).encode(), JSON
