"""What a layer between the stores and the driver costs per query: one typical store read
(DefDrive's access by id, mapped to an `Access`) timed N times through each way of running it.

    .venv/bin/python -m bench.store_layer [--queries 10000] [--database-url postgresql://...]

- `sqlite3`: the store function on a `sqlite3.Connection`, as the SQLite backend runs it;
- `adapter`: the same through a wrapper of `PostgresConnection`'s shape (a method call and a
  cached SQL rewrite) around the sqlite3 connection: what routing SQLite through the adapter
  would cost;
- `sqlalchemy-core`, `sqlalchemy-text`: a `select()` construct (compiled-statement cache on)
  and `text()` with the same SQL, rows mapped by name (only if SQLAlchemy is installed:
  `pip install sqlalchemy`; sharemock does not depend on it).

With `--database-url`, the same on PostgreSQL: psycopg itself (`%s` SQL), the adapter, and
SQLAlchemy Core over psycopg. Figures are µs per query, the best of `--runs` runs.
"""

from __future__ import annotations

import argparse
import functools
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sharemock.config import Settings
from sharemock.providers import PROVIDERS
from sharemock.providers.defdrive import store
from sharemock.providers.defdrive.types import Access
from sharemock.state import open_database

ACCESS_ID = 456
SQL = "SELECT * FROM defdrive_accesses WHERE id = ?"


def best_us(
    ways: dict[str, Callable[[], Access | None]], queries: int, runs: int
) -> dict[str, float]:
    """Each way's fastest of `runs` runs of `queries` calls, in µs per call. The ways take turns
    within each run, so a busy moment of the (shared) machine weighs on all of them alike."""
    best = dict.fromkeys(ways, float("inf"))
    for _ in range(runs):
        for name, query in ways.items():
            began = time.perf_counter()
            for _ in range(queries):
                query()
            best[name] = min(best[name], time.perf_counter() - began)
    return {name: seconds / queries * 1e6 for name, seconds in best.items()}


@functools.lru_cache(maxsize=1024)
def _as_is(sql: str) -> str:
    return sql


class SqliteThroughAdapter:
    """`PostgresConnection`'s shape over sqlite3: a wrapper call and a cached rewrite (here
    the identity, which SQLite's `?` needs)."""

    __slots__ = ("raw",)

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> sqlite3.Cursor:
        return self.raw.execute(_as_is(sql), parameters)


def sqlite_ways(path: Path) -> dict[str, Callable[[], Access | None]]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    adapted = SqliteThroughAdapter(conn)
    ways: dict[str, Callable[[], Access | None]] = {
        "sqlite3": lambda: store.access_by_id(conn, ACCESS_ID),
        "adapter": lambda: store.access_by_id(adapted, ACCESS_ID),
    }
    ways.update(_sqlalchemy_ways(f"sqlite:///{path}"))
    return ways


def postgres_ways(url: str) -> dict[str, Callable[[], Access | None]]:
    import psycopg
    from psycopg.rows import dict_row

    from sharemock.postgres import PostgresConnection

    raw = psycopg.connect(url, autocommit=True, row_factory=dict_row)
    adapted = PostgresConnection(raw)
    native = SQL.replace("?", "%s")

    def psycopg_itself() -> Access | None:
        row = raw.execute(native, (ACCESS_ID,)).fetchone()
        return store._access(row) if row else None

    ways: dict[str, Callable[[], Access | None]] = {
        "psycopg": psycopg_itself,
        "adapter": lambda: store.access_by_id(adapted, ACCESS_ID),
    }
    ways.update(_sqlalchemy_ways(url.replace("postgresql://", "postgresql+psycopg://", 1)))
    return ways


def _sqlalchemy_ways(url: str) -> dict[str, Callable[[], Access | None]]:
    try:
        import sqlalchemy
    except ImportError:
        return {}
    engine = sqlalchemy.create_engine(url)
    connection = engine.connect()
    accesses = sqlalchemy.Table(
        "defdrive_accesses", sqlalchemy.MetaData(), autoload_with=connection
    )
    selected = sqlalchemy.select(accesses).where(accesses.c.id == sqlalchemy.bindparam("id"))
    textual = sqlalchemy.text("SELECT * FROM defdrive_accesses WHERE id = :id")

    def run(statement: Any) -> Access | None:
        row = connection.execute(statement, {"id": ACCESS_ID}).mappings().fetchone()
        return store._access(row) if row else None

    return {"sqlalchemy-core": lambda: run(selected), "sqlalchemy-text": lambda: run(textual)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.store_layer", description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", help="also measure on this PostgreSQL database")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "state.db"
        open_database(Settings(db_path=str(path)), PROVIDERS).close()
        backends = {"SQLite": sqlite_ways(path)}
        if args.database_url:
            open_database(Settings(database_url=args.database_url), PROVIDERS).close()
            backends["PostgreSQL"] = postgres_ways(args.database_url)
        print(f"{args.queries} x store.access_by_id (query + row mapping), µs per query:")
        for backend, ways in backends.items():
            assert all(query() is not None for query in ways.values()), backend
            for name, micros in best_us(ways, args.queries, args.runs).items():
                print(f"  {backend:<10} {name:<16} {micros:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
