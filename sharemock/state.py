"""Opening the store (every provider's tables, fixtures in an empty database), and the state
as a document: every row of a provider's tables as JSON, exported and imported whole.

A state document is `{"sharemock": "state/1", "providers": {name: {table: [row, ...]}}}`:
rows as stored (SQL column names; BLOBs as `{"base64": ...}`), each table ordered by its
primary key, of the providers that own tables (a dialect's state is its provider's). It may
carry a `"description"` for people: a scenario is such a document.
"""

from __future__ import annotations

import base64
import binascii
import functools
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sharemock.config import Settings
from sharemock.database import MEMORY, Connection, Database, SqliteDatabase
from sharemock.provider import Provider


def open_store(settings: Settings) -> Database:
    """The configured database, as it is: PostgreSQL at `database_url`, else SQLite."""
    if settings.database_url:
        # Imported here: psycopg is loaded only by the processes that use it.
        from sharemock.postgres import PostgresDatabase

        return PostgresDatabase(settings.database_url)
    return SqliteDatabase(settings.db_path)


def open_database(settings: Settings, providers: Iterable[Provider]) -> Database:
    """Open the configured database, ready to serve (seeded on first use, or reset if asked)."""
    database = open_store(settings)
    providers = _store_owners(providers)
    # Replicas starting at once against an empty database: one installs and seeds, then the
    # others find it done.
    with database.setting_up():
        for provider in providers:
            database.install_tables(provider.name, provider.schema_sql, provider.tables)
        for provider in providers:
            if settings.reset or not database.is_seeded(provider.name):
                reset_provider(database, provider)
    return database


def _store_owners(providers: Iterable[Provider]) -> tuple[Provider, ...]:
    """The providers that own tables: a dialect's state is its provider's."""
    return tuple(provider for provider in providers if provider.dialect_of is None)


def reset_provider(database: Database, provider: Provider) -> None:
    """Replace a provider's rows by its fixtures, atomically."""
    with database.transaction() as conn:
        database.clear(conn, provider.tables)
        provider.load_fixtures(conn)
        database.sync_identities(conn, provider.tables)
        database.mark_seeded(conn, provider.name)


def reset_all(database: Database, providers: Iterable[Provider]) -> None:
    for provider in _store_owners(providers):
        reset_provider(database, provider)


# --- State documents: a provider's rows as JSON, exported and imported whole ---------------

STATE_FORMAT = "state/1"
# A document's keys: its format, the providers' rows, and a line for people (a scenario's).
_DOCUMENT_KEYS = ("sharemock", "providers", "description")
# What each column type a schema declares holds, and how a refusal names it.
_KINDS: dict[str, tuple[type, str]] = {
    "INTEGER": (int, "an integer"),
    "TEXT": (str, "a string"),
    "BLOB": (bytes, '{"base64": "..."}'),
}
# INTEGER is 64-bit on both backends (PostgreSQL's BIGINT).
_INT64 = range(-(2**63), 2**63)


class StateError(ValueError):
    """A state document that cannot be imported, and every reason why."""

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = tuple(reasons)
        listed = "\n".join(f"- {reason}" for reason in self.reasons)
        super().__init__(f"not an importable state document:\n{listed}")


@dataclass(frozen=True)
class _Table:
    """One table as its provider's schema declares it."""

    name: str
    columns: Mapping[str, str]  # name -> declared type, in table order
    key: tuple[str, ...]  # the primary key's columns

    def select(self) -> str:
        # Ordered by the key, so an export of one state is always the same document.
        return f"SELECT {', '.join(self.columns)} FROM {self.name} ORDER BY {', '.join(self.key)}"

    def insert(self, row: Mapping[str, object]) -> tuple[str, tuple[object, ...]]:
        """The INSERT of `row` and its values. The columns are the schema's own names (no
        name from a document reaches the SQL), in the schema's order."""
        columns = [column for column in self.columns if column in row]
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {self.name} ({', '.join(columns)}) VALUES ({marks})"
        return sql, tuple(row[column] for column in columns)


@functools.cache
def _declared(schema: str, names: tuple[str, ...]) -> tuple[_Table, ...]:
    """`names`' columns, types and keys, read from `schema` by SQLite itself.

    A provider writes its schema in SQLite's spelling for both backends, so a private
    in-memory SQLite reads it the same whichever backend holds the state, with no catalogue
    query of either.
    """
    conn = sqlite3.connect(MEMORY)
    try:
        conn.executescript(schema)
        return tuple(_declared_table(conn, name) for name in names)
    finally:
        conn.close()


def _declared_table(conn: sqlite3.Connection, name: str) -> _Table:
    info = conn.execute(
        "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", (name,)
    ).fetchall()
    columns = {column: declared.upper() for column, declared, _ in info}
    key = tuple(column for column, _, position in sorted(info, key=lambda c: c[2]) if position)
    return _Table(name, columns, key or tuple(columns))


def _tables_of(provider: Provider) -> tuple[_Table, ...]:
    """The provider's tables, children first (as `provider.tables` lists them)."""
    return _declared(provider.schema_sql, provider.tables)


def export_state(
    database: Database, providers: Iterable[Provider], only: str | None = None
) -> dict[str, Any]:
    """Every provider's rows (or only the one named `only`) as a state document, from one
    consistent read."""
    owners = _owners_by_name(providers)
    if only is not None:
        if only not in owners:
            raise LookupError(f"no provider {only!r} owns state (known: {', '.join(owners)})")
        owners = {only: owners[only]}
    with database.reading() as conn:
        sections = {name: _export(conn, provider) for name, provider in owners.items()}
    return {"sharemock": STATE_FORMAT, "providers": sections}


def _owners_by_name(providers: Iterable[Provider]) -> dict[str, Provider]:
    return {provider.name: provider for provider in _store_owners(providers)}


def _export(conn: Connection, provider: Provider) -> dict[str, list[dict[str, Any]]]:
    # Parents first: the order a person reads them in, and the order an import inserts them.
    return {
        table.name: [
            {column: _json_value(row[column]) for column in table.columns}
            for row in conn.execute(table.select()).fetchall()
        ]
        for table in reversed(_tables_of(provider))
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def import_state(database: Database, providers: Iterable[Provider], document: object) -> None:
    """Replace the rows of every provider `document` names by the document's, in one
    transaction; the others keep theirs. StateError, and nothing changed, if any part of it
    cannot be imported."""
    sections = _read_document(document, providers)
    with database.transaction() as conn:
        for provider, rows in sections:
            _replace(database, conn, provider, rows)


def check_state(providers: Iterable[Provider], document: object) -> None:
    """StateError if `document` could not be imported (what the database itself checks, its
    constraints, aside)."""
    _read_document(document, providers)


# A provider's rows as an import writes them: table -> rows (column -> stored value).
_Rows = dict[str, list[dict[str, object]]]


def _replace(database: Database, conn: Connection, provider: Provider, rows: _Rows) -> None:
    # A table the document leaves out is left empty: a section is the provider's whole state.
    database.clear(conn, provider.tables)
    for table in reversed(_tables_of(provider)):
        for index, row in enumerate(rows.get(table.name, ())):
            try:
                conn.execute(*table.insert(row))
            except database.constraint_errors as exc:
                # Raised inside the transaction: it rolls back every provider's rows.
                reason = " ".join(str(exc).split())
                raise StateError([f"{provider.name}.{table.name}[{index}]: {reason}"]) from exc
    database.sync_identities(conn, provider.tables)
    database.mark_seeded(conn, provider.name)


def _read_document(document: object, providers: Iterable[Provider]) -> list[tuple[Provider, _Rows]]:
    """The document's rows per provider, every value checked against its column."""
    if not isinstance(document, dict):
        raise StateError([f"a state document is a JSON object, not {_json_kind(document)}"])
    reasons = []
    if document.get("sharemock") != STATE_FORMAT:
        reasons.append(f'"sharemock" is {document.get("sharemock")!r}, not "{STATE_FORMAT}"')
    reasons.extend(
        f"unknown key {key!r} (known: {', '.join(_DOCUMENT_KEYS)})"
        for key in document
        if key not in _DOCUMENT_KEYS
    )
    if not isinstance(document.get("description", ""), str):
        reasons.append(f'"description" is {_json_kind(document["description"])}, not a string')
    sections = document.get("providers")
    if not isinstance(sections, dict):
        reasons.append(f'"providers" is {_json_kind(sections)}, not an object')
        raise StateError(reasons)
    everyone = tuple(providers)
    owners = _owners_by_name(everyone)
    read = []
    for name, section in sections.items():
        provider = owners.get(name)
        if provider is None:
            reasons.append(_unknown_provider(name, everyone, owners))
        elif not isinstance(section, dict):
            reasons.append(f"{name}: is {_json_kind(section)}, not an object of tables")
        else:
            read.append((provider, _read_section(provider, section, reasons)))
    if reasons:
        raise StateError(reasons)
    return read


def _unknown_provider(
    name: str, providers: Iterable[Provider], owners: Mapping[str, Provider]
) -> str:
    for provider in providers:
        if provider.name == name and provider.dialect_of is not None:
            return f"{name}: a dialect, whose state is {provider.dialect_of}'s"
    return f"{name}: no such provider owns state (known: {', '.join(owners)})"


def _read_section(provider: Provider, section: Mapping[str, Any], reasons: list[str]) -> _Rows:
    tables = {table.name: table for table in _tables_of(provider)}
    rows: _Rows = {}
    for name, listed in section.items():
        where = f"{provider.name}.{name}"
        table = tables.get(name)
        if table is None:
            reasons.append(f"{where}: no such table (known: {', '.join(provider.tables)})")
        elif not isinstance(listed, list):
            reasons.append(f"{where}: is {_json_kind(listed)}, not an array of rows")
        else:
            rows[name] = [
                _read_row(table, row, f"{where}[{index}]", reasons)
                for index, row in enumerate(listed)
            ]
    return rows


def _read_row(table: _Table, row: object, where: str, reasons: list[str]) -> dict[str, object]:
    if not isinstance(row, dict):
        reasons.append(f"{where}: is {_json_kind(row)}, not an object of columns")
        return {}
    values: dict[str, object] = {}
    for column, value in row.items():
        declared = table.columns.get(column)
        if declared is None:
            known = ", ".join(table.columns)
            reasons.append(f"{where}: no column {column!r} (known: {known})")
            continue
        try:
            values[column] = _stored_value(value, declared)
        except ValueError as exc:
            reasons.append(f"{where}.{column}: {exc}")
    # An identity column given some ids and not others would clash on PostgreSQL alone.
    reasons.extend(
        f"{where}: no {column!r} (its primary key)"
        for column in table.key
        if row.get(column) is None
    )
    return values


def _stored_value(value: object, declared: str) -> object:
    """A JSON value as its column stores it; ValueError saying why it cannot be."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("booleans are stored as the integers 0 and 1")
    if isinstance(value, dict) and value.keys() == {"base64"} and isinstance(value["base64"], str):
        value = _blob(value["base64"])
    elif not isinstance(value, int | str):
        raise ValueError(
            f"{_json_kind(value)} is not a column value (a string, an integer, null or"
            ' {"base64": "..."})'
        )
    kind, named = _KINDS.get(declared, (object, "a value"))
    if not isinstance(value, kind):
        raise ValueError(f"the column holds {named} ({declared}), not {_json_kind(value)}")
    if isinstance(value, int) and value not in _INT64:
        raise ValueError(f"{value} is beyond a 64-bit integer")
    return value


def _blob(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"{text!r} is not base64") from exc


def _json_kind(value: object) -> str:
    """How a JSON value is named in a refusal."""
    if value is None:
        return "null"
    return next(
        (named for kind, named in _JSON_KINDS if isinstance(value, kind)), type(value).__name__
    )


# bool before int: a boolean is an int in Python.
_JSON_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
    (bytes, '{"base64": ...}'),
)
