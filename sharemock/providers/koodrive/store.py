"""KooDrive's tables and the SQL that reads and writes them."""

from __future__ import annotations

import json
import re

from sharemock.database import Connection, Row
from sharemock.providers.koodrive.types import Container, Share, StoredFile, User

SCHEMA = """
CREATE TABLE IF NOT EXISTS koodrive_users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    access_token TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS koodrive_containers (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES koodrive_users(id)
);
CREATE TABLE IF NOT EXISTS koodrive_files (
    id TEXT PRIMARY KEY,
    container_id TEXT NOT NULL REFERENCES koodrive_containers(id),
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS koodrive_shares (
    id TEXT PRIMARY KEY,
    short_url TEXT NOT NULL UNIQUE,
    owner_id TEXT NOT NULL REFERENCES koodrive_users(id),
    container_id TEXT NOT NULL REFERENCES koodrive_containers(id),
    file_ids TEXT NOT NULL,
    scope INTEGER NOT NULL,
    extract_code TEXT NOT NULL,
    display_name TEXT NOT NULL,
    status INTEGER NOT NULL,
    comment TEXT NOT NULL,
    view_cnt INTEGER NOT NULL,
    download_cnt INTEGER NOT NULL,
    save_cnt INTEGER NOT NULL,
    share_time TEXT NOT NULL,
    create_time TEXT NOT NULL,
    update_time TEXT NOT NULL,
    expire_time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS koodrive_shares_owner ON koodrive_shares(owner_id, share_time);
"""

TABLES = ("koodrive_shares", "koodrive_files", "koodrive_containers", "koodrive_users")

_LIKE_SPECIAL = re.compile(r"[!%_]")

_SHARE_COLUMNS = (
    "id, short_url, owner_id, container_id, file_ids, scope, extract_code, display_name,"
    " status, comment, view_cnt, download_cnt, save_cnt, share_time, create_time,"
    " update_time, expire_time"
)


def _share(row: Row) -> Share:
    return Share(
        id=row["id"],
        short_url=row["short_url"],
        owner_id=row["owner_id"],
        container_id=row["container_id"],
        file_ids=tuple(json.loads(row["file_ids"])),
        scope=row["scope"],
        extract_code=row["extract_code"],
        display_name=row["display_name"],
        status=row["status"],
        comment=row["comment"],
        view_cnt=row["view_cnt"],
        download_cnt=row["download_cnt"],
        save_cnt=row["save_cnt"],
        share_time=row["share_time"],
        create_time=row["create_time"],
        update_time=row["update_time"],
        expire_time=row["expire_time"],
    )


def insert_user(conn: Connection, user: User) -> None:
    conn.execute(
        "INSERT INTO koodrive_users (id, name, access_token) VALUES (?, ?, ?)",
        (user.id, user.name, user.access_token),
    )


def user_by_token(conn: Connection, token: str) -> User | None:
    row = conn.execute(
        "SELECT id, name, access_token FROM koodrive_users WHERE access_token = ?", (token,)
    ).fetchone()
    return User(row["id"], row["name"], row["access_token"]) if row else None


def insert_container(conn: Connection, container: Container) -> None:
    conn.execute(
        "INSERT INTO koodrive_containers (id, owner_id) VALUES (?, ?)",
        (container.id, container.owner_id),
    )


def container_by_id(conn: Connection, container_id: str) -> Container | None:
    row = conn.execute(
        "SELECT id, owner_id FROM koodrive_containers WHERE id = ?", (container_id,)
    ).fetchone()
    return Container(row["id"], row["owner_id"]) if row else None


def insert_file(conn: Connection, file: StoredFile) -> None:
    conn.execute(
        "INSERT INTO koodrive_files (id, container_id, name) VALUES (?, ?, ?)",
        (file.id, file.container_id, file.name),
    )


def file_by_id(conn: Connection, file_id: str) -> StoredFile | None:
    row = conn.execute(
        "SELECT id, container_id, name FROM koodrive_files WHERE id = ?", (file_id,)
    ).fetchone()
    return StoredFile(row["id"], row["container_id"], row["name"]) if row else None


def insert_share(conn: Connection, share: Share) -> None:
    conn.execute(
        f"INSERT INTO koodrive_shares ({_SHARE_COLUMNS})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            share.id,
            share.short_url,
            share.owner_id,
            share.container_id,
            json.dumps(list(share.file_ids)),
            share.scope,
            share.extract_code,
            share.display_name,
            share.status,
            share.comment,
            share.view_cnt,
            share.download_cnt,
            share.save_cnt,
            share.share_time,
            share.create_time,
            share.update_time,
            share.expire_time,
        ),
    )


def identifier_taken(conn: Connection, identifier: str) -> bool:
    """Whether `identifier` is already some share's id or short URL."""
    row = conn.execute(
        "SELECT 1 FROM koodrive_shares WHERE id = ? OR short_url = ?", (identifier, identifier)
    ).fetchone()
    return row is not None


def share_of_owner(conn: Connection, share_id: str, owner_id: str) -> Share | None:
    row = conn.execute(
        f"SELECT {_SHARE_COLUMNS} FROM koodrive_shares WHERE id = ? AND owner_id = ?",
        (share_id, owner_id),
    ).fetchone()
    return _share(row) if row else None


def shares_of_owner(
    conn: Connection,
    owner_id: str,
    *,
    ascending: bool,
    name_contains: str | None,
    offset: int,
    limit: int,
) -> list[Share]:
    """One page of the owner's shares by share time (then id), optionally filtered by name."""
    direction = "ASC" if ascending else "DESC"
    clauses = ["owner_id = ?"]
    arguments: list[object] = [owner_id]
    if name_contains:
        # LIKE with `%` and `_` in the filter escaped, so they are taken literally.
        clauses.append("lower(display_name) LIKE lower(?) ESCAPE '!'")
        escaped = _LIKE_SPECIAL.sub(r"!\g<0>", name_contains)
        arguments.append(f"%{escaped}%")
    rows = conn.execute(
        f"SELECT {_SHARE_COLUMNS} FROM koodrive_shares WHERE {' AND '.join(clauses)}"
        f" ORDER BY share_time {direction}, id {direction} LIMIT ? OFFSET ?",
        (*arguments, limit, offset),
    ).fetchall()
    return [_share(row) for row in rows]


def update_share(conn: Connection, share: Share) -> None:
    """Write the settable fields of `share` (access code, message, times)."""
    conn.execute(
        "UPDATE koodrive_shares SET extract_code = ?, comment = ?, update_time = ?,"
        " expire_time = ? WHERE id = ?",
        (share.extract_code, share.comment, share.update_time, share.expire_time, share.id),
    )


def delete_share(conn: Connection, share_id: str, owner_id: str) -> bool:
    """Delete the owner's share; whether there was one."""
    cursor = conn.execute(
        "DELETE FROM koodrive_shares WHERE id = ? AND owner_id = ?", (share_id, owner_id)
    )
    return cursor.rowcount > 0
