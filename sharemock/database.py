"""Persistence shared by every worker thread, process and replica: the stores' `Database`.

`Database` holds what every backend does alike (a storage error answered as the operation's
5xx, schema digests, seeding marks); a backend supplies connections and transactions.
`SqliteDatabase` is the default: a file in WAL mode with one connection per thread, so several
uvicorn workers can share it, or `:memory:` (one connection behind a lock, one process).
`sharemock.postgres` is the backend several replicas share.

Stores see only `Connection`: `execute(sql, parameters)` with `?` placeholders, rows read by
column name. Writes go through `transaction()`, which serialises writers up front (SQLite's
`BEGIN IMMEDIATE`) so a read-modify-write never interleaves with another writer.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Protocol

from sharemock.errors import ApiError

MEMORY = ":memory:"
logger = logging.getLogger("sharemock.database")

# INSERT ... ON CONFLICT DO UPDATE, which both backends speak.
SQLITE_MINIMUM = (3, 24, 0)

_META_SCHEMA = """
CREATE TABLE IF NOT EXISTS sharemock_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class Row(Protocol):
    """A result row: its columns by name (`sqlite3.Row`, psycopg's `dict_row`)."""

    def __getitem__(self, key: str, /) -> Any: ...


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """What a store may do with a connection: run one statement with `?` placeholders."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...


class Insert:
    """An INSERT of one row of `columns` into `table` that tells the row's id, its SQL written
    once. A None id is left out: an identity column rejects an explicit NULL, where SQLite
    would pick the next id.
    """

    __slots__ = ("_with_id", "_without_id")

    def __init__(self, table: str, columns: tuple[str, ...]) -> None:
        # (SQLite's statement, PostgreSQL's): psycopg has no lastrowid, and SQLite's RETURNING
        # costs ~3 µs more an insert than its lastrowid (a buffered result).
        self._with_id = self._sql(table, ("id", *columns))
        self._without_id = self._sql(table, columns)

    @staticmethod
    def _sql(table: str, columns: tuple[str, ...]) -> tuple[str, str]:
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        return sql, f"{sql} RETURNING id"

    def run(self, conn: Connection, values: tuple[object, ...], row_id: int | None = None) -> int:
        """Insert `values` (in `columns` order) with `row_id`, or the database's pick if None;
        return the row's id."""
        if row_id is None:
            sqlite, returning = self._without_id
        else:
            (sqlite, returning), values = self._with_id, (row_id, *values)
        if isinstance(conn, sqlite3.Connection):
            return int(conn.execute(sqlite, values).lastrowid or 0)
        return int(conn.execute(returning, values).fetchone()["id"])


class Database(ABC):
    """A database every provider's store uses, whichever backend holds it."""

    # The errors of the backend's driver: inside `writing()` they become the operation's 5xx.
    storage_errors: tuple[type[Exception], ...]
    # Those of them that say the rows broke a constraint (unique, foreign key, not null,
    # check): the data's fault, not the database's.
    constraint_errors: tuple[type[Exception], ...]
    # Where the state is, for people (no password).
    label: str

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Connection]:
        """Run the block as one write transaction, writers serialised; roll back on any
        exception."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[Connection]:
        """Run the block as one consistent read."""

    @abstractmethod
    def install(self, schema: str) -> None:
        """Create tables that do not exist yet (idempotent DDL, in SQLite's spelling)."""

    @abstractmethod
    def _has_any(self, conn: Connection, tables: Sequence[str]) -> bool:
        """Whether any of `tables` exists."""

    @abstractmethod
    def close(self) -> None: ...

    def ddl(self, schema: str) -> str:
        """`schema` as this backend runs it (a provider writes its schema for SQLite)."""
        return schema

    def setting_up(self) -> AbstractContextManager[None]:
        """Hold off other processes' set-up (tables, seeding) during the block."""
        return nullcontext()

    def sync_identities(self, conn: Connection, tables: Sequence[str]) -> None:  # noqa: B027
        """Let generated ids continue past the ids fixtures inserted explicitly (SQLite's
        AUTOINCREMENT does so by itself)."""

    @contextmanager
    def writing(self, failure: ApiError) -> Iterator[Connection]:
        """A write transaction whose storage error is answered as `failure`.

        `failure` is the operation's documented 5xx in the provider's words; the storage
        error goes in its diagnostic. Errors raised by the block itself pass unchanged.
        """
        try:
            with self.transaction() as conn:
                yield conn
        except self.storage_errors as exc:
            failure.detail = f"storage error: {exc}"
            raise failure from exc

    def install_tables(self, name: str, schema: str, tables: Sequence[str]) -> None:
        """Create `name`'s tables, first dropping any made by another version of `schema`.

        `CREATE TABLE IF NOT EXISTS` leaves an older table without the columns a newer version
        added; the schema's digest says which version made the tables, and tables of another
        version are dropped (and re-seeded by the caller), never read with the wrong columns.
        """
        digest = hashlib.sha256(self.ddl(schema).encode()).hexdigest()
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
            self.put_meta(conn, key, digest)

    @staticmethod
    def put_meta(conn: Connection, key: str, value: str) -> None:
        """Set `key` of `sharemock_meta` (the database's own notes: digests, marks, controls)."""
        conn.execute(
            "INSERT INTO sharemock_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def is_seeded(self, name: str) -> bool:
        with self.reading() as conn:
            row = conn.execute(
                "SELECT 1 FROM sharemock_meta WHERE key = ?", (f"seeded:{name}",)
            ).fetchone()
        return row is not None

    def mark_seeded(self, conn: Connection, name: str) -> None:
        self.put_meta(conn, f"seeded:{name}", "1")

    @staticmethod
    def clear(conn: Connection, tables: Iterable[str]) -> None:
        """Delete every row of `tables` (children first, as listed by the caller)."""
        for table in tables:
            conn.execute(f"DELETE FROM {table}")


class _FileLock:
    """An exclusive lock on a file beside the database, per thread (its own descriptor).

    Writers of a file database queue on it before `BEGIN IMMEDIATE`. SQLite alone makes a
    second writer sleep and retry (1, 2, 5, 10 ms…), an eternity beside a ~50 µs write, so two
    workers writing one row lost a third of their throughput (bench/README.md); the kernel
    wakes the next writer as soon as the lock is released. The busy timeout stays, for writers
    that don't take this lock (a `sharemock reset` of an old version, the sqlite3 shell).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()

    @contextmanager
    def held(self) -> Iterator[None]:
        fd = getattr(self._local, "fd", None)
        if fd is None:
            fd = self._local.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        fd = getattr(self._local, "fd", None)
        if fd is not None:
            os.close(fd)
            self._local.fd = None


class SqliteDatabase(Database):
    """A SQLite database: per-thread connections, explicit transactions.

    Stores get the `sqlite3.Connection` itself: no layer between them and the driver.
    """

    storage_errors = (sqlite3.Error,)
    constraint_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: str | Path) -> None:
        if sqlite3.sqlite_version_info < SQLITE_MINIMUM:
            needed = ".".join(map(str, SQLITE_MINIMUM))
            raise RuntimeError(f"sharemock needs SQLite {needed}+, not {sqlite3.sqlite_version}")
        self.path = self.label = str(path)
        self._local = threading.local()
        self._memory_lock: threading.RLock | None = None
        self._memory_connection: sqlite3.Connection | None = None
        self._writer: _FileLock | None = None
        self._setup: _FileLock | None = None
        if self.path == MEMORY:
            self._memory_lock = threading.RLock()
            self._memory_connection = self._open(MEMORY, check_same_thread=False)
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._writer = _FileLock(f"{self.path}-writer.lock")
            self._setup = _FileLock(f"{self.path}-setup.lock")
        with self.setting_up():
            if self._memory_connection is None:
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

    def setting_up(self) -> AbstractContextManager[None]:
        """Workers starting at once on a new file install and seed one by one."""
        return nullcontext() if self._setup is None else self._setup.held()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as conn, self._writing():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _writing(self) -> AbstractContextManager[None]:
        return nullcontext() if self._writer is None else self._writer.held()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A deferred transaction: in WAL mode, one snapshot from its first read on."""
        with self._connection() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def install(self, schema: str) -> None:
        with self._connection() as conn:
            conn.executescript(schema)

    def in_memory_copy(self) -> SqliteDatabase:
        """A new `:memory:` database holding what this one holds now, copied page by page by
        SQLite's backup API (far cheaper than creating tables and inserting rows again)."""
        copy = SqliteDatabase(MEMORY)
        with self._connection() as source, copy._connection() as target:
            source.backup(target)
        return copy

    def _has_any(self, conn: Connection, tables: Sequence[str]) -> bool:
        marks = ", ".join("?" for _ in tables)
        row = conn.execute(
            f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ({marks})",
            tuple(tables),
        ).fetchone()
        return row is not None

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        for lock in (self._writer, self._setup):
            if lock is not None:
                lock.close()
        if self._memory_connection is not None:
            self._memory_connection.close()
            self._memory_connection = None
