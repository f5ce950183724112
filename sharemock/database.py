"""SQLite persistence shared by every worker thread and process.

A file database runs in WAL mode with one connection per thread, so several uvicorn workers
can share it. `:memory:` keeps one connection behind a lock (it cannot be shared across
processes). Writes go through `transaction()`, which takes the write lock up front
(`BEGIN IMMEDIATE`) so a read-modify-write never interleaves with another writer.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sharemock.errors import ApiError

MEMORY = ":memory:"
logger = logging.getLogger("sharemock.database")

_META_SCHEMA = """
CREATE TABLE IF NOT EXISTS sharemock_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class Database:
    """A SQLite database: per-thread connections, explicit transactions."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._memory_lock: threading.RLock | None = None
        self._memory_connection: sqlite3.Connection | None = None
        if self.path == MEMORY:
            self._memory_lock = threading.RLock()
            self._memory_connection = self._open(MEMORY, check_same_thread=False)
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            with self._connection() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
        self.install(_META_SCHEMA)

    @staticmethod
    def _open(target: str, *, check_same_thread: bool = True) -> sqlite3.Connection:
        conn = sqlite3.connect(
            target,
            isolation_level=None,  # we issue BEGIN/COMMIT ourselves
            check_same_thread=check_same_thread,
            timeout=10.0,
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self._memory_connection is not None:
            assert self._memory_lock is not None
            with self._memory_lock:
                yield self._memory_connection
            return
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open(self.path)
            self._local.conn = conn
        yield conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one write transaction; roll back on any exception."""
        with self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def writing(self, failure: ApiError) -> Iterator[sqlite3.Connection]:
        """A write transaction whose storage error is answered as `failure`.

        `failure` is the operation's documented 5xx in the provider's words; the storage
        error goes in its diagnostic. Errors raised by the block itself pass unchanged.
        """
        try:
            with self.transaction() as conn:
                yield conn
        except sqlite3.Error as exc:
            failure.detail = f"storage error: {exc}"
            raise failure from exc

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Run the block as one consistent read (a deferred transaction)."""
        with self._connection() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def install(self, schema: str) -> None:
        """Create tables that do not exist yet (idempotent DDL)."""
        with self._connection() as conn:
            conn.executescript(schema)

    def install_tables(self, name: str, schema: str, tables: Sequence[str]) -> None:
        """Create `name`'s tables, first dropping any made by another version of `schema`.

        `CREATE TABLE IF NOT EXISTS` leaves an older table without the columns a newer version
        added; the schema's digest says which version made the tables, and tables of another
        version are dropped (and re-seeded by the caller), never read with the wrong columns.
        """
        digest = hashlib.sha256(schema.encode()).hexdigest()
        key = f"schema:{name}"
        with self.reading() as conn:
            row = conn.execute("SELECT value FROM sharemock_meta WHERE key = ?", (key,)).fetchone()
        if row is None or row["value"] != digest:
            with self.transaction() as conn:
                if row is not None or self._has_any(conn, tables):
                    logger.warning("%s: stored tables are of another version; re-seeding", name)
                for table in tables:
                    conn.execute(f"DROP TABLE IF EXISTS {table}")
                conn.execute("DELETE FROM sharemock_meta WHERE key = ?", (f"seeded:{name}",))
        self.install(schema)
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO sharemock_meta (key, value) VALUES (?, ?)", (key, digest)
            )

    @staticmethod
    def _has_any(conn: sqlite3.Connection, tables: Sequence[str]) -> bool:
        marks = ", ".join("?" for _ in tables)
        row = conn.execute(
            f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ({marks})",
            tuple(tables),
        ).fetchone()
        return row is not None

    def is_seeded(self, name: str) -> bool:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT 1 FROM sharemock_meta WHERE key = ?", (f"seeded:{name}",)
            ).fetchone()
        return row is not None

    def mark_seeded(self, conn: sqlite3.Connection, name: str) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO sharemock_meta (key, value) VALUES (?, '1')",
            (f"seeded:{name}",),
        )

    @staticmethod
    def clear(conn: sqlite3.Connection, tables: Iterable[str]) -> None:
        """Delete every row of `tables` (children first, as listed by the caller)."""
        for table in tables:
            conn.execute(f"DELETE FROM {table}")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        if self._memory_connection is not None:
            self._memory_connection.close()
            self._memory_connection = None
