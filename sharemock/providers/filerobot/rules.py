"""Filerobot's rules: project isolation, update semantics, the public page's address.

Where the public documents are silent the decisions are in docs/providers/filerobot.md.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid as uuid_module
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sharemock.database import Connection, Database
from sharemock.errors import ApiError
from sharemock.providers.filerobot import store
from sharemock.providers.filerobot.auth import key_digest
from sharemock.providers.filerobot.errors import (
    EXPIRED,
    INVALID_BODY,
    NOT_ACTIVE_YET,
    PASSWORD_REQUIRED,
    SHARE_NOT_FOUND,
    TOKEN_MISMATCH,
    UNKNOWN_KEY,
    UUID_MISMATCH,
    WRONG_PASSWORD,
    share_not_found,
)
from sharemock.providers.filerobot.types import (
    READ_AND_DOWNLOAD,
    Sharebox,
    ShareChanges,
    ShareSettings,
)

SHARE_HOST = "https://share.filerobot.com"
PUID_LENGTH = 26
_PUID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_NOT_SLUG = re.compile(r"[^a-z0-9:]+")
# The widget's dates: a wall-clock minute without offset (`toISOString().slice(0, 16)`).
_LOCAL_MINUTE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
# What every mock key may do: what the widget checks before it lists, shows and shares.
KEY_PERMISSIONS = ("OBJECTS_LIST", "OBJECTS_FETCH", "OBJECTS_SHARE_MANAGE")


def timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def slug(title: str) -> str:
    """The last segment of a public page's address, as Filerobot derives it from the title.

    The seed shows "My share link" -> `my-share-link`, and its request carries the earlier
    `my-share-link-08-17-2024-06:29-pm` of "My share link 08/17/2024 06:29 PM".
    """
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return _NOT_SLUG.sub("-", folded).strip("-") or "share"


def share_uri(box: Sharebox) -> str:
    """The public page: a fixed base (host, project, puid) and the current title's slug."""
    return f"{box.share_base}/{slug(box.settings.title)}"


def _zone(name: str) -> tzinfo:
    """The IANA zone `name`; UTC for a name the time-zone database does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def stored_instant(value: str | None, zone: str) -> str | None:
    """What the store keeps of a date: RFC 3339 as sent; the widget's local
    `YYYY-MM-DDTHH:MM` read as a wall-clock time in `zone`, written in UTC."""
    if value is None or not _LOCAL_MINUTE.fullmatch(value):
        return value
    try:
        local = datetime.strptime(value, "%Y-%m-%dT%H:%M")
    except ValueError as exc:  # the contract's pattern admits only real dates; be safe anyway
        raise ApiError(400, INVALID_BODY, detail=f"not a date: {value!r}") from exc
    return timestamp(local.replace(tzinfo=_zone(zone)).astimezone(UTC))


def _in_utc(settings: ShareSettings) -> ShareSettings:
    return replace(
        settings,
        starts_at=stored_instant(settings.starts_at, settings.starts_tz),
        expires_at=stored_instant(settings.expires_at, settings.expires_tz),
    )


def _moment(instant: str) -> datetime:
    """A stored RFC 3339 instant as an aware datetime."""
    return datetime.fromisoformat(instant.upper())


def public_items(box: Sharebox) -> tuple[list[str], list[str]]:
    """The files and the folders the public view lists: each identifier once, in order (the
    widget keys entries by name, which is the identifier)."""
    files: dict[str, None] = {}
    folders: dict[str, None] = {}
    for item in box.settings.items:
        chosen = folders if item.type == "folder_uuid" else files
        chosen.update(dict.fromkeys(item.identifiers))
    return list(files), list(folders)


def allows_download(box: Sharebox) -> bool:
    return box.settings.permissions == READ_AND_DOWNLOAD


def cdn_url(box: Sharebox, identifier: str) -> str:
    """Where a shared file would be on the project's CDN (the mock serves no bytes)."""
    return f"https://{box.project}.filerobot.com/{identifier}"


def canonical_uuid(value: str) -> str:
    """UUIDs compare and are stored in lower case."""
    return value.lower()


def _owned(conn: Connection, project: str, uuid: str) -> Sharebox:
    """The project's sharebox; another project's is as absent as one that never existed."""
    box = store.sharebox_of_project(conn, project, uuid)
    if box is None:
        raise ApiError(404, share_not_found(uuid))
    return box


def list_shares(database: Database, project: str) -> list[Sharebox]:
    with database.reading() as conn:
        return store.shareboxes_of_project(conn, project)


def get_share(database: Database, project: str, uuid: str) -> Sharebox:
    with database.reading() as conn:
        return _owned(conn, project, canonical_uuid(uuid))


def _new_puid(conn: Connection) -> str:
    while True:  # 62**26 values: a clash is a formality
        puid = "".join(secrets.choice(_PUID_ALPHABET) for _ in range(PUID_LENGTH))
        if not store.puid_exists(conn, puid):
            return puid


def _new_uuid(conn: Connection) -> str:
    while True:
        value = str(uuid_module.uuid4())
        if not store.uuid_exists(conn, value):
            return value


def key_permissions(database: Database, project: str, key: str) -> tuple[str, ...]:
    """What `key` may do in `project`; 401 if it is not one of the project's keys."""
    with database.reading() as conn:
        owner = store.project_by_key_digest(conn, key_digest(key))
    if owner is None or owner.token != project:
        # Another project's key reads as unknown: the answer reveals no other project.
        detail = "no project has this key" if owner is None else "the key is another project's"
        raise ApiError(401, UNKNOWN_KEY, detail=detail)
    return KEY_PERMISSIONS


def public_share(
    database: Database, project: str, puid: str, password: str | None, now: datetime
) -> Sharebox:
    """The sharebox a visitor opens by its `puid`: in its dates, with its password."""
    with database.reading() as conn:
        box = store.sharebox_by_puid(conn, project, puid)
    if box is None:
        raise ApiError(404, SHARE_NOT_FOUND, detail=f"project {project} has no puid {puid}")
    settings = box.settings
    # Dates before the password: an expired page should not ask for one.
    if settings.starts_at is not None and now < _moment(settings.starts_at):
        raise ApiError(403, NOT_ACTIVE_YET, detail=f"starts at {settings.starts_at}")
    if settings.expires_at is not None and now >= _moment(settings.expires_at):
        raise ApiError(410, EXPIRED, detail=f"expired at {settings.expires_at}")
    if settings.password_protected():
        if not password:
            raise ApiError(401, PASSWORD_REQUIRED, detail="no password query parameter")
        if not settings.accepts_password(password):
            raise ApiError(401, WRONG_PASSWORD, detail="the password does not match")
    return box


def create_share(
    database: Database,
    project: str,
    settings: ShareSettings,
    now: datetime,
    body_token: str | None = None,
) -> Sharebox:
    """A new sharebox; `body_token` (the widget sends it) must name the path's project."""
    if body_token is not None and body_token != project:
        raise ApiError(409, TOKEN_MISMATCH, detail=f"body token {body_token}, path {project}")
    settings = _in_utc(settings)
    with database.writing(ApiError(500, "Failed to create the share")) as conn:
        box_uuid = _new_uuid(conn)
        puid = _new_puid(conn)
        base = f"{SHARE_HOST}/{project}/v3/s/{puid}"
        store.insert_sharebox(conn, box_uuid, project, puid, base, settings, timestamp(now))
        return _owned(conn, project, box_uuid)


def update_share(
    database: Database,
    project: str,
    uuid: str,
    body_uuid: str,
    changes: ShareChanges,
    now: datetime,
) -> Sharebox:
    """Replace the items, and every optional setting the body carried; keep the rest."""
    uuid = canonical_uuid(uuid)
    if canonical_uuid(body_uuid) != uuid:
        raise ApiError(409, UUID_MISMATCH, detail=f"body uuid {body_uuid}, path uuid {uuid}")
    with database.writing(ApiError(500, "Failed to update the share")) as conn:
        box = _owned(conn, project, uuid)
        settings = _in_utc(replace(box.settings, items=changes.items, **changes.values))
        store.replace_settings(conn, uuid, settings, timestamp(now))
        return _owned(conn, project, uuid)


def delete_share(database: Database, project: str, uuid: str) -> str:
    """Delete the project's sharebox; the canonical UUID it had."""
    uuid = canonical_uuid(uuid)
    with database.writing(ApiError(500, "Failed to delete the share")) as conn:
        _owned(conn, project, uuid)
        store.delete_sharebox(conn, uuid)
    return uuid
