"""Filerobot's tables and the SQL that reads and writes them."""

from __future__ import annotations

import json

from sharemock.database import Connection, Row
from sharemock.providers.filerobot.types import (
    Credential,
    Item,
    Project,
    Sharebox,
    ShareSettings,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS filerobot_projects (
    token TEXT PRIMARY KEY,
    key_digest TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS filerobot_shareboxes (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    project TEXT NOT NULL REFERENCES filerobot_projects(token),
    puid TEXT NOT NULL UNIQUE,
    share_base TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    items TEXT NOT NULL,
    starts_at TEXT,
    expires_at TEXT,
    starts_tz TEXT NOT NULL,
    expires_tz TEXT NOT NULL,
    auth TEXT NOT NULL,
    show_starts_at INTEGER NOT NULL,
    show_expires_at INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT 'READ+DOWNLOAD'
);
CREATE INDEX IF NOT EXISTS filerobot_shareboxes_project ON filerobot_shareboxes(project);
"""

TABLES = ("filerobot_shareboxes", "filerobot_projects")


def _sharebox(row: Row) -> Sharebox:
    settings = ShareSettings(
        title=row["title"],
        items=tuple(Item.from_json(data) for data in json.loads(row["items"])),
        description=row["description"],
        starts_at=row["starts_at"],
        expires_at=row["expires_at"],
        starts_tz=row["starts_tz"],
        expires_tz=row["expires_tz"],
        auth=tuple(Credential.from_json(data) for data in json.loads(row["auth"])),
        show_starts_at=bool(row["show_starts_at"]),
        show_expires_at=bool(row["show_expires_at"]),
        permissions=row["permissions"],
    )
    return Sharebox(
        uuid=row["uuid"],
        project=row["project"],
        puid=row["puid"],
        share_base=row["share_base"],
        settings=settings,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _settings_columns(settings: ShareSettings) -> tuple[object, ...]:
    return (
        settings.title,
        settings.description,
        json.dumps([item.to_json() for item in settings.items]),
        settings.starts_at,
        settings.expires_at,
        settings.starts_tz,
        settings.expires_tz,
        json.dumps([entry.to_json() for entry in settings.auth]),
        int(settings.show_starts_at),
        int(settings.show_expires_at),
        settings.permissions,
    )


def insert_project(conn: Connection, project: Project) -> None:
    conn.execute(
        "INSERT INTO filerobot_projects (token, key_digest) VALUES (?, ?)",
        (project.token, project.key_digest),
    )


def project_by_key_digest(conn: Connection, digest: str) -> Project | None:
    row = conn.execute(
        "SELECT token, key_digest FROM filerobot_projects WHERE key_digest = ?", (digest,)
    ).fetchone()
    return Project(row["token"], row["key_digest"]) if row else None


def insert_sharebox(
    conn: Connection,
    uuid: str,
    project: str,
    puid: str,
    share_base: str,
    settings: ShareSettings,
    now: str,
) -> None:
    conn.execute(
        "INSERT INTO filerobot_shareboxes (uuid, project, puid, share_base, title, description,"
        " items, starts_at, expires_at, starts_tz, expires_tz, auth, show_starts_at,"
        " show_expires_at, permissions, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (uuid, project, puid, share_base, *_settings_columns(settings), now, now),
    )


def uuid_exists(conn: Connection, uuid: str) -> bool:
    row = conn.execute("SELECT 1 FROM filerobot_shareboxes WHERE uuid = ?", (uuid,)).fetchone()
    return row is not None


def puid_exists(conn: Connection, puid: str) -> bool:
    row = conn.execute("SELECT 1 FROM filerobot_shareboxes WHERE puid = ?", (puid,)).fetchone()
    return row is not None


def sharebox_by_puid(conn: Connection, project: str, puid: str) -> Sharebox | None:
    row = conn.execute(
        "SELECT * FROM filerobot_shareboxes WHERE project = ? AND puid = ?", (project, puid)
    ).fetchone()
    return _sharebox(row) if row else None


def sharebox_of_project(conn: Connection, project: str, uuid: str) -> Sharebox | None:
    row = conn.execute(
        "SELECT * FROM filerobot_shareboxes WHERE project = ? AND uuid = ?", (project, uuid)
    ).fetchone()
    return _sharebox(row) if row else None


def shareboxes_of_project(conn: Connection, project: str) -> list[Sharebox]:
    rows = conn.execute(
        "SELECT * FROM filerobot_shareboxes WHERE project = ? ORDER BY id", (project,)
    ).fetchall()
    return [_sharebox(row) for row in rows]


def replace_settings(conn: Connection, uuid: str, settings: ShareSettings, now: str) -> None:
    conn.execute(
        "UPDATE filerobot_shareboxes SET title = ?, description = ?, items = ?, starts_at = ?,"
        " expires_at = ?, starts_tz = ?, expires_tz = ?, auth = ?, show_starts_at = ?,"
        " show_expires_at = ?, permissions = ?, updated_at = ? WHERE uuid = ?",
        (*_settings_columns(settings), now, uuid),
    )


def delete_sharebox(conn: Connection, uuid: str) -> None:
    conn.execute("DELETE FROM filerobot_shareboxes WHERE uuid = ?", (uuid,))
