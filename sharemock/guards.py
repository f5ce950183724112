"""ASGI guards that turn requests no router can place into ordinary route misses."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send


class UnroutablePathGuard:
    """404 for a path holding a newline, before it reaches routing.

    Starlette's mount pattern (`^/prefix/(?P<path>.*)$`) does not match across a newline while
    Flask's router does, so such a request slipped past Connexion's operation routing into a
    Flask view with no operation context: a 500. Raised here, the edge answers the provider's
    "no such route" instead.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "\n" in scope["path"]:
            raise HTTPException(404, "the path holds a newline")
        await self.app(scope, receive, send)
