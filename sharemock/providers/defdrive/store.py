"""DefDrive's tables and the SQL that reads and writes them."""

from __future__ import annotations

import json

from sharemock.database import Connection, Insert, Row
from sharemock.providers.defdrive.types import Access, AccessSettings, File, Usage, User

# AUTOINCREMENT: like the real server's Postgres sequences, a deleted row's id is never handed
# to a new row (plain INTEGER PRIMARY KEY reuses the highest deleted rowid).
SCHEMA = """
CREATE TABLE IF NOT EXISTS defdrive_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    max_files INTEGER NOT NULL,
    max_storage INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- `content` is NULL for a fixture file: a download then answers placeholder bytes.
CREATE TABLE IF NOT EXISTS defdrive_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    location TEXT NOT NULL,
    size INTEGER NOT NULL,
    public INTEGER NOT NULL DEFAULT 0,
    user_id INTEGER NOT NULL REFERENCES defdrive_users(id),
    content BLOB,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS defdrive_files_user ON defdrive_files(user_id);
-- `subnets`/`ips` are JSON arrays, NULL when the last write did not send them.
CREATE TABLE IF NOT EXISTS defdrive_accesses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id INTEGER NOT NULL REFERENCES defdrive_files(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    link TEXT NOT NULL UNIQUE,
    subnets TEXT,
    ips TEXT,
    expires TEXT NOT NULL,
    public INTEGER NOT NULL,
    one_time_use INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    ttl INTEGER NOT NULL,
    enable_ttl INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS defdrive_accesses_file ON defdrive_accesses(file_id);
"""

TABLES = ("defdrive_accesses", "defdrive_files", "defdrive_users")


def _user(row: Row) -> User:
    return User(
        id=row["id"],
        username=row["username"],
        password_hash=row["password_hash"],
        name=row["name"],
        email=row["email"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        max_files=row["max_files"],
        max_storage=row["max_storage"],
    )


def _list(column: str | None) -> tuple[str, ...] | None:
    return None if column is None else tuple(json.loads(column))


def _list_column(values: tuple[str, ...] | None) -> str | None:
    return None if values is None else json.dumps(list(values))


def _file(row: Row) -> File:
    return File(
        id=row["id"],
        name=row["name"],
        location=row["location"],
        size=row["size"],
        public=bool(row["public"]),
        user_id=row["user_id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _access(row: Row) -> Access:
    settings = AccessSettings(
        name=row["name"],
        subnets=_list(row["subnets"]),
        ips=_list(row["ips"]),
        expires=row["expires"],
        public=bool(row["public"]),
        one_time_use=bool(row["one_time_use"]),
        ttl=row["ttl"],
        enable_ttl=bool(row["enable_ttl"]),
    )
    return Access(
        id=row["id"],
        file_id=row["file_id"],
        link=row["link"],
        settings=settings,
        used=bool(row["used"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _settings_columns(settings: AccessSettings) -> tuple[object, ...]:
    return (
        settings.name,
        _list_column(settings.subnets),
        _list_column(settings.ips),
        settings.expires,
        int(settings.public),
        int(settings.one_time_use),
        settings.ttl,
        int(settings.enable_ttl),
    )


# The columns of a file's record, without its content (which only a download reads).
_FILE_COLUMNS = "id, name, location, size, public, user_id, created_at, updated_at"


_INSERT_USER = Insert(
    "defdrive_users",
    (
        "username",
        "password_hash",
        "name",
        "email",
        "max_files",
        "max_storage",
        "created_at",
        "updated_at",
    ),
)


def insert_user(conn: Connection, user: User, *, with_id: bool = True) -> int:
    """Store `user`; without `with_id` the store picks the next id. Returns the id."""
    values = (
        user.username,
        user.password_hash,
        user.name,
        user.email,
        user.max_files,
        user.max_storage,
        user.created_at,
        user.updated_at,
    )
    return _INSERT_USER.run(conn, values, user.id if with_id else None)


def user_by_id(conn: Connection, user_id: int) -> User | None:
    row = conn.execute("SELECT * FROM defdrive_users WHERE id = ?", (user_id,)).fetchone()
    return _user(row) if row else None


def user_by_username(conn: Connection, username: str) -> User | None:
    row = conn.execute("SELECT * FROM defdrive_users WHERE username = ?", (username,)).fetchone()
    return _user(row) if row else None


_INSERT_FILE = Insert(
    "defdrive_files",
    (
        "name",
        "location",
        "size",
        "public",
        "user_id",
        "content",
        "created_at",
        "updated_at",
    ),
)


def insert_file(
    conn: Connection, file: File, content: bytes | None = None, *, with_id: bool = True
) -> int:
    """Store `file` (and its bytes, if any); without `with_id` the store picks the id."""
    values = (
        file.name,
        file.location,
        file.size,
        int(file.public),
        file.user_id,
        content,
        file.created_at,
        file.updated_at,
    )
    return _INSERT_FILE.run(conn, values, file.id if with_id else None)


def file_by_id(conn: Connection, file_id: int) -> File | None:
    row = conn.execute(
        f"SELECT {_FILE_COLUMNS} FROM defdrive_files WHERE id = ?", (file_id,)
    ).fetchone()
    return _file(row) if row else None


def file_content(conn: Connection, file_id: int) -> bytes | None:
    """The bytes an upload stored, or None for a fixture file (which has none)."""
    row = conn.execute("SELECT content FROM defdrive_files WHERE id = ?", (file_id,)).fetchone()
    return None if row is None or row["content"] is None else bytes(row["content"])


def files_of_user(conn: Connection, user_id: int) -> list[File]:
    rows = conn.execute(
        f"SELECT {_FILE_COLUMNS} FROM defdrive_files WHERE user_id = ? ORDER BY id", (user_id,)
    ).fetchall()
    return [_file(row) for row in rows]


def file_name_taken(conn: Connection, user_id: int, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM defdrive_files WHERE user_id = ? AND name = ?", (user_id, name)
    ).fetchone()
    return row is not None


def usage_of_user(conn: Connection, user_id: int) -> Usage:
    row = conn.execute(
        # CAST: PostgreSQL's SUM of integers is a NUMERIC (a Decimal in Python).
        "SELECT COUNT(*) AS files, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS storage"
        " FROM defdrive_files WHERE user_id = ?",
        (user_id,),
    ).fetchone()
    return Usage(files=row["files"], storage=row["storage"])


def delete_file(conn: Connection, file_id: int) -> None:
    """Delete the file; its accesses go with it (ON DELETE CASCADE)."""
    conn.execute("DELETE FROM defdrive_files WHERE id = ?", (file_id,))


def set_file_public(conn: Connection, file_id: int, public: bool, now: str) -> None:
    conn.execute(
        "UPDATE defdrive_files SET public = ?, updated_at = ? WHERE id = ?",
        (int(public), now, file_id),
    )


_INSERT_ACCESS = Insert(
    "defdrive_accesses",
    (
        # _settings_columns' order, then the access's own columns.
        "name",
        "subnets",
        "ips",
        "expires",
        "public",
        "one_time_use",
        "ttl",
        "enable_ttl",
        "file_id",
        "link",
        "used",
        "created_at",
        "updated_at",
    ),
)


def insert_access(
    conn: Connection,
    file_id: int,
    link: str,
    settings: AccessSettings,
    now: str,
    access_id: int | None = None,
) -> int:
    values = (*_settings_columns(settings), file_id, link, 0, now, now)
    return _INSERT_ACCESS.run(conn, values, access_id)


def link_exists(conn: Connection, link: str) -> bool:
    row = conn.execute("SELECT 1 FROM defdrive_accesses WHERE link = ?", (link,)).fetchone()
    return row is not None


def access_by_id(conn: Connection, access_id: int) -> Access | None:
    row = conn.execute("SELECT * FROM defdrive_accesses WHERE id = ?", (access_id,)).fetchone()
    return _access(row) if row else None


def access_by_link(conn: Connection, link: str) -> Access | None:
    row = conn.execute("SELECT * FROM defdrive_accesses WHERE link = ?", (link,)).fetchone()
    return _access(row) if row else None


def accesses_of_file(conn: Connection, file_id: int) -> list[Access]:
    rows = conn.execute(
        "SELECT * FROM defdrive_accesses WHERE file_id = ? ORDER BY id", (file_id,)
    ).fetchall()
    return [_access(row) for row in rows]


def replace_access_settings(
    conn: Connection, access_id: int, settings: AccessSettings, now: str
) -> None:
    conn.execute(
        "UPDATE defdrive_accesses SET name = ?, subnets = ?, ips = ?, expires = ?, public = ?,"
        " one_time_use = ?, ttl = ?, enable_ttl = ?, updated_at = ? WHERE id = ?",
        (*_settings_columns(settings), now, access_id),
    )


def mark_access_used(conn: Connection, access_id: int) -> None:
    conn.execute("UPDATE defdrive_accesses SET used = 1 WHERE id = ?", (access_id,))


def delete_access(conn: Connection, access_id: int) -> None:
    conn.execute("DELETE FROM defdrive_accesses WHERE id = ?", (access_id,))
