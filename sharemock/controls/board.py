"""The controls every worker and replica shares: the rules and the clock, kept in the database.

A rule made through one worker's admin API must hold for the next request, whichever worker
or replica takes it, and so must the clock. Both live in the state's database; each worker
keeps a copy and re-reads it only when the controls' version moved. Seeing whether it moved
is decided at start-up, as cheaply as the backend allows, because it is asked on every
request:

- a SQLite file: a shared memory map of `<file>-controls.version`, written after each change
  commits (reading it is one slice of memory, no system call);
- `:memory:` (one process): the copy is the only one, nothing to ask;
- PostgreSQL: the version row itself, one query.
"""

from __future__ import annotations

import json
import mmap
import os
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from sharemock.controls.rules import Rule
from sharemock.database import MEMORY, Connection, Database, SqliteDatabase

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sharemock_rules (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    rule TEXT NOT NULL,
    remaining INTEGER
);
"""
_VERSION = "controls:version"
_CLOCK = "controls:clock"
_VERSION_BYTES = 8


class _Signal:
    """Tells a worker whether the controls changed since it last looked (base: one process,
    whose own changes are the only ones; it keeps the last version it published, since a
    fixed answer would differ from the stored version after the first change and have
    every request re-read the board)."""

    def __init__(self) -> None:
        self._version = 0

    def read(self, database: Database) -> int:
        return self._version

    def publish(self, version: int) -> None:
        """After a change committed: let every worker see `version`."""
        self._version = version


class _MappedSignal(_Signal):
    """The version mirrored in a small file every worker maps into memory."""

    def __init__(self, path: str) -> None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if os.fstat(fd).st_size < _VERSION_BYTES:
                os.ftruncate(fd, _VERSION_BYTES)
            self._map = mmap.mmap(fd, _VERSION_BYTES)
        finally:
            os.close(fd)

    def read(self, database: Database) -> int:
        return int.from_bytes(self._map[:_VERSION_BYTES], "little")

    def publish(self, version: int) -> None:
        self._map[:_VERSION_BYTES] = version.to_bytes(_VERSION_BYTES, "little")


class _StoredSignal(_Signal):
    """The version row itself, for replicas that share nothing but the database."""

    def read(self, database: Database) -> int:
        with database.reading() as conn:
            return _stored_version(conn)


def _signal_for(database: Database) -> _Signal:
    if isinstance(database, SqliteDatabase):
        if database.path == MEMORY:
            return _Signal()
        return _MappedSignal(f"{database.path}-controls.version")
    return _StoredSignal()


def _stored_version(conn: Connection) -> int:
    row = conn.execute("SELECT value FROM sharemock_meta WHERE key = ?", (_VERSION,)).fetchone()
    return int(row["value"]) if row is not None else 0


class Board:
    """The shared rules and clock offset, as this worker last read them."""

    def __init__(self, database: Database, on_clock: Callable[[timedelta], None]) -> None:
        self._database = database
        self._on_clock = on_clock
        with database.setting_up():
            database.install(_SCHEMA)
        self._signal = _signal_for(database)
        self._seen = -1
        self.rules: tuple[Rule, ...] = ()
        self.offset = timedelta(0)
        self._reload()

    def refresh(self) -> None:
        """Re-read the controls if another worker (or this one) changed them."""
        if self._signal.read(self._database) != self._seen:
            self._reload()

    def _reload(self) -> None:
        with self._database.reading() as conn:
            version = _stored_version(conn)
            rows = conn.execute(
                "SELECT rule, remaining FROM sharemock_rules ORDER BY position DESC"
            ).fetchall()
            clock = conn.execute(
                "SELECT value FROM sharemock_meta WHERE key = ?", (_CLOCK,)
            ).fetchone()
        self.rules = tuple(
            Rule.from_json(json.loads(row["rule"]), row["remaining"]) for row in rows
        )
        seconds = json.loads(clock["value"])["offset"] if clock is not None else 0.0
        self.offset = timedelta(seconds=seconds)
        self._on_clock(self.offset)
        self._seen = version

    def _change(self, change: Callable[[Connection], Any]) -> Any:
        """Run `change` in one write transaction, bump the version, and tell every worker."""
        with self._database.transaction() as conn:
            result = change(conn)
            version = _stored_version(conn) + 1
            Database.put_meta(conn, _VERSION, str(version))
        self._signal.publish(version)
        self._reload()
        return result

    # Rules -----------------------------------------------------------------------------

    def add_rule(self, rule: Rule) -> Rule:
        made = rule.with_id(uuid.uuid4().hex[:12])

        def insert(conn: Connection) -> None:
            row = conn.execute("SELECT MAX(position) AS top FROM sharemock_rules").fetchone()
            position = (row["top"] or 0) + 1
            conn.execute(
                "INSERT INTO sharemock_rules (id, position, rule, remaining) VALUES (?, ?, ?, ?)",
                (made.id, position, json.dumps(made.to_json()), made.times),
            )

        self._change(insert)
        return next(rule for rule in self.rules if rule.id == made.id)

    def remove_rule(self, rule_id: str) -> bool:
        def delete(conn: Connection) -> bool:
            cursor = conn.execute("DELETE FROM sharemock_rules WHERE id = ?", (rule_id,))
            return cursor.rowcount > 0

        return bool(self._change(delete))

    def clear_rules(self) -> None:
        self._change(lambda conn: conn.execute("DELETE FROM sharemock_rules"))

    def spend(self, rule: Rule) -> bool:
        """Count one use of a rule limited to `times`; False if another request took the last.

        A change like any other (the version moves): every worker's copy, and so the admin
        API's listing, shows how many uses are left.
        """
        if rule.times is None:
            return True

        def use(conn: Connection) -> bool:
            cursor = conn.execute(
                "UPDATE sharemock_rules SET remaining = remaining - 1"
                " WHERE id = ? AND remaining > 0",
                (rule.id,),
            )
            if cursor.rowcount == 0:
                return False
            conn.execute("DELETE FROM sharemock_rules WHERE id = ? AND remaining <= 0", (rule.id,))
            return True

        return bool(self._change(use))

    def find(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    # The clock -------------------------------------------------------------------------

    def set_offset(self, offset: timedelta) -> None:
        value = json.dumps({"offset": offset.total_seconds()})
        self._change(lambda conn: Database.put_meta(conn, _CLOCK, value))

    def reset(self) -> None:
        """No rules and the real clock, in one change."""

        def clear(conn: Connection) -> None:
            conn.execute("DELETE FROM sharemock_rules")
            Database.put_meta(conn, _CLOCK, json.dumps({"offset": 0.0}))

        self._change(clear)


def rules_for(rules: Iterable[Rule], session: str | None) -> list[Rule]:
    """The rules that may apply to a request of `session`: its own first, then everyone's."""
    rules = list(rules)
    own = [rule for rule in rules if rule.session is not None and rule.session == session]
    return own + [rule for rule in rules if rule.session is None]
