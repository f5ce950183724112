"""Opening the store: tables made by another version of a provider's schema are re-made."""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

import pytest

from sharemock.config import Settings
from sharemock.database import SqliteDatabase
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


def test_sqlite_writers_queue_on_a_lock_file_held_for_the_transaction(tmp_path: Path) -> None:
    """Writers of a file database wait in the kernel (woken at once), not in SQLite's
    sleep-and-retry busy handler."""
    database = SqliteDatabase(tmp_path / "state.db")
    lock_file = tmp_path / "state.db-writer.lock"

    def free() -> bool:
        fd = os.open(lock_file, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(fd)  # closing the descriptor releases a lock it took
        return True

    with database.transaction():
        assert not free()
    assert free()
    with pytest.raises(RuntimeError), database.transaction():
        raise RuntimeError("rolled back")
    assert free()
    database.close()
