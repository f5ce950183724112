"""Opening the store: tables made by another version of a provider's schema are re-made."""

from __future__ import annotations

import logging

import pytest

from sharemock.config import Settings
from sharemock.providers import PROVIDERS
from sharemock.providers.defdrive import store
from sharemock.state import open_database, open_store

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends


def test_tables_of_an_older_schema_are_recreated_and_seeded(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    old = open_store(settings)
    # DefDrive's users before they had quotas, as a database made by an earlier sharemock.
    old.install(
        "CREATE TABLE defdrive_users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
        " password_hash TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL);"
    )
    with old.transaction() as conn:
        conn.execute(
            "INSERT INTO defdrive_users VALUES (99, 'olduser', 'x', 'Old', 'old@example.com')"
        )
        old.mark_seeded(conn, "defdrive")
    old.close()

    with caplog.at_level(logging.WARNING, logger="sharemock.database"):
        database = open_database(settings, PROVIDERS)
    assert "another version" in caplog.text
    with database.reading() as conn:
        assert store.user_by_username(conn, "olduser") is None
        johndoe = store.user_by_username(conn, "johndoe")
    assert johndoe is not None and johndoe.max_files == 100


def test_tables_of_the_current_schema_keep_their_rows(settings: Settings) -> None:
    database = open_database(settings, PROVIDERS)
    with database.transaction() as conn:
        conn.execute("UPDATE defdrive_users SET name = 'Kept' WHERE id = 15")
    database.close()

    reopened = open_database(settings, PROVIDERS)
    with reopened.reading() as conn:
        user = store.user_by_id(conn, 15)
    assert user is not None and user.name == "Kept"
