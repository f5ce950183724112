"""`Controls`: the one place a request's answer is forced, delayed, broken or re-staged.

It sits after routing (it must know the operation) and before security and validation (a
forced answer needs no credentials, and `__` query parameters never reach validation). What
a request asks (`Prefer`, `__` parameters) wins over a rule of its session, which wins over
a rule for everyone, which wins over the server-wide `--latency`; `--chaos` breaks only
requests that asked for nothing else. Whatever applied is named in `Preference-Applied`.

A request that asks nothing, while there are no rules and no server-wide settings, costs a
look at two places of the scope: the version of the shared controls (`board.py`) and the
presence of a `Prefer` header or `__` in the query.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from http.cookies import CookieError, SimpleCookie
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sharemock.controls import faults
from sharemock.controls.answers import Answers, Forced, Undocumented5xx
from sharemock.controls.board import Board, rules_for
from sharemock.controls.delivery import delivery_of
from sharemock.controls.rules import Rule
from sharemock.controls.serverwide import ServerWide
from sharemock.controls.vocabulary import (
    DEFAULT_DRIBBLE_MS,
    NOTHING,
    ControlError,
    Directive,
    from_prefer,
    from_query,
)
from sharemock.errors import ApiError, Failure, FrameworkFailure
from sharemock.mounts import MountedProvider, Mounts

SESSION_HEADER = b"x-sharemock-session"
SESSION_COOKIES = ("X-Sharemock-Session", "sharemock-session")
APPLIED_HEADER = "Preference-Applied"
RULE_HEADER = "X-Sharemock-Rule"
_CONNECTION_FAULTS = frozenset({"reset", "empty", "garbage", "malformed"})


@dataclass(frozen=True)
class _Target:
    """A routed operation the controls may act on."""

    mounted: MountedProvider
    operation: dict[str, Any]
    answers: Answers

    @property
    def operation_id(self) -> str:
        return str(self.operation["operationId"])


def _header(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope["headers"] if key == name]


def session_of(scope: Scope) -> str | None:
    """The session a request names (`X-Sharemock-Session` header, else cookie), if any."""
    sent = _header(scope, SESSION_HEADER)
    if sent:
        return sent[0].strip() or None
    for raw in _header(scope, b"cookie"):
        cookie = SimpleCookie()
        try:
            cookie.load(raw)
        except CookieError:
            continue
        for name in SESSION_COOKIES:
            if name in cookie:
                return cookie[name].value or None
    return None


def _refusal(target: _Target, exc: ControlError) -> ApiError:
    """A control the mock cannot follow, in the provider's words for a bad request."""
    errors = target.mounted.provider.errors
    error = errors.from_failure(FrameworkFailure(Failure.INVALID_HEADER, str(exc)))
    error.message = error.detail = str(exc)
    return error


async def _body_of(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a `receive` that hands it on again."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body, replayed = b"".join(chunks), False

    async def again() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, again


class Controls:
    """ASGI middleware applying the controls to every routed provider operation."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        board: Board,
        mounts: Mounts,
        server_wide: ServerWide,
        overlay: Callable[[str, MountedProvider], AbstractContextManager[None]],
    ) -> None:
        self.app = app
        self._board = board
        self._server_wide = server_wide
        self._overlay = overlay
        self._rng = random.Random(server_wide.seed)
        self._targets: dict[tuple[str, str], _Target] = {}
        for mounted in mounts:
            answers = Answers(mounted)
            for operation in mounted.spec.operations:
                # Connexion's routing names an operation by the handler it resolved to.
                handler = mounted.provider.handler_name(operation["operationId"])
                key = (mounted.provider.prefix, handler)
                self._targets[key] = _Target(mounted, operation, answers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self._board.refresh()
        routing = scope.get("extensions", {}).get("connexion_routing") or {}
        target = self._targets.get(
            (routing.get("api_base_path", ""), routing.get("operation_id", ""))
        )
        if target is None or not (
            self._board.rules
            or self._server_wide
            or b"__" in scope["query_string"]
            or any(key == b"prefer" for key, _ in scope["headers"])
        ):
            await self.app(scope, receive, send)
            return
        try:
            await self._controlled(target, scope, receive, send)
        except ControlError as exc:
            raise _refusal(target, exc) from None

    def _asked(self, scope: Scope) -> tuple[Directive, Scope]:
        """What the request itself asks, and its scope without the `__` parameters."""
        asked = from_prefer(_header(scope, b"prefer"))
        query = scope["query_string"].decode("latin-1")
        in_query, rest = from_query(query) if "__" in query else (NOTHING, None)
        if rest is not None:
            scope = {**scope, "query_string": rest.encode("latin-1")}
        return asked.over(in_query), scope

    async def _rule(
        self, target: _Target, scope: Scope, receive: Receive
    ) -> tuple[Rule | None, Receive]:
        """The first rule that holds for this request (spent if limited), and the body reader."""
        if not self._board.rules:
            return None, receive
        candidates = [
            rule
            for rule in rules_for(self._board.rules, session_of(scope))
            if rule.aims_at(
                target.mounted.provider.name, target.operation_id, scope.get("path_params", {})
            )
        ]
        body: Any = None
        if any(rule.body for rule in candidates):
            raw, receive = await _body_of(receive)
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
        for rule in candidates:
            if rule.body and not rule.fits_body(body):
                continue
            if rule.probability is not None and self._rng.random() >= rule.probability:
                continue
            if self._board.spend(rule):
                return rule, receive
        return None, receive

    async def _controlled(
        self, target: _Target, scope: Scope, receive: Receive, send: Send
    ) -> None:
        asked, scope = self._asked(scope)
        rule, receive = await self._rule(target, scope, receive)
        wanted = asked.over(rule.answer if rule else NOTHING).over(self._server_wide.latency)
        if not wanted.fault and not wanted.forces_answer:
            wanted = self._server_wide.chaos(self._rng, wanted)
        if not wanted:
            await self.app(scope, receive, send)
            return
        seconds = self._seconds(wanted)
        if wanted.delay is not None:  # the delay drawn, not the range it was drawn from
            drawn = round(seconds * 1000)
            wanted = replace(wanted, delay=(drawn, drawn))
        marks = [(APPLIED_HEADER.lower().encode(), wanted.applied().encode())]
        if rule is not None:
            marks.append((RULE_HEADER.lower().encode(), rule.id.encode()))
        if wanted.fault in _CONNECTION_FAULTS:
            await asyncio.sleep(seconds)
            await faults.perform(wanted.fault, scope)
            return
        dribble = wanted.fault == "dribble"
        if dribble and not seconds:
            seconds = DEFAULT_DRIBBLE_MS / 1000
        # Made first: an answer the contract cannot give is refused unmarked (ControlError).
        forced = self._forced(target, wanted) if wanted.forces_answer else None
        # The answer, whoever makes it (the edge's refusals too), leaves through the delivery.
        delivery_of(scope, send).decide(marks, seconds, dribble)
        if isinstance(forced, ApiError):
            raise forced
        if forced is not None:
            headers = [(b"content-length", str(len(forced.body)).encode())]
            if forced.content_type:
                headers.append((b"content-type", forced.content_type.encode()))
            await send({"type": "http.response.start", "status": forced.status, "headers": headers})
            await send({"type": "http.response.body", "body": forced.body})
            return
        with self._staged(wanted, target):
            await self.app(scope, receive, send)

    def _staged(self, wanted: Directive, target: _Target) -> AbstractContextManager[None]:
        return self._overlay(wanted.state, target.mounted) if wanted.state else nullcontext()

    def _seconds(self, wanted: Directive) -> float:
        if wanted.delay is None:
            return 0.0
        low, high = wanted.delay
        return (low if low == high else self._rng.uniform(low, high)) / 1000

    @staticmethod
    def _forced(target: _Target, wanted: Directive) -> Forced | ApiError:
        """The made-up answer, or the provider's own server error where none is documented."""
        try:
            return target.answers.answer(target.operation, wanted)
        except Undocumented5xx:
            return target.mounted.provider.errors.from_failure(
                FrameworkFailure(Failure.INTERNAL, "server error forced by Prefer: fault=5xx")
            )
