"""Opening the store: create every provider's tables, load fixtures into an empty database."""

from __future__ import annotations

from collections.abc import Iterable

from sharemock.config import Settings
from sharemock.database import Database, SqliteDatabase
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
