"""KooDrive records, as the store holds them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    id: str
    name: str
    access_token: str


@dataclass(frozen=True)
class Container:
    """A space (个人空间 / team space) holding files; only its owner shares from it here."""

    id: str
    owner_id: str


@dataclass(frozen=True)
class StoredFile:
    id: str
    container_id: str
    name: str


@dataclass(frozen=True)
class Share:
    """A share link ("shared by me"), with every field the seed's `shareLink` shows."""

    id: str
    short_url: str
    owner_id: str
    container_id: str
    file_ids: tuple[str, ...]
    scope: int
    extract_code: str  # "" when the share has no access code
    display_name: str
    status: int
    comment: str
    view_cnt: int
    download_cnt: int
    save_cnt: int
    share_time: str
    create_time: str
    update_time: str
    expire_time: str


@dataclass(frozen=True)
class NewShare:
    """What `POST /share` asks for."""

    file_ids: tuple[str, ...]
    container_id: str
    scope: int
    valid_days: int
    extract_code: str = ""
    comment: str = ""


@dataclass(frozen=True)
class ShareChanges:
    """What `PUT /share/{shareId}` asks for; `None` leaves a field as it is."""

    valid_days: int
    extract_code: str | None = None
    comment: str | None = None
