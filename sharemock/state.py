"""Opening the store: create every provider's tables, load fixtures into an empty database."""

from __future__ import annotations

from collections.abc import Iterable

from sharemock.config import Settings
from sharemock.database import Database
from sharemock.provider import Provider


def open_database(settings: Settings, providers: Iterable[Provider]) -> Database:
    """Open the configured database, ready to serve (seeded on first use, or reset if asked)."""
    database = Database(settings.db_path)
    providers = tuple(providers)
    for provider in providers:
        database.install(provider.schema_sql)
        if provider.migrate is not None:
            with database.transaction() as conn:
                provider.migrate(conn)
    for provider in providers:
        if settings.reset or not database.is_seeded(provider.name):
            reset_provider(database, provider)
    return database


def reset_provider(database: Database, provider: Provider) -> None:
    """Replace a provider's rows by its fixtures, atomically."""
    with database.transaction() as conn:
        database.clear(conn, provider.tables)
        provider.load_fixtures(conn)
        database.mark_seeded(conn, provider.name)


def reset_all(database: Database, providers: Iterable[Provider]) -> None:
    for provider in providers:
        reset_provider(database, provider)
