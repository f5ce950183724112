"""The contracts as served at `<prefix>/openapi.json` and `.yaml`: the files as written, `$ref`s
kept, with this mock first in `servers` (sharemock/served.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from sharemock.app import ADMIN_PREFIX, ADMIN_SPEC, create_app
from sharemock.config import Settings
from sharemock.providers import PROVIDERS
from sharemock.served import OWN_SERVER
from sharemock.spec import load_document
from tests.conftest import REPO

MOUNTS = [(p.prefix, p.spec_file) for p in PROVIDERS] + [(ADMIN_PREFIX, ADMIN_SPEC)]


@pytest.fixture(scope="module")
def served() -> TestClient:
    """One app for the module: what it serves is made at start-up and never changes."""
    return TestClient(create_app(Settings(db_path=":memory:")))


def _without_servers(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "servers"}


@pytest.mark.parametrize(("prefix", "spec_file"), MOUNTS, ids=[m[0] for m in MOUNTS])
def test_the_served_json_is_the_file_as_written_apart_from_servers(
    served: TestClient, prefix: str, spec_file: str
) -> None:
    response = served.get(f"{prefix}/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    written = load_document(REPO / "openapi" / spec_file)
    assert _without_servers(document) == _without_servers(written)
    assert list(document) == list(written)  # `servers` in its place, keys in the file's order
    refs = json.dumps(written).count('"$ref"')
    assert refs > 0 and response.text.count('"$ref"') == refs  # named schemas stay named
    validate(document)


@pytest.mark.parametrize(("prefix", "spec_file"), MOUNTS, ids=[m[0] for m in MOUNTS])
def test_the_served_yaml_is_the_served_json(
    served: TestClient, prefix: str, spec_file: str
) -> None:
    response = served.get(f"{prefix}/openapi.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/yaml; charset=utf-8"
    assert yaml.safe_load(response.text) == served.get(f"{prefix}/openapi.json").json()
    assert "&id" not in response.text  # what the file shares by YAML alias is written out


@pytest.mark.parametrize(("prefix", "spec_file"), MOUNTS, ids=[m[0] for m in MOUNTS])
def test_servers_name_this_mock_then_the_real_hosts(
    served: TestClient, prefix: str, spec_file: str
) -> None:
    servers = served.get(f"{prefix}/openapi.json").json()["servers"]
    written = load_document(REPO / "openapi" / spec_file)["servers"]
    # Relative: Swagger UI's "Try it out", and a client generated from this copy, call the
    # server that served it, on whatever host and port the reader used.
    assert servers == [{"url": prefix, "description": OWN_SERVER}, *written[1:]]


def test_behind_a_path_prefixing_proxy_the_mount_is_the_proxied_one() -> None:
    client = TestClient(create_app(Settings(db_path=":memory:")), root_path="/behind")
    response = client.get("/behind/oracle/openapi.json")
    assert response.status_code == 200
    assert response.json()["servers"][0]["url"] == "/behind/oracle"
    again = client.get("/behind/oracle/openapi.yaml")
    assert yaml.safe_load(again.text) == response.json()


def test_only_get_and_head_are_answered(served: TestClient) -> None:
    assert served.head("/defdrive/openapi.json").status_code == 200
    assert served.post("/defdrive/openapi.json").status_code == 404
    assert served.get("/nowhere/openapi.json").status_code == 404
