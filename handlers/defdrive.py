"""DefDrive handlers (operationIds of openapi/defdrive.yaml, in snake_case).

Both DefDrive contracts run the same operations on the same rules and differ only in how a
record is written out; `Handlers` holds those operations for one `Shaping`, and each
contract's module exports the bound methods. Login and the link download answer the same in
both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response
from flask import request as http_request

from sharemock import runtime
from sharemock.providers.defdrive import PROVIDER, rules
from sharemock.providers.defdrive.auth import issue_token
from sharemock.providers.defdrive.types import Access, AccessSettings, File

JSON = dict[str, Any]
Reply = tuple[JSON, int]


@dataclass(frozen=True)
class Shaping:
    """How one contract writes DefDrive's records, and where it is mounted."""

    file: Callable[[File], JSON]
    access: Callable[[Access], JSON]
    prefix: str


class Handlers:
    """The operations both DefDrive contracts have, answering in `shaping`'s JSON."""

    def __init__(self, shaping: Shaping) -> None:
        self.shape = shaping

    def list_files(self, user: int) -> Reply:
        files = rules.files_of(runtime.current().database, user)
        return {"files": [self.shape.file(file) for file in files]}, 200

    def toggle_public_access(self, file_id: int, body: JSON, user: int) -> Reply:
        current = runtime.current()
        public = bool(body.get("public"))  # absent or null: Go's zero value (deployed only)
        file = rules.set_file_public(current.database, user, file_id, public, current.now())
        return {"message": "File access updated successfully", "file": self.shape.file(file)}, 200

    def list_accesses(self, file_id: int, user: int) -> Reply:
        accesses = rules.accesses_of(runtime.current().database, user, file_id)
        return {"accesses": [self.shape.access(access) for access in accesses]}, 200

    def create_access(self, file_id: int, body: JSON, user: int) -> Reply:
        current = runtime.current()
        settings = AccessSettings.from_json(body)
        access = rules.create_access(current.database, user, file_id, settings, current.now())
        url = f"{http_request.host_url.rstrip('/')}{self.shape.prefix}/link/{access.link}"
        return {
            "message": "Access created successfully",
            "access": self.shape.access(access),
            "link": url,
        }, 200

    def get_access(self, access_id: int, user: int) -> Reply:
        access = rules.get_access(runtime.current().database, user, access_id)
        return {"access": self.shape.access(access)}, 200

    def update_access(self, access_id: int, body: JSON, user: int) -> Reply:
        current = runtime.current()
        settings = AccessSettings.from_json(body)
        access = rules.update_access(current.database, user, access_id, settings, current.now())
        return {"message": "Access updated successfully", "access": self.shape.access(access)}, 200

    def delete_access(self, access_id: int, user: int) -> Reply:
        rules.delete_access(runtime.current().database, user, access_id)
        return {"message": "Access deleted successfully"}, 200


def _file_json(file: File) -> JSON:
    return {
        "id": file.id,
        "name": file.name,
        "location": file.location,
        "user_id": file.user_id,
        "size": file.size,
        "public": file.public,
        "created_at": file.created_at,
        "updated_at": file.updated_at,
    }


def _access_json(access: Access) -> JSON:
    settings = access.settings
    return {
        "id": access.id,
        "fileID": access.file_id,
        "name": settings.name,
        "link": access.link,
        "subnets": list(settings.subnets or ()),
        "ips": list(settings.ips or ()),
        "expires": settings.expires,
        "public": settings.public,
        "oneTimeUse": settings.one_time_use,
        "ttl": settings.ttl,
        "enableTTL": settings.enable_ttl,
    }


_DOCUMENTED = Handlers(Shaping(_file_json, _access_json, PROVIDER.prefix))
list_files = _DOCUMENTED.list_files
toggle_public_access = _DOCUMENTED.toggle_public_access
list_accesses = _DOCUMENTED.list_accesses
create_access = _DOCUMENTED.create_access
get_access = _DOCUMENTED.get_access
update_access = _DOCUMENTED.update_access
delete_access = _DOCUMENTED.delete_access


def _client_ip() -> str:
    forwarded = http_request.headers.get("X-Forwarded-For", "")
    first = forwarded.split(",")[0].strip()
    return first or (http_request.remote_addr or "")


def login(body: JSON) -> Reply:
    current = runtime.current()
    user = rules.authenticate(current.database, body["username"], body["password"])
    token = issue_token(user.id, user.username, current.settings.jwt_secret, current.now())
    profile = {"id": user.id, "username": user.username, "email": user.email, "name": user.name}
    return {"message": "Login successful", "token": token, "user": profile}, 200


def use_link(hash_: str) -> Response:
    current = runtime.current()
    download = rules.use_link(current.database, hash_, _client_ip(), current.now())
    file, content = download.file, download.content
    if content is None:  # a fixture file: no bytes were ever uploaded
        placeholder = f"sharemock placeholder content of {file.name}\n".encode()
        content = (placeholder * (file.size // len(placeholder) + 1))[: file.size]
    return Response(
        content,
        status=200,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )
