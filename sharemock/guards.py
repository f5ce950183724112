"""ASGI guards that turn requests no router can place into ordinary route misses."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send


class UnroutedGuard:
    """ASGI middleware: a request below a provider's prefix that Connexion could not route
    stops here as a 404 for the edge to explain.

    Connexion's router (Starlette) and Flask's disagree on some paths: Starlette's mount does
    not match a path segment holding a newline (`%0A`), Flask's rule does. Let through, such a
    request reaches the handler without its operation context, which is a 500.
    """

    def __init__(self, app: ASGIApp, prefixes: Sequence[str]) -> None:
        self.app = app
        self.prefixes = tuple(prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(
            scope["path"] == prefix or scope["path"].startswith(prefix + "/")
            for prefix in self.prefixes
        ):
            routing = scope.get("extensions", {}).get("connexion_routing", {})
            if routing.get("operation_id") is None:
                raise HTTPException(404)
        await self.app(scope, receive, send)
