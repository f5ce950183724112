"""Go's JSON key matching, for contracts whose request schemas declare it.

Go's `encoding/json` matches an object's keys to struct fields case-insensitively
(`oneTimeUse`, `OneTimeUse` and `onetimeuse` set one field; the last one wins). A request
schema marked `x-sharemock-keys: case-insensitive` reads its body that way: `CaseInsensitiveKeys`
renames each top-level key to the property it folds to, before validation, so the schema
validates the value and the handler sees the contract's names. Keys that fold to no property
pass unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from connexion.middleware.abstract import ROUTING_CONTEXT
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from sharemock.config import DEFAULT_MAX_BODY
from sharemock.mounts import MountedProvider
from sharemock.negotiation import JSON, is_json_media_type
from sharemock.request_body import read_body, with_body

MARK = "x-sharemock-keys"
CASE_INSENSITIVE = "case-insensitive"

Folding = Mapping[str, str]  # lower-cased key -> property name


def foldings(mounted: Iterable[MountedProvider]) -> dict[str, Folding]:
    """For every operation whose JSON request schema is marked: its key folding, by the
    handler it routes to (what Connexion's routing names the operation)."""
    found: dict[str, Folding] = {}
    for mount in mounted:
        for operation in mount.spec.operations:
            schema = mount.spec.request_schema(operation, JSON)
            if isinstance(schema, dict) and schema.get(MARK) == CASE_INSENSITIVE:
                properties = schema.get("properties", {})
                handler = mount.provider.handler_name(operation["operationId"])
                found[handler] = {name.lower(): name for name in properties}
    return found


def fold_keys(body: dict[str, Any], folding: Folding) -> dict[str, Any]:
    """`body` with each key renamed to the property it folds to; the last of a clash wins."""
    folded: dict[str, Any] = {}
    for key, value in body.items():
        folded[folding.get(key.lower(), key)] = value
    return folded


class CaseInsensitiveKeys:
    """ASGI middleware (after routing, before validation) applying `fold_keys`."""

    def __init__(
        self, app: ASGIApp, foldings: Mapping[str, Folding], max_body: int = DEFAULT_MAX_BODY
    ) -> None:
        self.app = app
        self._foldings = dict(foldings)
        self._max_body = max_body  # the server's (`Limits`, outside, refuses more first)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            routing = scope.get("extensions", {}).get(ROUTING_CONTEXT, {})
            folding = self._foldings.get(routing.get("operation_id", ""))
            if folding is not None and is_json_media_type(Headers(scope=scope).get("content-type")):
                scope, receive = await _folded(scope, receive, folding, self._max_body)
        await self.app(scope, receive, send)


async def _folded(
    scope: Scope, receive: Receive, folding: Folding, limit: int
) -> tuple[Scope, Receive]:
    raw = await read_body(receive, limit, "JSON body")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        body = None  # not JSON (or absurdly deep): passed on as sent, for validation to refuse
    if not isinstance(body, dict):
        return with_body(scope, receive, raw)
    return with_body(scope, receive, json.dumps(fold_keys(body, folding)).encode())
