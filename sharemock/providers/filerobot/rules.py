"""Filerobot's rules: project isolation, update semantics, the public page's address.

Where the public documents are silent the decisions are in docs/providers/filerobot.md.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import unicodedata
import uuid as uuid_module
from dataclasses import replace
from datetime import datetime

from sharemock.database import Database
from sharemock.errors import ApiError
from sharemock.providers.filerobot import store
from sharemock.providers.filerobot.errors import UUID_MISMATCH, share_not_found
from sharemock.providers.filerobot.types import Sharebox, ShareChanges, ShareSettings

SHARE_HOST = "https://share.filerobot.com"
PUID_LENGTH = 26
_PUID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_NOT_SLUG = re.compile(r"[^a-z0-9:]+")


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


def canonical_uuid(value: str) -> str:
    """UUIDs compare and are stored in lower case."""
    return value.lower()


def _owned(conn: sqlite3.Connection, project: str, uuid: str) -> Sharebox:
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


def _new_puid(conn: sqlite3.Connection) -> str:
    while True:  # 62**26 values: a clash is a formality
        puid = "".join(secrets.choice(_PUID_ALPHABET) for _ in range(PUID_LENGTH))
        if not store.puid_exists(conn, puid):
            return puid


def _new_uuid(conn: sqlite3.Connection) -> str:
    while True:
        value = str(uuid_module.uuid4())
        if not store.uuid_exists(conn, value):
            return value


def create_share(
    database: Database, project: str, settings: ShareSettings, now: datetime
) -> Sharebox:
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
        settings = replace(box.settings, items=changes.items, **changes.values)
        store.replace_settings(conn, uuid, settings, timestamp(now))
        return _owned(conn, project, uuid)


def delete_share(database: Database, project: str, uuid: str) -> str:
    """Delete the project's sharebox; the canonical UUID it had."""
    uuid = canonical_uuid(uuid)
    with database.writing(ApiError(500, "Failed to delete the share")) as conn:
        _owned(conn, project, uuid)
        store.delete_sharebox(conn, uuid)
    return uuid
