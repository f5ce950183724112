"""DefDrive's rules: who may do what, how an update applies, how a share link is enforced.

Check order and messages follow the public Go implementation (providers.md §1.6 to §1.7);
where the seeds say otherwise the seeds win (docs/decisions.md).
"""

from __future__ import annotations

import ipaddress
import posixpath
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sharemock.database import Connection, Database
from sharemock.errors import ApiError
from sharemock.providers.defdrive import store
from sharemock.providers.defdrive.auth import hash_password, password_matches
from sharemock.providers.defdrive.types import Access, AccessSettings, File, Usage, User

FILE_NOT_FOUND = "File not found"
ACCESS_NOT_FOUND = "Access record not found"
USERNAME_TAKEN = (
    "Failed to create user: ERROR: duplicate key value violates unique constraint"
    ' "idx_users_username" (SQLSTATE 23505)'
)


def timestamp(moment: datetime) -> str:
    """DefDrive's timestamp form in responses: RFC 3339, seconds, UTC `Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def authenticate(database: Database, username: str, password: str) -> User:
    with database.reading() as conn:
        user = store.user_by_username(conn, username)
    if user is None or not password_matches(password, user.password_hash):
        raise ApiError(401, "Invalid username or password")
    return user


def sign_up(
    database: Database, username: str, password: str, name: str, email: str, now: datetime
) -> User:
    """A new account with the Go server's default quota; a taken username is refused."""
    written = timestamp(now)
    with database.writing(ApiError(500, "Failed to create user")) as conn:
        if store.user_by_username(conn, username) is not None:
            # The Go server answers 500 with Postgres's text; a client error is a 409 here.
            raise ApiError(409, USERNAME_TAKEN, detail=f"username {username!r} is taken")
        user = User(0, username, hash_password(password), name, email, written, written)
        user_id = store.insert_user(conn, user, with_id=False)
        created = store.user_by_id(conn, user_id)
    assert created is not None
    return created


@dataclass(frozen=True)
class Quota:
    """A user's limits and what their files use of them."""

    user: User
    usage: Usage


def quota_of(database: Database, user_id: int) -> Quota:
    with database.reading() as conn:
        return _quota(conn, user_id)


def _quota(conn: Connection, user_id: int) -> Quota:
    user = store.user_by_id(conn, user_id)
    if user is None:
        # A well-signed token of no account: the Go server answers 500 "Failed to get user
        # information"; it is the token that is wrong, so the mock refuses it as such.
        raise ApiError(401, "Invalid token claims", detail=f"no user with userID {user_id}")
    return Quota(user, store.usage_of_user(conn, user_id))


@dataclass(frozen=True)
class ExtensionStats:
    extension: str
    count: int
    total_size: int


def file_stats(database: Database, user_id: int) -> tuple[Usage, list[ExtensionStats]]:
    """The user's file count and bytes, and the same per file extension (`txt`, no dot)."""
    files = files_of(database, user_id)
    by_extension: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for file in files:
        entry = by_extension[posixpath.splitext(file.name)[1].lstrip(".").lower()]
        entry[0] += 1
        entry[1] += file.size
    stats = [ExtensionStats(ext, count, size) for ext, (count, size) in by_extension.items()]
    return Usage(len(files), sum(file.size for file in files)), stats


def upload(
    database: Database, user_id: int, filename: str | None, content: bytes | None, now: datetime
) -> File:
    """Store an upload in the user's folder, within their quota, under a name not yet used.

    `filename` and `content` are None when the form had no `file` part.
    """
    if filename is None or content is None:
        raise ApiError(400, "No file provided", detail="the form has no 'file' part")
    name = posixpath.basename(filename.replace("\\", "/"))
    if not name:
        raise ApiError(400, "No file provided", detail="the uploaded file has no name")
    written = timestamp(now)
    with database.writing(ApiError(500, "Failed to record file in database")) as conn:
        quota = _quota(conn, user_id)
        user, usage = quota.user, quota.usage
        if usage.files >= user.max_files:
            raise ApiError(
                403,
                "File limit exceeded",
                fields={"current_files": usage.files, "max_files": user.max_files},
            )
        if usage.storage + len(content) > user.max_storage:
            raise ApiError(
                403,
                "Storage limit exceeded",
                fields={
                    "current_storage": usage.storage,
                    "max_storage": user.max_storage,
                    "file_size": len(content),
                },
            )
        if store.file_name_taken(conn, user_id, name):
            raise ApiError(409, "A file with this name already exists in your folder")
        location = f"{user.username}/{name}"
        file = File(0, name, location, len(content), False, user_id, written, written)
        file_id = store.insert_file(conn, file, content, with_id=False)
        stored = store.file_by_id(conn, file_id)
    assert stored is not None
    return stored


def delete_file(database: Database, user_id: int, file_id: int) -> None:
    """Delete the owner's file and, with it, every access of it."""
    with database.writing(ApiError(500, "Failed to delete file record")) as conn:
        _owned_file(conn, file_id, user_id, "You don't have permission to delete this file")
        store.delete_file(conn, file_id)


def files_of(database: Database, user_id: int) -> list[File]:
    with database.reading() as conn:
        return store.files_of_user(conn, user_id)


def _owned_file(conn: Connection, file_id: int, user_id: int, refusal: str) -> File:
    file = store.file_by_id(conn, file_id)
    if file is None:
        raise ApiError(404, FILE_NOT_FOUND)
    if file.user_id != user_id:
        raise ApiError(403, refusal)
    return file


def _owned_access(conn: Connection, access_id: int, user_id: int, verb: str) -> Access:
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


@dataclass(frozen=True)
class Download:
    """A file a link gave, with the bytes it was uploaded with (None for a fixture file)."""

    file: File
    content: bytes | None


def use_link(database: Database, link: str, client_ip: str, now: datetime) -> Download:
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
        return Download(file, store.file_content(conn, file.id))
