"""`sharemock.spec`: a path parameter whose schema is an `enum` is a fixed choice of segments."""

from __future__ import annotations

from typing import Any

import pytest

from sharemock.errors import Failure
from sharemock.spec import ProviderSpec

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "paths": {
        "/api/{version}/things/{id}": {
            "parameters": [
                {"name": "version", "in": "path", "required": True, "schema": {"$ref": "#/v"}},
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "get": {"responses": {}},
        },
        "/plain/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {}}],
            "get": {"responses": {}},
        },
    },
    "v": {"type": "string", "enum": ["1.1", "1.2"]},
}
SPEC = ProviderSpec(DOCUMENT)


@pytest.mark.parametrize("path", ["/api/1.1/things/x", "/api/1.2/things/x", "/plain/1.3"])
def test_served_paths(path: str) -> None:
    assert SPEC.serves(path)
    assert SPEC.operation_for(path, "GET") is not None


@pytest.mark.parametrize("version", ["1.3", "1", "1.1.0", "1x1"])  # `.` is not a wildcard
def test_another_choice_is_a_route_miss_that_names_it(version: str) -> None:
    path = f"/api/{version}/things/x"
    assert not SPEC.serves(path)
    assert SPEC.operation_for(path, "GET") is None
    for method in ("GET", "PATCH"):  # no 405: the path itself does not exist
        failure = SPEC.explain_miss(path, method)
        assert failure.kind is Failure.ROUTE_NOT_FOUND
        assert f"version {version!r}" in failure.detail


def test_without_choices_the_router_alone_decides() -> None:
    """Providers without an `enum` path parameter: `serves` never second-guesses the router."""
    plain = ProviderSpec(
        {"openapi": "3.0.3", "paths": {"/plain/{id}": DOCUMENT["paths"]["/plain/{id}"]}}
    )
    assert plain.serves("/plain/1")
    assert plain.serves("/not/in/the/contract")
