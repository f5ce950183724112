"""The request journal: the last N requests, with every reason a refused one was refused.

One package, one entry point: `journal_for(runtime, mounts, own)` makes the `Journal` at
start-up (kept on `runtime.journal`, for the admin API's handlers), and the `Journaling`
middleware records each request. A request costs a few closures and appends to a list: the
entry is built (decoding, JSON, the operation's look-up) when the buffer is written, in one
transaction per batch, a short while after the first entry or once the batch is full.
"""

from __future__ import annotations

from sharemock.journal.journal import FOLLOW_PATH, Journal, journal_for, timestamp
from sharemock.journal.middleware import Journaling
from sharemock.journal.note import NOTE, Note
from sharemock.journal.store import Filter

__all__ = [
    "FOLLOW_PATH",
    "NOTE",
    "Filter",
    "Journal",
    "Journaling",
    "Note",
    "journal_for",
    "timestamp",
]
