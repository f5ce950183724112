"""Where the journal's entries are kept: one table, bounded, shared by every worker.

A SQLite state file gets a journal file beside it (`<file>-journal.db`) with its own writer
lock, so journal writes never queue on the state's; `:memory:` keeps it in-process; on
PostgreSQL it is a table of the state's database, which every replica shares.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sharemock.config import Settings
from sharemock.database import MEMORY, Database, SqliteDatabase

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sharemock_journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    provider TEXT,
    operation TEXT,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration_ms DOUBLE PRECISION NOT NULL,
    session TEXT,
    applied TEXT,
    rule TEXT,
    reasons TEXT,
    request_headers TEXT NOT NULL,
    request_body BLOB NOT NULL,
    request_bytes INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body BLOB NOT NULL,
    response_bytes INTEGER NOT NULL
);
"""
# Columns, not one JSON document: writing a row (every request) then encodes nothing but the
# reasons of a refused one; a listing (rare) builds the JSON.
_COLUMNS = (
    "at, provider, operation, method, path, status, duration_ms, session, applied, rule,"
    " reasons, request_headers, request_body, request_bytes, response_headers, response_body,"
    " response_bytes"
)
_SUMMARY = (
    "id, at, provider, operation, method, path, status, duration_ms, session, applied, rule,"
    " reasons"
)
_INSERT = f"INSERT INTO sharemock_journal ({_COLUMNS}) VALUES ({', '.join('?' * 17)})"
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Filter:
    """Which entries a listing wants (None: any)."""

    provider: str | None = None
    operation: str | None = None
    status: int | None = None
    session: str | None = None
    since: str | None = None  # a timestamp as the journal writes them
    until: str | None = None
    after: int | None = None  # only entries with a greater id (a live view's cursor)

    def where(self) -> tuple[str, list[Any]]:
        clauses, values = [], []
        for column, value, test in (
            ("provider", self.provider, "="),
            ("operation", self.operation, "="),
            ("status", self.status, "="),
            ("session", self.session, "="),
            ("at", self.since, ">="),
            ("at", self.until, "<="),
            ("id", self.after, ">"),
        ):
            if value is not None:
                clauses.append(f"{column} {test} ?")
                values.append(value)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), values


class JournalStore:
    """The journal table of one database."""

    def __init__(self, database: Database, owned: bool) -> None:
        self.database = database
        self._owned = owned  # a journal file of its own, closed with the journal
        with database.setting_up():
            database.install(_SCHEMA)

    def add(self, rows: Sequence[Row], keep: int) -> None:
        """Insert `rows` and drop all but the newest `keep` entries, in one transaction."""
        with self.database.transaction() as conn:
            many = getattr(conn, "executemany", None)  # sqlite3's, one call for the batch
            if many is not None:
                many(_INSERT, rows)
            else:
                for row in rows:
                    conn.execute(_INSERT, row)
            conn.execute(
                "DELETE FROM sharemock_journal"
                " WHERE id <= (SELECT MAX(id) FROM sharemock_journal) - ?",
                (keep,),
            )

    def entries(
        self, wanted: Filter, limit: int, oldest_first: bool = False
    ) -> list[dict[str, Any]]:
        where, values = wanted.where()
        order = "ASC" if oldest_first else "DESC"
        with self.database.reading() as conn:
            rows = conn.execute(
                f"SELECT {_SUMMARY} FROM sharemock_journal{where} ORDER BY id {order} LIMIT ?",
                (*values, limit),
            ).fetchall()
        return [_summary(row) for row in rows]

    def entry(self, entry_id: int) -> dict[str, Any] | None:
        """One entry with its messages (headers, bodies as stored: bounded bytes)."""
        with self.database.reading() as conn:
            row = conn.execute(
                "SELECT * FROM sharemock_journal WHERE id = ?", (entry_id,)
            ).fetchone()
        if row is None:
            return None
        entry = _summary(row)
        for side in ("request", "response"):
            entry[side] = {
                "headers": row[f"{side}_headers"],
                "body": bytes(row[f"{side}_body"]),
                "bytes": row[f"{side}_bytes"],
            }
        return entry

    def clear(self) -> None:
        with self.database.transaction() as conn:
            conn.execute("DELETE FROM sharemock_journal")

    def close(self) -> None:
        if self._owned:
            self.database.close()


def _summary(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "at": row["at"],
        "provider": row["provider"],
        "operation": row["operation"],
        "method": row["method"],
        "path": row["path"],
        "status": row["status"],
        "durationMs": row["duration_ms"],
        "session": row["session"],
        "applied": row["applied"],
        "rule": row["rule"],
        "reasons": json.loads(row["reasons"]) if row["reasons"] else [],
    }


class _JournalFile(SqliteDatabase):
    """A SQLite journal file that is never synced to disk: it is a diagnostic, a crash may
    lose it, and a checkpoint's fsync would cost more than all the journal's other work."""

    @staticmethod
    def _open(target: str, *, check_same_thread: bool = True) -> sqlite3.Connection:
        conn = SqliteDatabase._open(target, check_same_thread=check_same_thread)
        conn.execute("PRAGMA synchronous=OFF")
        return conn


def store_for(settings: Settings, state: Database) -> JournalStore:
    """The journal beside the state: its own SQLite file, in-process, or PostgreSQL's table."""
    if settings.database_url:
        return JournalStore(state, owned=False)
    if settings.db_path == MEMORY:
        return JournalStore(SqliteDatabase(MEMORY), owned=True)
    return JournalStore(_JournalFile(f"{settings.db_path}-journal.db"), owned=True)
