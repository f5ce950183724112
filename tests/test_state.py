"""Opening the store (tables made by another version of a provider's schema are re-made), and
the state as a document, exported and imported."""

from __future__ import annotations

import base64
import copy
import fcntl
import json
import logging
import os
from pathlib import Path

import pytest

from sharemock.config import Settings
from sharemock.database import Database, SqliteDatabase
from sharemock.providers import PROVIDERS
from sharemock.providers.defdrive import store
from sharemock.providers.defdrive.types import AccessSettings, File
from sharemock.state import (
    StateError,
    export_state,
    import_state,
    open_database,
    open_store,
    reset_all,
)

# The state these tests check is the same on every backend.
pytestmark = pytest.mark.backends

NOW = "2026-03-10T12:00:00Z"


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


# --- State documents -----------------------------------------------------------------------


def _with_an_upload(database: Database) -> None:
    """A DefDrive file with bytes (a BLOB) and an access of it beyond the fixtures."""
    with database.transaction() as conn:
        upload = File(77, "notes.txt", "johndoe/notes.txt", 3, True, 15, NOW, NOW)
        store.insert_file(conn, upload, b"\x00hi")
        store.insert_access(conn, 77, "a" * 32, AccessSettings(name="Notes"), NOW, access_id=900)


def test_an_exported_state_imports_back_unchanged(settings: Settings) -> None:
    database = open_database(settings, PROVIDERS)
    _with_an_upload(database)
    exported = export_state(database, PROVIDERS)
    assert list(exported["providers"]) == ["defdrive", "filerobot", "oracle", "koodrive"]
    files = exported["providers"]["defdrive"]["defdrive_files"]
    assert [row["id"] for row in files] == [42, 43, 77]
    assert files[2]["content"] == {"base64": base64.b64encode(b"\x00hi").decode()}

    reset_all(database, PROVIDERS)
    document = json.loads(json.dumps(exported))
    # A row's columns may come in any order.
    files = document["providers"]["defdrive"]["defdrive_files"]
    files[2] = dict(reversed(files[2].items()))
    import_state(database, PROVIDERS, document)
    assert export_state(database, PROVIDERS) == exported
    with database.reading() as conn:
        assert store.file_content(conn, 77) == b"\x00hi"


def test_an_import_replaces_only_the_providers_it_names(settings: Settings) -> None:
    database = open_database(settings, PROVIDERS)
    _with_an_upload(database)
    defdrive = export_state(database, PROVIDERS, only="defdrive")
    assert list(defdrive["providers"]) == ["defdrive"]
    reset_all(database, PROVIDERS)
    with database.transaction() as conn:
        conn.execute("UPDATE oracle_users SET display_name = 'Kept'")

    import_state(database, PROVIDERS, defdrive)
    assert export_state(database, PROVIDERS, only="defdrive") == defdrive
    with database.transaction() as conn:
        names = [
            row["display_name"] for row in conn.execute("SELECT display_name FROM oracle_users")
        ]
        # New rows continue past the imported ids (PostgreSQL's identities were moved on).
        new_access = store.insert_access(conn, 42, "b" * 32, AccessSettings(), NOW)
    assert names == ["Kept", "Kept"]
    assert new_access > 900


def test_a_bad_document_is_refused_with_every_reason_and_changes_nothing(
    settings: Settings,
) -> None:
    database = open_database(settings, PROVIDERS)
    before = export_state(database, PROVIDERS)
    document = copy.deepcopy(before)
    document["sharemock"] = "state/0"
    document["extra"] = True
    defdrive = document["providers"]["defdrive"]
    defdrive["defdrive_files"][0].update(public=True, colour="red", size="big")
    defdrive["defdrive_files"][1]["content"] = {"base64": "%%%"}
    defdrive["defdrive_accesses"].append("456")
    defdrive["defdrive_accesses"].append({"name": "no id"})
    defdrive["defdrive_shares"] = []
    document["providers"]["defdrive-deployed"] = {}
    document["providers"]["dropbox"] = {}
    document["providers"]["koodrive"] = []

    with pytest.raises(StateError) as refused:
        import_state(database, PROVIDERS, document)
    assert refused.value.reasons == (
        '"sharemock" is \'state/0\', not "state/1"',
        "unknown key 'extra' (known: sharemock, providers, description)",
        "defdrive.defdrive_files[0].size: the column holds an integer (INTEGER), not a string",
        "defdrive.defdrive_files[0].public: booleans are stored as the integers 0 and 1",
        "defdrive.defdrive_files[0]: no column 'colour' (known: id, name, location, size,"
        " public, user_id, content, created_at, updated_at)",
        "defdrive.defdrive_files[1].content: '%%%' is not base64",
        "defdrive.defdrive_accesses[2]: is a string, not an object of columns",
        "defdrive.defdrive_accesses[3]: no 'id' (its primary key)",
        "defdrive.defdrive_shares: no such table (known: defdrive_accesses, defdrive_files,"
        " defdrive_users)",
        "koodrive: is an array, not an object of tables",
        "defdrive-deployed: a dialect, whose state is defdrive's",
        "dropbox: no such provider owns state (known: defdrive, filerobot, oracle, koodrive)",
    )
    assert str(refused.value).startswith("not an importable state document:\n- ")
    for not_a_document in ([], {"sharemock": "state/1"}):
        with pytest.raises(StateError):
            import_state(database, PROVIDERS, not_a_document)
    assert export_state(database, PROVIDERS) == before


def test_rows_the_database_refuses_roll_every_provider_back(settings: Settings) -> None:
    database = open_database(settings, PROVIDERS)
    before = export_state(database, PROVIDERS)
    document = copy.deepcopy(before)
    document["providers"]["defdrive"]["defdrive_accesses"] = []  # imported first, then undone
    document["providers"]["koodrive"]["koodrive_containers"] = []  # files in no space

    with pytest.raises(StateError) as refused:
        import_state(database, PROVIDERS, document)
    (reason,) = refused.value.reasons
    assert reason.startswith("koodrive.koodrive_files[0]: ")
    assert "foreign key" in reason.lower()
    assert export_state(database, PROVIDERS) == before


def test_export_names_a_provider_that_owns_state(settings: Settings) -> None:
    database = open_database(settings, PROVIDERS)
    with pytest.raises(LookupError, match="known: defdrive, filerobot, oracle, koodrive"):
        export_state(database, PROVIDERS, only="defdrive-deployed")
