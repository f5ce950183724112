"""DefDrive handlers (operationIds of openapi/defdrive.yaml, in snake_case)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import request as http_request

from sharemock import runtime
from sharemock.providers.defdrive import PROVIDER, rules
from sharemock.providers.defdrive.auth import issue_token
from sharemock.providers.defdrive.types import Access, AccessSettings, File

JSON = dict[str, Any]


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


def _client_ip() -> str:
    forwarded = http_request.headers.get("X-Forwarded-For", "")
    first = forwarded.split(",")[0].strip()
    return first or (http_request.remote_addr or "")


def login(body: JSON) -> tuple[JSON, int]:
    current = runtime.current()
    user = rules.authenticate(current.database, body["username"], body["password"])
    token = issue_token(user.id, user.username, current.settings.jwt_secret, current.now())
    profile = {"id": user.id, "username": user.username, "email": user.email, "name": user.name}
    return {"message": "Login successful", "token": token, "user": profile}, 200


def list_files(user: int) -> tuple[JSON, int]:
    files = rules.files_of(runtime.current().database, user)
    return {"files": [_file_json(file) for file in files]}, 200


def toggle_public_access(file_id: int, body: JSON, user: int) -> tuple[JSON, int]:
    current = runtime.current()
    file = rules.set_file_public(current.database, user, file_id, body["public"], current.now())
    return {"message": "File access updated successfully", "file": _file_json(file)}, 200


def list_accesses(file_id: int, user: int) -> tuple[JSON, int]:
    accesses = rules.accesses_of(runtime.current().database, user, file_id)
    return {"accesses": [_access_json(access) for access in accesses]}, 200


def create_access(file_id: int, body: JSON, user: int) -> tuple[JSON, int]:
    current = runtime.current()
    settings = AccessSettings.from_json(body)
    access = rules.create_access(current.database, user, file_id, settings, current.now())
    url = f"{http_request.host_url.rstrip('/')}{PROVIDER.prefix}/link/{access.link}"
    return {
        "message": "Access created successfully",
        "access": _access_json(access),
        "link": url,
    }, 200


def get_access(access_id: int, user: int) -> tuple[JSON, int]:
    access = rules.get_access(runtime.current().database, user, access_id)
    return {"access": _access_json(access)}, 200


def update_access(access_id: int, body: JSON, user: int) -> tuple[JSON, int]:
    current = runtime.current()
    settings = AccessSettings.from_json(body)
    access = rules.update_access(current.database, user, access_id, settings, current.now())
    return {"message": "Access updated successfully", "access": _access_json(access)}, 200


def delete_access(access_id: int, user: int) -> tuple[JSON, int]:
    rules.delete_access(runtime.current().database, user, access_id)
    return {"message": "Access deleted successfully"}, 200


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
