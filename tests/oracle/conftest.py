from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from sharemock.negotiation import to_xml
from sharemock.spec import ProviderSpec, load_document
from sharemock.xml_bodies import parse_xml, xml_to_json
from tests.conftest import REPO

LINK = "LFCE8A35C88A6A96FD39B621T0000000000100000001"
BB_LINK = "L039C76B2853DECAAD5E5A3AT0000000000100000001"
AA_FILE = "DFF20D933802FC5C0B3695E5T0000000000100000001"
AA_FOLDER = "FB12DCE46A77C10217147411T0000000000100000001"
BB_FILE = "D3C6DAC4D142CA58707FCD76T0000000000100000001"
VERSIONS = ("1.1", "1.2")  # the seed's legacy API and the current one: one contract
API = "/oracle/documents/api/1.1/publiclinks"
API_1_2 = "/oracle/documents/api/1.2/publiclinks"
LINK_PATH = f"{API}/{LINK}"


def basic(login: str, password: str) -> dict[str, str]:
    """HTTP Basic headers for `login:password`."""
    token = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def aa(credential: Callable[[str, str], str]) -> dict[str, str]:
    """User AA by bearer token: owner of the seed's link, file and folder."""
    return {"Authorization": f"Bearer {credential('oracle', 'useraa')}"}


@pytest.fixture
def aa_basic() -> dict[str, str]:
    """User AA by HTTP Basic."""
    return basic("useraa", "welcome1")


@pytest.fixture
def bb(credential: Callable[[str, str], str]) -> dict[str, str]:
    """User BB by bearer token: no rights on User AA's items; owns BB_FILE and BB_LINK."""
    return {"Authorization": f"Bearer {credential('oracle', 'userbb')}"}


SPEC = ProviderSpec(load_document(REPO / "openapi" / "oracle.yaml"))
XML_HEADERS = {"Content-Type": "application/xml", "Accept": "application/xml"}


def from_xml(content: bytes, schema: str) -> tuple[str, Any]:
    """An XML answer's root element name, and its content read as the named schema says."""
    root = parse_xml(content)
    return root.tag, xml_to_json(root, {"$ref": f"#/components/schemas/{schema}"}, SPEC.resolve)


def to_xml_body(root: str, fields: dict[str, str]) -> bytes:
    """A flat request body in XML: one child element per field."""
    return to_xml(root, fields)
