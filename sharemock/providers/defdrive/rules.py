"""DefDrive's rules: who may do what, how an update applies, how a share link is enforced.

Check order and messages follow the public Go implementation (providers.md §1.6 to §1.7);
where the seeds say otherwise the seeds win (docs/decisions.md).
"""

from __future__ import annotations

import ipaddress
import secrets
import sqlite3
from datetime import datetime, timedelta

from sharemock.database import Database
from sharemock.errors import ApiError
from sharemock.providers.defdrive import store
from sharemock.providers.defdrive.auth import password_matches
from sharemock.providers.defdrive.types import Access, AccessSettings, File, User

FILE_NOT_FOUND = "File not found"
ACCESS_NOT_FOUND = "Access record not found"


def timestamp(moment: datetime) -> str:
    """DefDrive's timestamp form in responses: RFC 3339, seconds, UTC `Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def authenticate(database: Database, username: str, password: str) -> User:
    with database.reading() as conn:
        user = store.user_by_username(conn, username)
    if user is None or not password_matches(password, user.password_hash):
        raise ApiError(401, "Invalid username or password")
    return user


def files_of(database: Database, user_id: int) -> list[File]:
    with database.reading() as conn:
        return store.files_of_user(conn, user_id)


def _owned_file(conn: sqlite3.Connection, file_id: int, user_id: int, refusal: str) -> File:
    file = store.file_by_id(conn, file_id)
    if file is None:
        raise ApiError(404, FILE_NOT_FOUND)
    if file.user_id != user_id:
        raise ApiError(403, refusal)
    return file


def _owned_access(conn: sqlite3.Connection, access_id: int, user_id: int, verb: str) -> Access:
    access = store.access_by_id(conn, access_id)
    if access is None:
        raise ApiError(404, ACCESS_NOT_FOUND)
    _owned_file(conn, access.file_id, user_id, f"You don't have permission to {verb} this access")
    return access


def set_file_public(
    database: Database, user_id: int, file_id: int, public: bool, now: datetime
) -> File:
    """Toggle Public Access: only the owner may flip the file's public flag."""
    with database.writing(ApiError(500, "Failed to update file")) as conn:
        _owned_file(conn, file_id, user_id, "You don't have permission to modify this file")
        store.set_file_public(conn, file_id, public, timestamp(now))
        file = store.file_by_id(conn, file_id)
    assert file is not None
    return file


def accesses_of(database: Database, user_id: int, file_id: int) -> list[Access]:
    with database.reading() as conn:
        _owned_file(
            conn, file_id, user_id, "You don't have permission to view accesses for this file"
        )
        return store.accesses_of_file(conn, file_id)


def create_access(
    database: Database, user_id: int, file_id: int, settings: AccessSettings, now: datetime
) -> Access:
    with database.writing(ApiError(500, "Failed to create access record")) as conn:
        _owned_file(
            conn, file_id, user_id, "You don't have permission to create access for this file"
        )
        link = secrets.token_hex(16)
        while store.link_exists(conn, link):  # 128 random bits: a formality
            link = secrets.token_hex(16)
        access_id = store.insert_access(conn, file_id, link, settings, timestamp(now))
        access = store.access_by_id(conn, access_id)
    assert access is not None
    return access


def get_access(database: Database, user_id: int, access_id: int) -> Access:
    with database.reading() as conn:
        return _owned_access(conn, access_id, user_id, "view")


def update_access(
    database: Database, user_id: int, access_id: int, settings: AccessSettings, now: datetime
) -> Access:
    """Replace the access's eight settable fields; id, file, link and `used` stay."""
    with database.writing(ApiError(500, "Failed to update access record")) as conn:
        _owned_access(conn, access_id, user_id, "update")
        store.replace_access_settings(conn, access_id, settings, timestamp(now))
        access = store.access_by_id(conn, access_id)
    assert access is not None
    return access


def delete_access(database: Database, user_id: int, access_id: int) -> None:
    with database.writing(ApiError(500, "Failed to delete access record")) as conn:
        _owned_access(conn, access_id, user_id, "delete")
        store.delete_access(conn, access_id)


def _parse_instant(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _in_any_subnet(client: str, subnets: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    for subnet in subnets:
        try:
            network = ipaddress.ip_network(subnet, strict=False)
        except ValueError:
            continue  # unparseable entries are skipped, as in the implementation
        if address.version == network.version and address in network:
            return True
    return False


def _is_listed(client: str, ips: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client in ips
    for entry in ips:
        try:
            if ipaddress.ip_address(entry) == address:
                return True
        except ValueError:
            continue
    return False


def _refusal(access: Access, file: File, client_ip: str, now: datetime) -> str | None:
    """The first restriction that refuses this download, in the implementation's order."""
    settings = access.settings
    if not (file.public and settings.public):
        return "Access denied: file or access is not public"
    if settings.subnets and not _in_any_subnet(client_ip, settings.subnets):
        return "Access restricted to specific subnets"
    if settings.ips and not _is_listed(client_ip, settings.ips):
        return "Access restricted to specific IPs"
    if settings.one_time_use and access.used:
        return "Access link has already been used"
    if settings.enable_ttl and settings.ttl > 0:
        written = _parse_instant(access.updated_at)
        if written is None or now >= written + timedelta(seconds=settings.ttl):
            return "Access link has reached its TTL limit"
    if settings.expires:
        expiry = _parse_instant(settings.expires)
        if expiry is None or now > expiry:
            return "Access link has expired"
    return None


def use_link(database: Database, link: str, client_ip: str, now: datetime) -> File:
    """Enforce the link's restrictions; on success spend a one-time link, return its file."""
    with database.writing(ApiError(500, "Failed to use access link")) as conn:
        access = store.access_by_link(conn, link)
        if access is None:
            raise ApiError(404, "Access link not found")
        file = store.file_by_id(conn, access.file_id)
        if file is None:
            raise ApiError(404, FILE_NOT_FOUND)
        refusal = _refusal(access, file, client_ip, now)
        if refusal is not None:
            raise ApiError(403, refusal, detail=f"client IP {client_ip}")
        if access.settings.one_time_use:
            store.mark_access_used(conn, access.id)
    return file
