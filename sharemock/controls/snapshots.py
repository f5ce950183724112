"""Snapshots: the stored state kept under an id, to be restored later by any worker.

Kept in the state's database (`sharemock_snapshots`), as the board keeps the rules, so a
snapshot taken through one worker or replica is restored through any other. Each is a state
document (`sharemock.state`) of every provider; at most `KEPT` are kept, the oldest dropped
first, so a script that takes one per test never fills the disk.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sharemock.database import Database
from sharemock.provider import Provider
from sharemock.state import export_state, import_state

KEPT = 50
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sharemock_snapshots (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT,
    created TEXT NOT NULL,
    providers TEXT NOT NULL,
    document TEXT NOT NULL
);
"""
# What a listing reads: never the documents themselves.
_COLUMNS = "id, name, created, providers"


@dataclass(frozen=True)
class Snapshot:
    id: str
    name: str | None
    created: str
    providers: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "created": self.created,
            "providers": list(self.providers),
        }


def _snapshot(row: Any) -> Snapshot:
    return Snapshot(row["id"], row["name"], row["created"], tuple(json.loads(row["providers"])))


class Snapshots:
    """The snapshots of one database's state."""

    def __init__(self, database: Database, providers: Sequence[Provider]) -> None:
        self._database = database
        self._providers = tuple(providers)
        with database.setting_up():
            database.install(_SCHEMA)

    def take(self, name: str | None, created: str) -> Snapshot:
        """Keep the stored state now (one consistent read), dropping the oldest past `KEPT`."""
        document = export_state(self._database, self._providers)
        made = Snapshot(uuid.uuid4().hex[:12], name, created, tuple(document["providers"]))
        with self._database.transaction() as conn:
            row = conn.execute("SELECT MAX(position) AS top FROM sharemock_snapshots").fetchone()
            position = (row["top"] or 0) + 1
            conn.execute(
                "INSERT INTO sharemock_snapshots"
                " (id, position, name, created, providers, document) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    made.id,
                    position,
                    name,
                    created,
                    json.dumps(made.providers),
                    json.dumps(document),
                ),
            )
            conn.execute("DELETE FROM sharemock_snapshots WHERE position <= ?", (position - KEPT,))
        return made

    def listed(self) -> list[Snapshot]:
        """Every snapshot kept, newest first."""
        with self._database.reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM sharemock_snapshots ORDER BY position DESC"
            ).fetchall()
        return [_snapshot(row) for row in rows]

    def restore(self, snapshot_id: str) -> Snapshot | None:
        """Make the snapshot's state the stored state (None if there is no such snapshot);
        StateError, and nothing changed, if it no longer fits the providers' tables."""
        with self._database.reading() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS}, document FROM sharemock_snapshots WHERE id = ?",
                (snapshot_id,),
            ).fetchone()
        if row is None:
            return None
        import_state(self._database, self._providers, json.loads(row["document"]))
        return _snapshot(row)

    def remove(self, snapshot_id: str) -> bool:
        with self._database.transaction() as conn:
            cursor = conn.execute("DELETE FROM sharemock_snapshots WHERE id = ?", (snapshot_id,))
            return cursor.rowcount > 0
