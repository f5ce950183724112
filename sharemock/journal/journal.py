"""`Journal`: this worker's buffer of requests, and the shared store it writes them to."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sharemock.controls.middleware import APPLIED_HEADER, RULE_HEADER, session_of
from sharemock.errors import Reason
from sharemock.journal import redact
from sharemock.journal.nearmiss import near_misses
from sharemock.journal.store import Filter, JournalStore, Row, store_for
from sharemock.mounts import Mounts
from sharemock.runtime import Runtime
from sharemock.spec import ProviderSpec

logger = logging.getLogger("sharemock.journal")

FOLLOW_PATH = "/__admin/requests"
# Reads of what the mock saw and holds are not journaled: the portal's live panels make them
# on every request they show, and would fill the journal with themselves.
STATE_PATH = "/__admin/state"
# A body is kept up to this many bytes, request and response alike.
BODY_LIMIT = 8 * 1024
# The buffer is written this long after its first entry, or as soon as it holds a batch.
FLUSH_SECONDS = 0.05
BATCH = 64
_APPLIED = APPLIED_HEADER.lower().encode()
_RULE = RULE_HEADER.lower().encode()


@dataclass(slots=True)
class Pending:
    """One request as the middleware saw it; nothing decoded yet."""

    wall: float
    seconds: float
    method: str
    path: str
    query: bytes
    headers: list[tuple[bytes, bytes]]
    request_body: list[bytes]
    request_size: int
    status: int
    response_headers: list[tuple[bytes, bytes]]
    response_body: list[bytes]
    response_size: int
    reasons: tuple[Reason, ...]
    marks: list[tuple[bytes, bytes]] | None


@functools.lru_cache(maxsize=4)
def _second(whole: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))


def timestamp(wall: float) -> str:
    """The journal's time format (UTC, milliseconds), which sorts as text."""
    whole = _second(math.floor(wall))  # the requests of one second share it
    return f"{whole}.{int(wall * 1000) % 1000:03d}Z"


def _headers(raw: list[tuple[bytes, bytes]]) -> str:
    """Headers as one text, a line each (what the journal stores; cheap to write), no
    credential in clear (`redact.py`)."""
    secret = redact.SECRET_HEADERS
    return b"\n".join(
        name + b": " + (redact.header(name, value) if name.lower() in secret else value)
        for name, value in raw
    ).decode("latin-1")


def _message(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored message as the admin API shows it: headers as pairs, the body as text."""
    headers = [line.split(": ", 1) for line in stored["headers"].split("\n") if line]
    body: bytes = stored["body"]
    return {
        "headers": [pair if len(pair) == 2 else [pair[0], ""] for pair in headers],
        "body": body.decode("utf-8", "replace"),
        "bytes": stored["bytes"],
        # Cut at the limit, then redacted (which changes its length): cut if it was longer.
        "truncated": stored["bytes"] > BODY_LIMIT,
    }


class Journal:
    """The requests this worker served, buffered, and the journal every worker shares."""

    def __init__(
        self, store: JournalStore, mounts: Mounts, own: tuple[str, ProviderSpec], keep: int
    ) -> None:
        self.store = store
        self.keep = keep
        self._mounts = mounts
        self._own = own
        self._pending: list[Pending] = []
        self._scheduled = False
        # (prefix, method, local path) -> operationId: a path is looked up in its contract once.
        self._operations: dict[tuple[str, str], tuple[str | None, str | None]] = {}

    # Recording ---------------------------------------------------------------------------

    def add(self, pending: Pending) -> None:
        self._pending.append(pending)
        if len(self._pending) >= BATCH:
            self.flush()
        elif not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_later(FLUSH_SECONDS, self._timed_flush)

    def _timed_flush(self) -> None:
        self._scheduled = False
        self.flush()

    def flush(self) -> None:
        """Write what this worker buffered (a listing does first, so it sees its own)."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            self.store.add([self._row(entry) for entry in pending], self.keep)
        except Exception:  # the journal must never break serving
            logger.exception("could not write %d journal entries", len(pending))

    def _reached(self, method: str, path: str) -> tuple[str | None, str | None]:
        """The provider and operationId `method path` reached, looked up once per path."""
        key = (method, path)
        found = self._operations.get(key)
        if found is None:
            if len(self._operations) > 10_000:  # paths with ids in them: bound the memo
                self._operations.clear()
            found = self._operations[key] = self._look_up(method, path)
        return found

    def _look_up(self, method: str, path: str) -> tuple[str | None, str | None]:
        mounted = self._mounts.owner(path)
        if mounted is not None:
            provider, prefix, spec = mounted.provider.name, mounted.provider.prefix, mounted.spec
        elif path == self._own[0] or path.startswith(self._own[0] + "/"):
            provider, (prefix, spec) = "admin", self._own
        else:
            return None, None
        operation = spec.operation_for(path[len(prefix) :], method)
        return provider, operation.get("operationId") if operation else None

    def _row(self, seen: Pending) -> Row:
        provider, operation = self._reached(seen.method, seen.path)
        marks = dict(seen.marks or ())
        applied, rule = marks.get(_APPLIED), marks.get(_RULE)
        query = redact.query(seen.query.decode("latin-1"))
        reasons = [reason.to_json() for reason in seen.reasons]
        return (
            timestamp(seen.wall),
            provider,
            operation,
            seen.method,
            seen.path + ("?" + query if query else ""),
            seen.status,
            round(seen.seconds * 1000, 3),
            session_of({"headers": seen.headers}),
            applied.decode("latin-1") if applied is not None else None,
            rule.decode("latin-1") if rule is not None else None,
            json.dumps(reasons, separators=(",", ":")) if reasons else None,
            _headers(seen.headers),
            redact.body(b"".join(seen.request_body)[:BODY_LIMIT]),
            seen.request_size,
            _headers(seen.response_headers),
            redact.body(b"".join(seen.response_body)[:BODY_LIMIT]),
            seen.response_size,
        )

    # Reading -----------------------------------------------------------------------------

    def entries(self, wanted: Filter, limit: int) -> list[dict[str, Any]]:
        self.flush()
        return self.store.entries(wanted, limit)

    def entry(self, entry_id: int) -> dict[str, Any] | None:
        """One entry in full: its bodies, and for a request no operation took, near misses."""
        self.flush()
        entry = self.store.entry(entry_id)
        if entry is None:
            return None
        entry["request"], entry["response"] = (
            _message(entry["request"]),
            _message(entry["response"]),
        )
        if entry["operation"] is None and entry["status"] in (404, 405):
            path = entry["path"].partition("?")[0]
            specs: Sequence[tuple[str, ProviderSpec]] = [
                (m.provider.prefix, m.spec) for m in self._mounts
            ]
            entry["nearMisses"] = near_misses([*specs, self._own], path, entry["method"])
        return entry

    def clear(self) -> None:
        self._pending = []
        self.store.clear()

    def close(self) -> None:
        self.flush()
        self.store.close()


def journal_for(runtime: Runtime, mounts: Mounts, own: tuple[str, ProviderSpec]) -> Journal:
    """The journal of an app, made once at start-up and kept on its runtime."""
    settings = runtime.settings
    journal = Journal(store_for(settings, runtime.database), mounts, own, settings.journal_size)
    runtime.journal = journal
    return journal
