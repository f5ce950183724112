"""Every contract under openapi/ is valid, complete, routed, protected and self-consistent."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from connexion.spec import Specification
from jsonschema import Draft4Validator
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from sharemock.providers import PROVIDERS
from sharemock.spec import HTTP_METHODS, ProviderSpec, load_document
from tests.conftest import REPO

SPEC_FILES = sorted((REPO / "openapi").glob("*.yaml"))
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, item[method])
        for path, item in document["paths"].items()
        for method in HTTP_METHODS
        if method in item
    ]


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.name)
def test_spec_passes_openapi_spec_validator(path: Path) -> None:
    validate(load_document(path))


MOCK_ORIGIN = "http://127.0.0.1:8000"  # where `make serve` listens
PREFIXES = {p.spec_file: p.prefix for p in PROVIDERS} | {"admin.yaml": "/__admin"}


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.name)
def test_servers_list_the_mock_first_then_the_real_hosts(path: Path) -> None:
    """A tool reading the file (openapi-core, a generated client) finds the mock first."""
    servers = load_document(path)["servers"]
    assert servers[0]["url"] == MOCK_ORIGIN + PREFIXES[path.name]
    if path.name != "admin.yaml":  # the mock's own API has no other host
        assert len(servers) > 1
        assert all(not s["url"].startswith(MOCK_ORIGIN) for s in servers[1:])


# The keywords whose value is a schema, a list of schemas, or a map of them (OpenAPI 3.0).
_ONE_SCHEMA = ("items", "not", "additionalProperties")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def _schemas(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """Every schema object in `node` (a document, or any part), with its JSON pointer."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += _schemas(item, f"{where}/{index}")
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "schema" or (key in _ONE_SCHEMA and isinstance(value, dict)):
                found += _schema_tree(value, f"{where}/{key}")
            elif key == "schemas" and isinstance(value, dict):
                for name, schema in value.items():
                    found += _schema_tree(schema, f"{where}/schemas/{name}")
            elif key not in ("example", "examples"):
                found += _schemas(value, f"{where}/{key}")
    return found


def _schema_tree(schema: dict[str, Any], where: str) -> list[tuple[str, dict[str, Any]]]:
    found = [(where, schema)]
    for key in _ONE_SCHEMA:
        if isinstance(schema.get(key), dict):
            found += _schema_tree(schema[key], f"{where}/{key}")
    for key in _SCHEMA_LISTS:
        for index, branch in enumerate(schema.get(key, [])):
            found += _schema_tree(branch, f"{where}/{key}/{index}")
    for name, inner in schema.get("properties", {}).items():
        found += _schema_tree(inner, f"{where}/properties/{name}")
    return found


def _says_its_type(schema: dict[str, Any]) -> bool:
    """It has a `type`, is a `$ref`, or composes only schemas that do (`allOf` may add a
    description to a `$ref`, `anyOf` may join typed alternatives)."""
    if "type" in schema or "$ref" in schema:
        return True
    branches = [b for key in _SCHEMA_LISTS for b in schema.get(key, [])]
    return bool(branches) and all(_says_its_type(branch) for branch in branches)


# Where any JSON value is meant, and said so: a rule matches a body field's value, whatever
# its type (`{"/settings/ttl": 0}`, `{"public": true}`, `{"name": null}`).
ANY_VALUE = {"admin.yaml": ["#/components/schemas/NewRule/properties/body/additionalProperties"]}


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.name)
def test_every_schema_says_its_type(path: Path) -> None:
    """A typeless schema (a bare `anyOf` branch, `{format: ipv4}`) is `Any` to a generated
    client: every schema names its type, or is made only of schemas that do."""
    untyped = [
        where for where, schema in _schemas(load_document(path), "#") if not _says_its_type(schema)
    ]
    assert untyped == ANY_VALUE.get(path.name, [])


def test_every_provider_has_a_spec_and_every_spec_a_provider() -> None:
    # admin.yaml is the mock's own API (the frontend controls), not a provider's.
    assert {p.spec_file for p in PROVIDERS} | {"admin.yaml"} == {path.name for path in SPEC_FILES}


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_every_operation_routes_to_a_handler(provider: Any) -> None:
    module = importlib.import_module(provider.handlers_module)
    for method, path, operation in _operations(
        load_document(REPO / "openapi" / provider.spec_file)
    ):
        name = _CAMEL.sub("_", operation["operationId"]).lower()
        assert callable(getattr(module, name, None)), f"{method.upper()} {path} -> {name}"


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_every_operation_documents_examples(provider: Any) -> None:
    document = load_document(REPO / "openapi" / provider.spec_file)
    assert document["info"].get("description")
    for method, path, operation in _operations(document):
        ok = next(code for code in operation["responses"] if code.startswith("2"))
        content = operation["responses"][ok].get("content", {})
        json_bodies = [media for name, media in content.items() if "json" in name]
        for media in json_bodies:
            assert "example" in media or "examples" in media, f"{method.upper()} {path}"


def _examples(media: dict[str, Any]) -> list[Any]:
    if "example" in media:
        return [media["example"]]
    return [example["value"] for example in media.get("examples", {}).values()]


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_examples_conform_to_their_schemas(provider: Any) -> None:
    """A mock that serves its examples must not document examples its own schema refuses."""
    spec = Specification.from_dict(load_document(REPO / "openapi" / provider.spec_file))
    checker = Draft4Validator.FORMAT_CHECKER
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            bodies = [
                (
                    f"{method} {path} request",
                    operation.get("requestBody", {}),
                    Draft4RequestValidator,
                )
            ]
            bodies += [
                (f"{method} {path} {status}", response, Draft4ResponseValidator)
                for status, response in operation["responses"].items()
            ]
            for label, holder, validator_class in bodies:
                for media_type, media in holder.get("content", {}).items():
                    if "json" not in media_type:
                        continue
                    validator = validator_class(media["schema"], format_checker=checker)
                    for example in _examples(media):
                        errors = [e.message for e in validator.iter_errors(example)]
                        assert not errors, f"{label} {media_type}: {errors}"


def _credential_headers(provider: Any) -> list[dict[str, str]]:
    """No credential, and credentials that are well-formed but wrong."""
    header = provider.credential_header
    return [
        {},
        {header: f"{provider.credential_prefix}not-a-valid-credential"},
        {header: "Basic bm9ib2R5Om5vdGhpbmc="},
    ]


def _filled(path: str, spec: ProviderSpec) -> str:
    """`path` with `1` for each parameter, or the first value of a fixed choice (a version)."""
    choices = next(t.choices for t in spec.templates if t.template == path)
    return re.sub(r"\{([^}]+)\}", lambda m: choices.get(m[1], ("1",))[0], path)


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_every_protected_operation_refuses_missing_and_bad_credentials(
    client: TestClient, provider: Any
) -> None:
    """Connexion silently skips a security scheme it cannot resolve: prove none is skipped."""
    document = load_document(REPO / "openapi" / provider.spec_file)
    spec = ProviderSpec(document)
    default_security = document.get("security", [])
    protected = 0
    for method, path, operation in _operations(document):
        security = operation.get("security", default_security)
        if not security or {} in security:
            continue
        protected += 1
        url = provider.prefix + _filled(path, spec)
        for headers in _credential_headers(provider):
            response = client.request(method.upper(), url, headers=headers)
            assert response.status_code == 401, (method, url, headers, response.text)
            assert "problem+json" not in response.headers["content-type"]
    assert protected > 0
