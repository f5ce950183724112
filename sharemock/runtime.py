"""The per-app runtime (settings, database, clock), reachable from handlers and auth hooks.

Connexion resolves handlers and security functions by dotted name, so they cannot be handed
the app's objects directly. `RuntimeMiddleware` puts the app's `Runtime` in a context
variable for the duration of each request; Flask handlers run inline on the same task
(`flask_glue.py`), so they see it, and so does anything a middleware makes current below it
(`overridden`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

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
    # How far the mock's clock is from `clock` (`POST /__admin/clock`); the controls set it.
    offset: timedelta = timedelta(0)
    # The frontend controls (`sharemock.controls.Controls`), for the admin API's handlers.
    controls: Any = None
    # The request journal (`sharemock.journal.Journal`), for the admin API's handlers.
    journal: Any = None

    def now(self) -> datetime:
        return self.clock() + self.offset


_current: ContextVar[Runtime] = ContextVar("sharemock_runtime")


def current() -> Runtime:
    """The runtime of the app serving the current request."""
    return _current.get()


@contextmanager
def overridden(**changes: Any) -> Iterator[Runtime]:
    """Make a copy of the current runtime with `changes` current for the block (one request's
    private database, say)."""
    runtime = replace(_current.get(), **changes)
    token = _current.set(runtime)
    try:
        yield runtime
    finally:
        _current.reset(token)


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
