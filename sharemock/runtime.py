"""The per-app runtime (settings, database, clock), reachable from handlers and auth hooks.

Connexion resolves handlers and security functions by dotted name, so they cannot be handed
the app's objects directly. `RuntimeMiddleware` puts the app's `Runtime` in a context
variable for the duration of each request; a2wsgi and Starlette copy the context into the
worker threads that run Flask handlers and error handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime

from starlette.types import ASGIApp, Receive, Scope, Send

from sharemock.config import Settings
from sharemock.database import Database


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    """Everything a request may need that is not in the request itself."""

    settings: Settings
    database: Database
    clock: Callable[[], datetime] = field(default=utc_now)

    def now(self) -> datetime:
        return self.clock()


_current: ContextVar[Runtime] = ContextVar("sharemock_runtime")


def current() -> Runtime:
    """The runtime of the app serving the current request."""
    return _current.get()


class RuntimeMiddleware:
    """ASGI middleware that makes `runtime` current for every request it passes on."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _current.set(self.runtime)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
