"""DefDrive records, as the store holds them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The Go server's per-user quota defaults (models/user.go).
DEFAULT_MAX_FILES = 100
DEFAULT_MAX_STORAGE = 1 << 30


@dataclass(frozen=True)
class User:
    id: int
    username: str
    password_hash: str
    name: str
    email: str
    created_at: str = ""
    updated_at: str = ""
    max_files: int = DEFAULT_MAX_FILES
    max_storage: int = DEFAULT_MAX_STORAGE


@dataclass(frozen=True)
class Usage:
    """What a user's files take up, against their quota."""

    files: int
    storage: int


@dataclass(frozen=True)
class File:
    id: int
    name: str
    location: str
    size: int
    public: bool
    user_id: int
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class AccessSettings:
    """The eight settable fields of an access; the defaults are what an omitted field becomes.

    DefDrive's update replaces all eight (Go zero values for what the body leaves out).
    `subnets` and `ips` are None when the last write did not send them (Go's nil slice, which
    the deployed server answers as `null`), and may be empty when it sent `[]`.
    """

    name: str = ""
    subnets: tuple[str, ...] | None = None
    ips: tuple[str, ...] | None = None
    expires: str = ""
    public: bool = False
    one_time_use: bool = False
    ttl: int = 0
    enable_ttl: bool = False

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> AccessSettings:
        """The settings a request body gives (keys as the contracts name them: `oneTimeUse`);
        an absent or null field takes its empty value, as Go's decoder leaves it."""
        values: dict[str, Any] = {}
        for key, field_name in _SETTINGS_KEYS.items():
            value = body.get(key)
            if value is not None:
                values[field_name] = tuple(value) if isinstance(value, list) else value
        return cls(**values)


# Request body keys -> AccessSettings fields.
_SETTINGS_KEYS = {
    "name": "name",
    "subnets": "subnets",
    "ips": "ips",
    "expires": "expires",
    "public": "public",
    "oneTimeUse": "one_time_use",
    "ttl": "ttl",
    "enableTTL": "enable_ttl",
}


@dataclass(frozen=True)
class Access:
    id: int
    file_id: int
    link: str
    settings: AccessSettings
    used: bool
    created_at: str
    updated_at: str
