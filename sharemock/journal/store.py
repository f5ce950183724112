"""Where the journal's entries are kept: one table, bounded, shared by every worker.

A SQLite state file gets a journal file beside it (`<file>-journal.db`) with its own writer
lock, so journal writes never queue on the state's; `:memory:` keeps it in-process; on
PostgreSQL it is a table of the state's database, which every replica shares.
"""

from __future__ import annotations

import json
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
    status INTEGER NOT NULL,
    session TEXT,
    entry TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""
_INSERT = (
    "INSERT INTO sharemock_journal (at, provider, operation, status, session, entry, detail)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
Row = tuple[str, str | None, str | None, int, str | None, str, str]


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
                f"SELECT id, entry FROM sharemock_journal{where} ORDER BY id {order} LIMIT ?",
                (*values, limit),
            ).fetchall()
        return [{"id": row["id"], **json.loads(row["entry"])} for row in rows]

    def entry(self, entry_id: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
        with self.database.reading() as conn:
            row = conn.execute(
                "SELECT id, entry, detail FROM sharemock_journal WHERE id = ?", (entry_id,)
            ).fetchone()
        if row is None:
            return None
        return {"id": row["id"], **json.loads(row["entry"])}, json.loads(row["detail"])

    def clear(self) -> None:
        with self.database.transaction() as conn:
            conn.execute("DELETE FROM sharemock_journal")

    def close(self) -> None:
        if self._owned:
            self.database.close()


def store_for(settings: Settings, state: Database) -> JournalStore:
    """The journal beside the state: its own SQLite file, in-process, or PostgreSQL's table."""
    if settings.database_url:
        return JournalStore(state, owned=False)
    if settings.db_path == MEMORY:
        return JournalStore(SqliteDatabase(MEMORY), owned=True)
    return JournalStore(SqliteDatabase(f"{settings.db_path}-journal.db"), owned=True)
