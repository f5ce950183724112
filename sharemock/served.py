"""The contracts as served at `<prefix>/openapi.json` and `<prefix>/openapi.yaml`: as written.

Connexion would serve each API's document with every `$ref` inlined (its validators need the
resolved copy), and a tool reading that copy loses what the file names: generated TypeScript
types lose every named schema, openapi-python-client makes several models per schema. So the
mock serves the document as its file has it, `$ref`s and all; only `servers` differs: first the
address it was served from (the mount, relative, so whatever host and port the reader used:
Swagger UI's "Try it out" and a client generated from the served copy call this mock), then
the file's other servers (the real hosts). The file's own first server, the mock as `make
serve` runs it, is the entry that the served one replaces.

Both bodies are made once per mount at start-up (`sharemock serve --reload` starts a new worker,
so a changed contract is served as changed); a request gets the prepared bytes. Connexion's own
spec routes are switched off (`serve_spec=False`, sharemock/docs.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import yaml
from starlette.types import ASGIApp, Receive, Scope, Send

JSON_PATH = "/openapi.json"
YAML_PATH = "/openapi.yaml"
MEDIA_TYPES = {JSON_PATH: b"application/json", YAML_PATH: b"text/yaml; charset=utf-8"}
OWN_SERVER = "This mock: the address this document was served from."


def served_servers(document: Mapping[str, Any], mount: str) -> list[dict[str, Any]]:
    """`servers` as served from `mount`: the mount first, then the file's servers but the
    mock's own (an entry whose path is the mount's prefix is the mock, wherever it runs)."""
    prefix = mount.rstrip("/")
    others = [
        server
        for server in document.get("servers", [])
        if urlsplit(str(server.get("url", ""))).path.rstrip("/") != prefix
    ]
    return [{"url": mount, "description": OWN_SERVER}, *others]


def served_document(document: Mapping[str, Any], mount: str) -> dict[str, Any]:
    """The document as served from `mount`: as written, `servers` excepted."""
    served = dict(document)  # shallow: only `servers` is replaced, in its place
    served["servers"] = served_servers(document, mount)
    return served


def _iso(value: Any) -> str:
    if isinstance(value, date):  # an unquoted YAML date or timestamp
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


# libyaml's emitter, where PyYAML has it: the pure-Python one takes ~100 ms a contract.
_SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _ExpandedDumper(_SafeDumper):
    """Writes a node the file reached through a YAML alias in full, as the JSON has it."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# YAML bodies by their JSON twin: an app built again in the same process (a test per app, a
# reloaded worker's unchanged contracts) reuses them.
_YAML: dict[bytes, bytes] = {}


def _bodies(document: Mapping[str, Any], mount: str) -> dict[str, bytes]:
    served = served_document(document, mount)
    as_json = json.dumps(served, indent=2, ensure_ascii=False, default=_iso).encode()
    as_yaml = _YAML.get(as_json)
    if as_yaml is None:
        as_yaml = _YAML[as_json] = yaml.dump(
            served, Dumper=_ExpandedDumper, sort_keys=False, allow_unicode=True, width=100
        ).encode()
    return {JSON_PATH: as_json, YAML_PATH: as_yaml}


class ServedContracts:
    """Answers `GET <prefix>/openapi.json` and `.yaml` for every mounted API (`documents`:
    prefix -> the document as loaded) with the bodies prepared at start-up."""

    def __init__(self, app: ASGIApp, documents: Mapping[str, Mapping[str, Any]]) -> None:
        self.app = app
        self._documents = dict(documents)
        # (mount as the client sees it, JSON_PATH or YAML_PATH) -> body. An ASGI `root_path`
        # (a path-prefixing proxy) gives another mount; its bodies are made once, when asked.
        self._bodies: dict[tuple[str, str], bytes] = {}
        for prefix, document in self._documents.items():
            for path, body in _bodies(document, prefix).items():
                self._bodies[prefix, path] = body

    def _body(self, root_path: str, prefix: str, path: str) -> bytes | None:
        mount = root_path + prefix
        body = self._bodies.get((mount, path))
        if body is None and prefix in self._documents:
            for each, made in _bodies(self._documents[prefix], mount).items():
                self._bodies[mount, each] = made
            body = self._bodies[mount, path]
        return body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        route, root_path = scope["path"], scope.get("root_path", "")
        if root_path and route.startswith(root_path + "/"):
            route = route[len(root_path) :]
        suffix = route[-len(JSON_PATH) :]
        body = (
            self._body(root_path, route[: -len(JSON_PATH)], suffix)
            if suffix in MEDIA_TYPES
            else None
        )
        if body is None:
            await self.app(scope, receive, send)
            return
        headers = [
            (b"content-type", MEDIA_TYPES[suffix]),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
