"""DefDrive as deployed (operationIds of openapi/defdrive-deployed.yaml, in snake_case).

The same rules and shared operations as `handlers.defdrive` (`Handlers`); only the shaping
differs: the Go server's JSON has no field tags, so records go out with Go's field names and
`gorm.Model`'s fields, and the relations it never loads go out as Go's zero values. The
operations only the deployed server has (signup, upload, quotas, stats, file deletion) are
here.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import FileStorage

from handlers.defdrive import Handlers, Shaping, login, use_link
from sharemock import runtime
from sharemock.providers.defdrive import DEPLOYED, rules
from sharemock.providers.defdrive.types import Access, File, User

__all__ = [
    "create_access",
    "delete_access",
    "delete_file",
    "file_stats",
    "get_access",
    "health",
    "list_accesses",
    "list_files",
    "login",
    "sign_up",
    "toggle_public_access",
    "update_access",
    "upload",
    "use_link",
    "user_limits",
]

JSON = dict[str, Any]
# Go's zero time.Time, as encoding/json writes it.
ZERO_TIME = "0001-01-01T00:00:00Z"


def _model(record_id: int, created_at: str, updated_at: str) -> JSON:
    """`gorm.Model`'s fields; `DeletedAt` is null (the mock deletes outright)."""
    return {"ID": record_id, "CreatedAt": created_at, "UpdatedAt": updated_at, "DeletedAt": None}


def _user_json(user: User) -> JSON:
    return {
        **_model(user.id, user.created_at, user.updated_at),
        "Name": user.name,
        "Email": user.email,
        "Username": user.username,
        "Password": "",
        "MaxFiles": user.max_files,
        "MaxStorage": user.max_storage,
        "Files": None,
    }


# The relations the Go server never preloads: zero-valued structs.
_ZERO_USER = _user_json(User(0, "", "", "", "", ZERO_TIME, ZERO_TIME, 0, 0))


def _file_json(file: File) -> JSON:
    return {
        **_model(file.id, file.created_at, file.updated_at),
        "Name": file.name,
        "Location": file.location,
        "Size": file.size,
        "Hash": "",
        "Public": file.public,
        "UserID": file.user_id,
        "User": _ZERO_USER,
        "Accesses": None,
    }


_ZERO_FILE = _file_json(File(0, "", "", 0, False, 0, ZERO_TIME, ZERO_TIME))


def _access_json(access: Access) -> JSON:
    settings = access.settings
    return {
        **_model(access.id, access.created_at, access.updated_at),
        "Name": settings.name,
        "Link": access.link,
        "Subnets": None if settings.subnets is None else list(settings.subnets),
        "IPs": None if settings.ips is None else list(settings.ips),
        "Expires": settings.expires,
        "Public": settings.public,
        "OneTimeUse": settings.one_time_use,
        "Used": access.used,
        "TTL": settings.ttl,
        "EnableTTL": settings.enable_ttl,
        "FileID": access.file_id,
        "File": _ZERO_FILE,
    }


def health() -> tuple[JSON, int]:
    return {"status": "ok"}, 200


def sign_up(body: JSON) -> tuple[JSON, int]:
    current = runtime.current()
    user = rules.sign_up(
        current.database,
        body["username"],
        body["password"],
        body.get("name") or "",
        body.get("email") or "",
        current.now(),
    )
    return {"message": "User created successfully", "user": _user_json(user)}, 200


def user_limits(user: int) -> tuple[JSON, int]:
    quota = rules.quota_of(runtime.current().database, user)
    limits, usage = quota.user, quota.usage
    return {
        "max_files": limits.max_files,
        "max_storage": limits.max_storage,
        "current_files": usage.files,
        "current_storage": usage.storage,
        "remaining_files": limits.max_files - usage.files,
        "remaining_storage": limits.max_storage - usage.storage,
    }, 200


def upload(user: int, file: FileStorage | None = None) -> tuple[JSON, int]:
    current = runtime.current()
    name, content = (None, None) if file is None else (file.filename or "", file.read())
    stored = rules.upload(current.database, user, name, content, current.now())
    return {"message": "File uploaded successfully", "file": _file_json(stored)}, 200


def file_stats(user: int) -> tuple[JSON, int]:
    usage, by_extension = rules.file_stats(runtime.current().database, user)
    return {
        "file_count": usage.files,
        "total_storage": usage.storage,
        "file_types": [
            {"extension": entry.extension, "count": entry.count, "total_size": entry.total_size}
            for entry in by_extension
        ],
    }, 200


def delete_file(file_id: int, user: int) -> tuple[JSON, int]:
    rules.delete_file(runtime.current().database, user, file_id)
    return {"message": "File deleted successfully"}, 200


_DEPLOYED = Handlers(Shaping(_file_json, _access_json, DEPLOYED.prefix))
list_files = _DEPLOYED.list_files
toggle_public_access = _DEPLOYED.toggle_public_access
list_accesses = _DEPLOYED.list_accesses
create_access = _DEPLOYED.create_access
get_access = _DEPLOYED.get_access
update_access = _DEPLOYED.update_access
delete_access = _DEPLOYED.delete_access
