"""`Journal`: this worker's buffer of requests, and the shared store it writes them to."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sharemock.controls.middleware import APPLIED_HEADER, RULE_HEADER, session_of
from sharemock.errors import Reason
from sharemock.journal.nearmiss import near_misses
from sharemock.journal.store import Filter, JournalStore, Row, store_for
from sharemock.mounts import Mounts
from sharemock.runtime import Runtime
from sharemock.spec import ProviderSpec

logger = logging.getLogger("sharemock.journal")

FOLLOW_PATH = "/__admin/requests"
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


def timestamp(wall: float) -> str:
    """The journal's time format (UTC, milliseconds), which sorts as text."""
    whole = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(wall))
    return f"{whole}.{int(wall * 1000) % 1000:03d}Z"


def _text(chunks: list[bytes], size: int) -> dict[str, Any]:
    body = b"".join(chunks)[:BODY_LIMIT]
    return {
        "body": body.decode("utf-8", "replace"),
        "bytes": size,
        "truncated": size > BODY_LIMIT,
    }


def _headers(raw: list[tuple[bytes, bytes]]) -> list[list[str]]:
    return [[name.decode("latin-1"), value.decode("latin-1")] for name, value in raw]


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
        self._operations: dict[tuple[str, str, str], str | None] = {}

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

    def _where(self, path: str) -> tuple[str | None, str, ProviderSpec | None]:
        mounted = self._mounts.owner(path)
        if mounted is not None:
            return mounted.provider.name, mounted.provider.prefix, mounted.spec
        prefix, spec = self._own
        if path.startswith(prefix + "/") or path == prefix:
            return "admin", prefix, spec
        return None, "", None

    def _operation(
        self, prefix: str, spec: ProviderSpec | None, method: str, path: str
    ) -> str | None:
        if spec is None:
            return None
        key = (prefix, method, path)
        if key not in self._operations:
            if len(self._operations) > 10_000:  # paths with ids in them: bound the memo
                self._operations.clear()
            operation = spec.operation_for(path[len(prefix) :], method)
            self._operations[key] = operation.get("operationId") if operation else None
        return self._operations[key]

    def _row(self, seen: Pending) -> Row:
        provider, prefix, spec = self._where(seen.path)
        operation = self._operation(prefix, spec, seen.method, seen.path)
        marks = dict(seen.marks or ())
        session = session_of({"headers": seen.headers})
        at = timestamp(seen.wall)
        query = seen.query.decode("latin-1")
        entry = {
            "at": at,
            "provider": provider,
            "operation": operation,
            "method": seen.method,
            "path": seen.path + ("?" + query if query else ""),
            "status": seen.status,
            "durationMs": round(seen.seconds * 1000, 3),
            "session": session,
            "applied": marks[_APPLIED].decode("latin-1") if _APPLIED in marks else None,
            "rule": marks[_RULE].decode("latin-1") if _RULE in marks else None,
            "reasons": [reason.to_json() for reason in seen.reasons],
        }
        detail = {
            "request": {
                "headers": _headers(seen.headers),
                **_text(seen.request_body, seen.request_size),
            },
            "response": {
                "headers": _headers(seen.response_headers),
                **_text(seen.response_body, seen.response_size),
            },
        }
        return (
            at,
            provider,
            operation,
            seen.status,
            session,
            json.dumps(entry, separators=(",", ":")),
            json.dumps(detail, separators=(",", ":")),
        )

    # Reading -----------------------------------------------------------------------------

    def entries(self, wanted: Filter, limit: int) -> list[dict[str, Any]]:
        self.flush()
        return self.store.entries(wanted, limit)

    def entry(self, entry_id: int) -> dict[str, Any] | None:
        """One entry in full: its bodies, and for a request no operation took, near misses."""
        self.flush()
        found = self.store.entry(entry_id)
        if found is None:
            return None
        entry, detail = found
        entry.update(detail)
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
