"""Oracle Content Management records, as the store holds them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ItemType = Literal["file", "folder"]
Role = Literal["viewer", "downloader", "contributor"]


@dataclass(frozen=True)
class User:
    id: str
    login: str
    display_name: str
    password_hash: str
    token: str


@dataclass(frozen=True)
class Item:
    """A file (GUID `D…`) or folder (GUID `F…`) that public links point at."""

    id: str
    type: ItemType
    name: str
    owner_id: str


@dataclass(frozen=True)
class LinkSettings:
    """What a link's owner can set; `None` means not set (no password, never expires)."""

    assigned_users: str
    role: Role
    password: str | None = None
    expiration_time: str | None = None


@dataclass(frozen=True)
class LinkEdit:
    """An edit request: `None` keeps the stored value, `""` clears a password or expiry."""

    assigned_users: str | None = None
    role: Role | None = None
    password: str | None = None
    expiration_time: str | None = None


@dataclass(frozen=True)
class PublicLink:
    id: str
    item_id: str
    name: str | None
    settings: LinkSettings
    owner_id: str
    owner_name: str
    created_time: str
    last_modified_time: str
