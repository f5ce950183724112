"""Oracle's public-link rules: who may manage a link, how an edit applies, name uniqueness.

Only the owner of a file or folder manages its public links (the mock has no shares, so no
manager role); anyone else gets 403 (`-20`). Unknown links and items are 404 (`-16`).
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from sharemock.database import Connection, Database
from sharemock.providers.oracle import errors, store
from sharemock.providers.oracle.types import (
    Item,
    ItemType,
    LinkEdit,
    LinkSettings,
    PublicLink,
)

# The seed sends `2016-02-15T01:02:03`, Oracle's create example `…03Z`: both are UTC.
_EXPIRATION = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})Z?")
# Link IDs look like the seed's: `L`, 23 hex digits, `T`, a 19-digit series.
_LINK_SERIES = "T0000000000100000001"


def timestamp(moment: datetime) -> str:
    """Oracle's timestamp form in responses: `YYYY-MM-DDTHH:MM:SSZ` (UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: str) -> str:
    # JSON Schema patterns are searched with Python's `re`, whose `$` also matches before a
    # final newline: the contract lets one through, the stored value drops it.
    return value.removesuffix("\n")


def expiration(value: str) -> str | None:
    """A request's `expirationTime` as stored and answered (`…Z`); `""` means none."""
    value = _text(value)
    if value == "":
        return None
    match = _EXPIRATION.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        moment = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError as exc:
        raise errors.bad_request(f"expirationTime {value!r} is not a date and time") from exc
    return timestamp(moment)


def _password(value: str) -> str | None:
    return value or None


def _owned_item(conn: Connection, user_id: str, item_type: ItemType, item_id: str) -> Item:
    item = store.item_by_id(conn, item_id)
    if item is None or item.type != item_type:
        raise errors.item_not_found(item_type, item_id)
    if item.owner_id != user_id:
        raise errors.no_permission(f"{user_id} has no rights on {item_type} {item_id}")
    return item


def _owned_link(conn: Connection, user_id: str, link_id: str) -> PublicLink:
    link = store.link_by_id(conn, link_id)
    if link is None:
        raise errors.link_not_found(link_id)
    item = store.item_by_id(conn, link.item_id)
    if item is None or item.owner_id != user_id:
        raise errors.no_permission(f"{user_id} has no rights on public link {link_id}")
    return link


def _new_link_id(conn: Connection) -> str:
    link_id = f"L{secrets.token_hex(12).upper()[:23]}{_LINK_SERIES}"
    while store.link_id_exists(conn, link_id):  # 92 random bits: a formality
        link_id = f"L{secrets.token_hex(12).upper()[:23]}{_LINK_SERIES}"
    return link_id


def create_link(
    database: Database,
    user_id: str,
    item_type: ItemType,
    item_id: str,
    name: str | None,
    settings: LinkSettings,
    now: datetime,
) -> PublicLink:
    """A new link on the caller's item; a name is unique per item, and so is "unnamed"."""
    settings = LinkSettings(
        assigned_users=_text(settings.assigned_users),
        role=settings.role,
        password=_password(settings.password or ""),
        expiration_time=expiration(settings.expiration_time or ""),
    )
    with database.writing(errors.SERVER_ERROR.error()) as conn:
        _owned_item(conn, user_id, item_type, item_id)
        if store.link_named(conn, item_id, name):
            raise errors.name_exists(item_id, name)
        created = timestamp(now)
        link_id = _new_link_id(conn)
        store.insert_link(conn, link_id, item_id, name, settings, user_id, created, created)
        link = store.link_by_id(conn, link_id)
    assert link is not None
    return link


def links_of(
    database: Database, user_id: str, item_type: ItemType, item_id: str
) -> list[PublicLink]:
    with database.reading() as conn:
        _owned_item(conn, user_id, item_type, item_id)
        return store.links_of_item(conn, item_id)


def get_link(database: Database, user_id: str, link_id: str) -> PublicLink:
    with database.reading() as conn:
        return _owned_link(conn, user_id, link_id)


def edit_link(
    database: Database, user_id: str, link_id: str, edit: LinkEdit, now: datetime
) -> PublicLink:
    """Apply the fields the edit carries; the rest stay. The edit time is `lastModifiedTime`."""
    with database.writing(errors.SERVER_ERROR.error()) as conn:
        link = _owned_link(conn, user_id, link_id)
        current = link.settings
        settings = LinkSettings(
            assigned_users=(
                current.assigned_users
                if edit.assigned_users is None
                else _text(edit.assigned_users)
            ),
            role=current.role if edit.role is None else edit.role,
            password=current.password if edit.password is None else _password(edit.password),
            expiration_time=(
                current.expiration_time
                if edit.expiration_time is None
                else expiration(edit.expiration_time)
            ),
        )
        store.update_link(conn, link_id, settings, timestamp(now))
        updated = store.link_by_id(conn, link_id)
    assert updated is not None
    return updated


def delete_link(database: Database, user_id: str, link_id: str) -> None:
    with database.writing(errors.SERVER_ERROR.error()) as conn:
        _owned_link(conn, user_id, link_id)
        store.delete_link(conn, link_id)
