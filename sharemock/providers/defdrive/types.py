"""DefDrive records, as the store holds them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class User:
    id: int
    username: str
    password_hash: str
    name: str
    email: str


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
    """

    name: str = ""
    subnets: tuple[str, ...] = field(default_factory=tuple)
    ips: tuple[str, ...] = field(default_factory=tuple)
    expires: str = ""
    public: bool = False
    one_time_use: bool = False
    ttl: int = 0
    enable_ttl: bool = False


@dataclass(frozen=True)
class Access:
    id: int
    file_id: int
    link: str
    settings: AccessSettings
    used: bool
    created_at: str
    updated_at: str
