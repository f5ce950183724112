"""The document Prism mocks: the workload's `openapi/*.yaml` contracts as one, each below the
mock's mount prefix, so every server in the benchmark is sent the same URLs.

Prism mocks one document per process and ignores `servers`, serving the paths at its root.
Joining the contracts (components renamed per provider, so they cannot collide) gives one
Prism process the mock's URL layout, as the mock is one process serving every contract.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sharemock.providers import provider_named
from sharemock.spec import load_document

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def _renamed_refs(node: Any, prefix: str) -> Any:
    """`node` with each local `#/components/<kind>/<name>` reference renamed `<prefix><name>`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/"):
                kind, name = value.removeprefix("#/components/").split("/", 1)
                out[key] = f"#/components/{kind}/{prefix}{name}"
            else:
                out[key] = _renamed_refs(value, prefix)
        return out
    if isinstance(node, list):
        return [_renamed_refs(item, prefix) for item in node]
    return node


def _renamed_security(requirements: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    return [{prefix + scheme: scopes for scheme, scopes in r.items()} for r in requirements]


def joined_document(spec_dir: Path, providers: Iterable[str]) -> dict[str, Any]:
    """One OpenAPI document serving each named provider's contract below its mount prefix."""
    joined: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "sharemock contracts for Prism", "version": "bench"},
        "paths": {},
        "components": {},
    }
    for name in providers:
        provider = provider_named(name)
        prefix = f"{name.replace('-', '_')}_"
        document = _renamed_refs(load_document(spec_dir / provider.spec_file), prefix)
        joined["openapi"] = document.get("openapi", joined["openapi"])
        default_security = document.get("security")
        for path, item in document.get("paths", {}).items():
            item = copy.deepcopy(item)
            for method in HTTP_METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                # Document-wide security moves onto each operation, renamed with its schemes.
                security = operation.get("security", default_security)
                if security is not None:
                    operation["security"] = _renamed_security(security, prefix)
                if "operationId" in operation:
                    operation["operationId"] = prefix + operation["operationId"]
            joined["paths"][provider.prefix + path] = item
        for kind, entries in document.get("components", {}).items():
            section = joined["components"].setdefault(kind, {})
            section.update({prefix + key: value for key, value in entries.items()})
    return joined
