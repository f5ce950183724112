"""How the proxy tells of violations: response headers, a log line, and a bounded list.

The list is the proxy's own (`GET /__proxy/violations`), in memory: the upstream is any server,
usually not a sharemock, so there is no journal to feed, and a proxy in front of the mock
would otherwise write its findings into the state of the server it checks.
"""

from __future__ import annotations

import collections
import itertools
import json
import logging
import threading
import time
import typing as t
from dataclasses import dataclass, field

from sharemock.journal import timestamp
from sharemock.proxy.contract import Violation

LOG = logging.getLogger("sharemock.proxy")

VIOLATIONS_HEADER = "x-sharemock-violations"  # how many
SUMMARY_HEADER = "x-sharemock-violation"  # the first few, in a bounded line
UNVALIDATED_HEADER = "x-sharemock-unvalidated"  # what was too big to check
SUMMARY_LIMIT = 300
DEFAULT_KEEP = 200


def header_value(text: str, limit: int = SUMMARY_LIMIT) -> bytes:
    """`text` as a header value: one line of printable ASCII, at most `limit` bytes."""
    flat = " ".join(text.split())
    value = flat.encode("ascii", "backslashreplace")
    if len(value) > limit:
        value = value[: limit - 3].rstrip(b"\\") + b"..."
    return value


def summary(violations: t.Sequence[Violation]) -> str:
    """The violations in one line, for the header and the log."""
    return "; ".join(violation.summary() for violation in violations)


@dataclass
class Exchange:
    """One proxied request with what it broke."""

    method: str
    path: str
    upstream: str
    operation: str | None
    status: int  # the upstream's (0: it never answered)
    answered: int  # what the client was answered
    violations: list[Violation]
    unvalidated: list[str] = field(default_factory=list)
    at: str = field(default_factory=lambda: timestamp(time.time()))

    def to_json(self, number: int) -> dict[str, t.Any]:
        return {
            "id": number,
            "at": self.at,
            "method": self.method,
            "path": self.path,
            "upstream": self.upstream,
            "operation": self.operation,
            "status": self.status,
            "answered": self.answered,
            "violations": [violation.to_json() for violation in self.violations],
            "unvalidated": self.unvalidated,
        }


class ViolationLog:
    """The last `keep` exchanges with violations, newest first when listed."""

    def __init__(self, keep: int = DEFAULT_KEEP) -> None:
        self._entries: collections.deque[tuple[int, Exchange]] = collections.deque(maxlen=keep)
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            self._entries.append((next(self._numbers), exchange))
        LOG.warning(
            "%s %s -> %s %s: %d violation%s: %s",
            exchange.method,
            exchange.path,
            exchange.status or "-",
            exchange.operation or "(no operation)",
            len(exchange.violations),
            "" if len(exchange.violations) == 1 else "s",
            summary(exchange.violations),
        )

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def document(self, **about: t.Any) -> bytes:
        with self._lock:
            listed = [exchange.to_json(number) for number, exchange in reversed(self._entries)]
        return json.dumps({**about, "exchanges": listed}, ensure_ascii=False).encode()
