"""What the soak's clients were told, and the check of it against a state export.

Every write a client sends is recorded against its item: acknowledged (a 2xx that says the
write happened) or not (a chaos fault, a timeout, anything else: the write may or may not have
happened). At the end the state export must hold, for every item, its last acknowledged value,
or one of the unacknowledged values sent after it; an acknowledged delete must be gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The value of an item that was deleted (or never there).
GONE = "<gone>"

# The table, key column and checked column of each kind of item in a state export.
KINDS: dict[str, tuple[str, str, str, str]] = {
    # kind: (provider, table, key column, value column)
    "defdrive_access": ("defdrive", "defdrive_accesses", "id", "name"),
    "defdrive_file": ("defdrive", "defdrive_files", "id", "public"),
    "filerobot_share": ("filerobot", "filerobot_shareboxes", "uuid", "title"),
    "oracle_link": ("oracle", "oracle_links", "id", "expiration_time"),
    "koodrive_share": ("koodrive", "koodrive_shares", "id", "comment"),
}
# The column whose value marks a row as one of the soak's own (its name or title).
MARKED: dict[str, str] = {
    "defdrive_access": "name",
    "filerobot_share": "title",
    "oracle_link": "name",
    "koodrive_share": "comment",
}
MARK = "soak-"


@dataclass
class Record:
    """One item's history as the clients saw it."""

    acked: Any = None  # the last acknowledged value (GONE once a delete was acknowledged)
    acked_known: bool = False
    pending: list[Any] = field(default_factory=list)  # unacknowledged values sent since
    writes: int = 0
    acked_writes: int = 0

    def possible(self) -> list[Any]:
        """Every value the item may hold now."""
        return ([self.acked] if self.acked_known else []) + self.pending


@dataclass
class Ledger:
    records: dict[tuple[str, str], Record] = field(default_factory=dict)

    def _record(self, kind: str, key: object) -> Record:
        return self.records.setdefault((kind, str(key)), Record())

    def acked(self, kind: str, key: object, value: Any) -> None:
        """A write (or a delete, `GONE`) the server acknowledged."""
        record = self._record(kind, key)
        record.acked, record.acked_known, record.pending = value, True, []
        record.writes += 1
        record.acked_writes += 1

    def unsure(self, kind: str, key: object, value: Any) -> None:
        """A write that was sent but not acknowledged: it may have happened."""
        record = self._record(kind, key)
        record.pending.append(value)
        record.writes += 1

    def possible(self, kind: str, key: object) -> list[Any]:
        record = self.records.get((kind, str(key)))
        return record.possible() if record else []

    @property
    def acknowledged(self) -> int:
        return sum(r.acked_writes for r in self.records.values())


def normalised(kind: str, value: Any) -> Any:
    """A value as a state export spells it (booleans as 0/1, Oracle's dates with a Z)."""
    if value is GONE or value == GONE:
        return GONE
    if kind == "defdrive_file":
        return int(bool(value))
    if kind == "oracle_link" and isinstance(value, str) and not value.endswith("Z"):
        return value + "Z"
    return value


def exported_values(export: Mapping[str, Any]) -> dict[tuple[str, str], Any]:
    """(kind, key) -> value of every row of the soak's kinds in a state document."""
    found: dict[tuple[str, str], Any] = {}
    providers = export.get("providers", {})
    for kind, (provider, table, key, column) in KINDS.items():
        for row in providers.get(provider, {}).get(table, []):
            found[kind, str(row[key])] = row.get(column)
    return found


@dataclass
class Verdict:
    items: int = 0
    acknowledged_writes: int = 0
    lost: list[str] = field(default_factory=list)  # an acknowledged last write not there
    unacknowledged_applied: int = 0  # a write with no acknowledgement that did happen
    orphans: list[str] = field(default_factory=list)  # soak rows no client knows of

    @property
    def ok(self) -> bool:
        return not self.lost


def check(
    ledger: Ledger,
    export: Mapping[str, Any],
    *,
    describe: Callable[[str, str], str] = lambda kind, key: f"{kind} {key}",
) -> Verdict:
    """Every item's acknowledged last write against the state export."""
    rows = exported_values(export)
    verdict = Verdict(items=len(ledger.records), acknowledged_writes=ledger.acknowledged)
    for (kind, key), record in ledger.records.items():
        actual = rows.get((kind, key), GONE)
        if record.acked_known and actual == normalised(kind, record.acked):
            continue
        if actual in [normalised(kind, value) for value in record.pending]:
            verdict.unacknowledged_applied += 1
            continue
        if record.acked_known:
            verdict.lost.append(
                f"{describe(kind, key)}: acknowledged {normalised(kind, record.acked)!r},"
                f" the export has {actual!r}"
            )
    known = {key for key in ledger.records}
    for (kind, key), value in rows.items():
        marked = isinstance(value, str) and kind in MARKED and _marked(export, kind, key)
        if marked and (kind, key) not in known:
            verdict.orphans.append(f"{kind} {key}")
    return verdict


def _marked(export: Mapping[str, Any], kind: str, key: str) -> bool:
    provider, table, key_column, _column = KINDS[kind]
    for row in export.get("providers", {}).get(provider, {}).get(table, []):
        if str(row[key_column]) == key:
            return str(row.get(MARKED[kind], "")).startswith(MARK)
    return False


def counts(rows: Iterable[tuple[str, str]]) -> dict[str, int]:
    """How many items of each kind."""
    out: dict[str, int] = {}
    for kind, _key in rows:
        out[kind] = out.get(kind, 0) + 1
    return out
