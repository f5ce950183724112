"""Filerobot records, as the store holds them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Project:
    """A Filerobot project ("container"): its token and the digest of its API key."""

    token: str
    key_digest: str


@dataclass(frozen=True)
class FolderOptions:
    """Which assets of a shared folder the sharebox includes."""

    recursive: bool
    visibility: str  # PUB, ORG or "PUB,ORG"


@dataclass(frozen=True)
class Item:
    """A group of shared files or folders."""

    type: str  # file_uuid or folder_uuid
    identifiers: tuple[str, ...]
    options: FolderOptions | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Item:
        """An item as the API (and the store) writes it."""
        options = data.get("options")
        return cls(
            type=data["type"],
            identifiers=tuple(data["identifiers"]),
            options=None
            if options is None
            else FolderOptions(options["recursive"], options["visibility"]),
        )

    def to_json(self) -> dict[str, Any]:
        """The API's form, in the seed's key order."""
        data: dict[str, Any] = {"identifiers": list(self.identifiers), "type": self.type}
        if self.options is not None:
            data["options"] = {
                "recursive": self.options.recursive,
                "visibility": self.options.visibility,
            }
        return data


@dataclass(frozen=True)
class Credential:
    """One `auth` entry: a password (None for none) and an optional user name."""

    password: str | None = None
    user: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Credential:
        return cls(data.get("pass"), data.get("user", ""))

    def to_json(self) -> dict[str, Any]:
        return {"pass": self.password, "user": self.user}

    @classmethod
    def entries_from_json(cls, data: list[Any] | Mapping[str, Any]) -> tuple[Credential, ...]:
        """`auth` as the API takes it: the documented array of entries, or the widget's one
        object (`{}` for no password)."""
        if isinstance(data, Mapping):
            return (cls.from_json(data),) if data else NO_PASSWORD
        return tuple(cls.from_json(entry) for entry in data)


# What a sharebox without a password stores, as the seed's example shows it.
NO_PASSWORD = (Credential(None, ""),)
# What the public page lets a visitor do: see the items (READ), or download them too.
READ_AND_DOWNLOAD = "READ+DOWNLOAD"


@dataclass(frozen=True)
class ShareSettings:
    """Everything a client sets on a sharebox; the defaults are what create leaves out."""

    title: str
    items: tuple[Item, ...]
    description: str = ""
    starts_at: str | None = None
    expires_at: str | None = None
    starts_tz: str = "UTC"
    expires_tz: str = "UTC"
    auth: tuple[Credential, ...] = NO_PASSWORD
    show_starts_at: bool = False
    show_expires_at: bool = False
    permissions: str = READ_AND_DOWNLOAD  # READ or READ+DOWNLOAD

    def password_protected(self) -> bool:
        """Whether the public page asks for a password (an entry with a non-empty `pass`)."""
        return any(entry.password for entry in self.auth)

    def accepts_password(self, password: str | None) -> bool:
        return password is not None and any(
            entry.password == password for entry in self.auth if entry.password
        )


@dataclass(frozen=True)
class ShareChanges:
    """An update: the new item list, and the optional settings the body carried.

    `values` maps `ShareSettings` field names to their new values; a field it lacks keeps
    its stored value.
    """

    items: tuple[Item, ...]
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sharebox:
    uuid: str
    project: str
    puid: str
    # The public page's address without its last segment (the title's slug).
    share_base: str
    settings: ShareSettings
    created_at: str
    updated_at: str
