"""Oracle's tables and the SQL that reads and writes them."""

from __future__ import annotations

from typing import Any

from sharemock.database import Connection, Row
from sharemock.providers.oracle.types import Item, LinkSettings, PublicLink, User

SCHEMA = """
CREATE TABLE IF NOT EXISTS oracle_users (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS oracle_items (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('file', 'folder')),
    name TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES oracle_users(id)
);
CREATE TABLE IF NOT EXISTS oracle_links (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    item_id TEXT NOT NULL REFERENCES oracle_items(id) ON DELETE CASCADE,
    name TEXT,
    assigned_users TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'downloader', 'contributor')),
    password TEXT,
    expiration_time TEXT,
    owner_id TEXT NOT NULL REFERENCES oracle_users(id),
    created_time TEXT NOT NULL,
    last_modified_time TEXT NOT NULL
);
-- One link per name on an item, and one unnamed link (names are never empty).
CREATE UNIQUE INDEX IF NOT EXISTS oracle_links_item_name
    ON oracle_links(item_id, COALESCE(name, ''));
"""

TABLES = ("oracle_links", "oracle_items", "oracle_users")

_LINK_SELECT = (
    "SELECT oracle_links.*, oracle_users.display_name AS owner_name"
    " FROM oracle_links JOIN oracle_users ON oracle_users.id = oracle_links.owner_id"
)


def _user(row: Row) -> User:
    return User(row["id"], row["login"], row["display_name"], row["password_hash"], row["token"])


def _item(row: Row) -> Item:
    return Item(row["id"], row["type"], row["name"], row["owner_id"])


def _link(row: Row) -> PublicLink:
    settings = LinkSettings(
        assigned_users=row["assigned_users"],
        role=row["role"],
        password=row["password"],
        expiration_time=row["expiration_time"],
    )
    return PublicLink(
        id=row["id"],
        item_id=row["item_id"],
        name=row["name"],
        settings=settings,
        owner_id=row["owner_id"],
        owner_name=row["owner_name"],
        created_time=row["created_time"],
        last_modified_time=row["last_modified_time"],
    )


def insert_user(conn: Connection, user: User) -> None:
    conn.execute(
        "INSERT INTO oracle_users (id, login, display_name, password_hash, token)"
        " VALUES (?, ?, ?, ?, ?)",
        (user.id, user.login, user.display_name, user.password_hash, user.token),
    )


def user_by_login(conn: Connection, login: str) -> User | None:
    row = conn.execute("SELECT * FROM oracle_users WHERE login = ?", (login,)).fetchone()
    return _user(row) if row else None


def user_by_token(conn: Connection, token: str) -> User | None:
    row = conn.execute("SELECT * FROM oracle_users WHERE token = ?", (token,)).fetchone()
    return _user(row) if row else None


def insert_item(conn: Connection, item: Item) -> None:
    conn.execute(
        "INSERT INTO oracle_items (id, type, name, owner_id) VALUES (?, ?, ?, ?)",
        (item.id, item.type, item.name, item.owner_id),
    )


def item_by_id(conn: Connection, item_id: str) -> Item | None:
    row = conn.execute("SELECT * FROM oracle_items WHERE id = ?", (item_id,)).fetchone()
    return _item(row) if row else None


def insert_link(
    conn: Connection,
    link_id: str,
    item_id: str,
    name: str | None,
    settings: LinkSettings,
    owner_id: str,
    created: str,
    modified: str,
) -> None:
    conn.execute(
        "INSERT INTO oracle_links (id, item_id, name, assigned_users, role, password,"
        " expiration_time, owner_id, created_time, last_modified_time)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            link_id,
            item_id,
            name,
            settings.assigned_users,
            settings.role,
            settings.password,
            settings.expiration_time,
            owner_id,
            created,
            modified,
        ),
    )


def link_by_id(conn: Connection, link_id: str) -> PublicLink | None:
    row = conn.execute(f"{_LINK_SELECT} WHERE oracle_links.id = ?", (link_id,)).fetchone()
    return _link(row) if row else None


def link_id_exists(conn: Connection, link_id: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM oracle_links WHERE id = ?", (link_id,)).fetchone() is not None
    )


def link_named(conn: Connection, item_id: str, name: str | None) -> bool:
    """Whether the item already has a link of that name (`None`: an unnamed link)."""
    row = conn.execute(
        "SELECT 1 FROM oracle_links WHERE item_id = ? AND COALESCE(name, '') = ?",
        (item_id, name or ""),
    ).fetchone()
    return row is not None


def links_of_item(conn: Connection, item_id: str) -> list[PublicLink]:
    rows = conn.execute(
        f"{_LINK_SELECT} WHERE oracle_links.item_id = ? ORDER BY oracle_links.seq", (item_id,)
    ).fetchall()
    return [_link(row) for row in rows]


def update_link(conn: Connection, link_id: str, settings: LinkSettings, modified: str) -> None:
    values: tuple[Any, ...] = (
        settings.assigned_users,
        settings.role,
        settings.password,
        settings.expiration_time,
        modified,
        link_id,
    )
    conn.execute(
        "UPDATE oracle_links SET assigned_users = ?, role = ?, password = ?,"
        " expiration_time = ?, last_modified_time = ? WHERE id = ?",
        values,
    )


def delete_link(conn: Connection, link_id: str) -> None:
    conn.execute("DELETE FROM oracle_links WHERE id = ?", (link_id,))
