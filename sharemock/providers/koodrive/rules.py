"""KooDrive's rules: shares belong to their owner, how an update moves the expiry, paging.

The seed (`004_bb159b35898a6465.txt`) fixes the update; providers.md §4 the siblings. Where
both are silent the choices are recorded in docs/providers/koodrive.md.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sharemock.database import Connection, Database
from sharemock.errors import ApiError
from sharemock.providers.koodrive import errors, store
from sharemock.providers.koodrive.types import NewShare, Share, ShareChanges

# A multi-file share is named after its first file (the real service appends 等多个文件).
MORE_FILES_SUFFIX = " and other files"
# Per-id results of a batch cancel: the sub-response `code` is an integer.
CANCELLED = (0, "success")


def timestamp(moment: datetime) -> str:
    """KooDrive's timestamp form: ISO 8601, UTC, milliseconds, `Z`."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _to_millisecond(moment: datetime) -> datetime:
    """`moment` cut to the millisecond, so `updateTime + N days` is exact in the answer."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _not_found(share_id: str) -> ApiError:
    # Another user's share answers exactly like a missing one: "shared by me" only sees mine.
    return errors.refusal(400, errors.RESOURCE_NOT_FOUND, f"no share {share_id} of the caller")


def _owned_share(conn: Connection, share_id: str, owner_id: str) -> Share:
    share = store.share_of_owner(conn, share_id, owner_id)
    if share is None:
        raise _not_found(share_id)
    return share


def _fresh_identifiers(conn: Connection) -> tuple[str, str]:
    """A new 19-digit share id and its short URL (the id + 1, as in the seed's example)."""
    while True:
        share_id = 10**18 + 2 * secrets.randbelow(4 * 10**18)
        candidates = (str(share_id), str(share_id + 1))
        if not any(store.identifier_taken(conn, c) for c in candidates):
            return candidates


def create_share(database: Database, owner_id: str, request: NewShare, now: datetime) -> Share:
    """Share files of one of the caller's spaces for `validDays` days from now."""
    now = _to_millisecond(now)
    with database.writing(errors.refusal(500, errors.INTERNAL)) as conn:
        container = store.container_by_id(conn, request.container_id)
        if container is None:
            raise errors.refusal(400, errors.SPACE_NOT_FOUND, f"no space {request.container_id}")
        if container.owner_id != owner_id:
            raise errors.refusal(
                400, errors.NO_SPACE_PERMISSION, f"space {container.id} is another user's"
            )
        names = []
        for file_id in request.file_ids:
            file = store.file_by_id(conn, file_id)
            if file is None or file.container_id != container.id:
                raise errors.refusal(
                    400, errors.FILE_NOT_IN_SPACE, f"no file {file_id} in space {container.id}"
                )
            names.append(file.name)
        share_id, short_url = _fresh_identifiers(conn)
        written = timestamp(now)
        share = Share(
            id=share_id,
            short_url=short_url,
            owner_id=owner_id,
            container_id=container.id,
            file_ids=request.file_ids,
            scope=request.scope,
            extract_code=request.extract_code,
            display_name=names[0] + (MORE_FILES_SUFFIX if len(names) > 1 else ""),
            status=0,
            comment=request.comment,
            view_cnt=0,
            download_cnt=0,
            save_cnt=0,
            share_time=written,
            create_time=written,
            update_time=written,
            expire_time=timestamp(now + timedelta(days=request.valid_days)),
        )
        store.insert_share(conn, share)
    return share


def shares_page(
    database: Database,
    owner_id: str,
    *,
    page_size: int,
    cursor: str,
    ascending: bool,
    name_contains: str | None,
) -> tuple[list[Share], str | None]:
    """One page of the caller's shares and the cursor of the next page (None on the last)."""
    offset = int(cursor)
    with database.reading() as conn:
        # One row more than asked tells whether another page follows.
        rows = store.shares_of_owner(
            conn,
            owner_id,
            ascending=ascending,
            name_contains=name_contains,
            offset=offset,
            limit=page_size + 1,
        )
    if len(rows) > page_size:
        return rows[:page_size], str(offset + page_size)
    return rows, None


def get_share(database: Database, owner_id: str, share_id: str) -> Share:
    with database.reading() as conn:
        return _owned_share(conn, share_id, owner_id)


def update_share(
    database: Database, owner_id: str, share_id: str, changes: ShareChanges, now: datetime
) -> Share:
    """Apply the seed's update: `validDays` N > 0 moves the expiry to now + N days, 0 keeps it.

    The access code and the message change only when sent; `updateTime` is always now.
    """
    now = _to_millisecond(now)
    with database.writing(errors.refusal(500, errors.INTERNAL)) as conn:
        share = _owned_share(conn, share_id, owner_id)
        updated = replace(
            share,
            extract_code=share.extract_code
            if changes.extract_code is None
            else changes.extract_code,
            comment=share.comment if changes.comment is None else changes.comment,
            update_time=timestamp(now),
            expire_time=(
                timestamp(now + timedelta(days=changes.valid_days))
                if changes.valid_days > 0
                else share.expire_time
            ),
        )
        store.update_share(conn, updated)
    return updated


def cancel_shares(
    database: Database, owner_id: str, share_ids: Sequence[str]
) -> list[tuple[str, int, str]]:
    """Cancel (delete) each of the caller's shares; a per-id `(shareId, code, msg)` result."""
    results = []
    missing_code, missing_message = errors.RESOURCE_NOT_FOUND
    with database.writing(errors.refusal(500, errors.INTERNAL)) as conn:
        for share_id in share_ids:
            if store.delete_share(conn, share_id, owner_id):
                results.append((share_id, *CANCELLED))
            else:
                results.append((share_id, int(missing_code), missing_message))
    return results
