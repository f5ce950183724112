"""Media-type negotiation and XML rendering."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from sharemock.negotiation import render_body, to_xml, wants_xml


@pytest.mark.parametrize(
    ("accept", "xml"),
    [
        (None, False),
        ("application/json", False),
        ("application/xml", True),
        ("application/json, application/xml;q=0.5", False),
        ("application/xml, application/json;q=0.9", True),
        ("*/*", False),
        ("text/html, application/*;q=0.8", False),
    ],
)
def test_wants_xml(accept: str | None, xml: bool) -> None:
    assert wants_xml(accept) is xml


def test_to_xml_replaces_characters_xml_cannot_carry() -> None:
    document = to_xml("ErrorResponse", {"errorMessage": "link \x01 \ud800 not found"})
    parsed = ElementTree.fromstring(document)  # well-formed
    assert parsed.findtext("errorMessage") == "link \ufffd \ufffd not found"


def test_render_body_without_xml_root_is_json() -> None:
    body, content_type = render_body({"error": "x"}, "application/xml", None)
    assert (body, content_type) == (b'{"error":"x"}', "application/json")
