"""`Journaling`: records every request, and serves the live view of the journal.

The live view (`GET /__admin/requests?follow=1`, server-sent events) is answered here,
before Connexion's routing: Connexion's Flask glue answers a view's whole body at once, and
a stream that never ends cannot be one. Its filters are the listing's, checked here alike.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sharemock.controls.delivery import DELIVERY
from sharemock.journal.journal import BODY_LIMIT, FOLLOW_PATH, STATE_PATH, Journal, Pending
from sharemock.journal.note import NOTE, Note
from sharemock.journal.store import Filter

# How often the live view looks for new entries. A stream ends after STREAM_SECONDS and the
# client reconnects at once (`retry`), resuming after its `Last-Event-ID`: uvicorn waits for
# open answers before a worker stops, and an endless one would keep it from ever stopping.
POLL_SECONDS = 0.2
STREAM_SECONDS = 3.0
RETRY_MS = 100
_TRUE = {"1", "true"}


class Journaling:
    """ASGI middleware: one journal entry per request (reads of the journal and of the
    state excepted)."""

    def __init__(self, app: ASGIApp, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == STATE_PATH and scope["method"] == "GET":
            await self.app(scope, receive, send)
            return
        if path.startswith(FOLLOW_PATH):  # the journal's own API is not journaled
            query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
            if path == FOLLOW_PATH and query.get("follow", "").lower() in _TRUE:
                await self._follow(query, scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        note = scope[NOTE] = Note()
        wall, started = time.time(), time.perf_counter()
        request_body: list[bytes] = []
        response_body: list[bytes] = []
        sizes = [0, 0]
        status = [0]
        response_headers: list[Any] = []

        async def journaled_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                if sizes[0] < BODY_LIMIT:
                    request_body.append(chunk)
                sizes[0] += len(chunk)
            return message

        async def journaled_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                response_headers.extend(message.get("headers", ()))
            elif message["type"] == "http.response.body":
                chunk = message.get("body", b"")
                if sizes[1] < BODY_LIMIT:
                    response_body.append(chunk)
                sizes[1] += len(chunk)
            await send(message)

        try:
            await self.app(scope, journaled_receive, journaled_send)
        finally:
            delivery = scope.get(DELIVERY)
            self.journal.add(
                Pending(
                    wall,
                    time.perf_counter() - started,
                    scope["method"],
                    path,
                    scope["query_string"],
                    scope["headers"],
                    request_body,
                    sizes[0],
                    status[0],
                    response_headers,
                    response_body,
                    sizes[1],
                    note.reasons,
                    getattr(delivery, "marks", None),
                )
            )

    async def _follow(
        self, query: dict[str, str], scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Server-sent events: one `request` event per new entry, for a few seconds (the
        client reconnects where it left off) or until the client leaves."""
        resume = next((v for k, v in scope["headers"] if k == b"last-event-id"), b"").strip()
        try:
            wanted = _filter(query)
            if resume and not resume.isdigit():
                raise ValueError(f"Last-Event-ID: {resume.decode('latin-1')!r} is not an entry id")
        except ValueError as exc:
            body = json.dumps(
                {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": str(exc)}
            ).encode()
            headers = [(b"content-type", b"application/problem+json")]
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache"),
                ],
            }
        )
        if resume:
            last = int(resume)
        else:
            newest = self.journal.entries(Filter(), 1)
            last = newest[0]["id"] if newest else 0

        async def client_left() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        leaving = asyncio.ensure_future(client_left())
        ends = time.monotonic() + STREAM_SECONDS
        try:
            # The id alone, with no data, sets where the client resumes from even when this
            # stream carries no entry (the HTML standard's "last event ID" rule).
            opening = f"retry: {RETRY_MS}\nid: {last}\n\n".encode()
            await send({"type": "http.response.body", "body": opening, "more_body": True})
            while not leaving.done() and time.monotonic() < ends:
                found = self.journal.entries(Filter(**{**wanted.__dict__, "after": last}), 1000)
                events = []
                for entry in reversed(found):
                    last = max(last, entry["id"])
                    data = json.dumps(entry, separators=(",", ":"))
                    events.append(f"id: {entry['id']}\nevent: request\ndata: {data}\n\n")
                if events:
                    chunk = "".join(events).encode()
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await asyncio.wait([leaving], timeout=POLL_SECONDS)
            if not leaving.done():
                await send({"type": "http.response.body", "body": b""})
        except OSError:  # the client went away mid-write
            pass
        finally:
            leaving.cancel()


def _filter(query: dict[str, str]) -> Filter:
    """The listing's filters from a live view's query (the contract's names)."""
    status = query.get("status")
    if status is not None and not status.isdigit():
        raise ValueError(f"status: {status!r} is not an HTTP status")
    return Filter(
        provider=query.get("provider"),
        operation=query.get("operation"),
        status=int(status) if status is not None else None,
        session=query.get("session"),
    )
