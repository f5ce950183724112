"""Filerobot handlers (operationIds of openapi/filerobot.yaml, in snake_case).

`user` is the project whose key authenticated the request; `auth.verify_key` has already
checked that it is the path's `{token}`.
"""

from __future__ import annotations

import time
from typing import Any

from sharemock import runtime
from sharemock.providers.filerobot import rules
from sharemock.providers.filerobot.types import (
    Credential,
    Item,
    Sharebox,
    ShareChanges,
    ShareSettings,
)

JSON = dict[str, Any]

# The build the seed's example response names; every Filerobot answer carries it.
API_VERSION = {
    "hash": "1ce24f12ff9f3205395f34065a5b87bbfa619e25",
    "datetime": "2024-08-13T12:13:54+07:00",
    "module": "elastic_v2",
}
# Optional body keys -> ShareSettings fields (`items` is required and handled apart).
_OPTIONAL_FIELDS = (
    "title",
    "description",
    "starts_at",
    "expires_at",
    "starts_tz",
    "expires_tz",
    "auth",
    "show_starts_at",
    "show_expires_at",
    "permissions",
)
# A null zone (the widget's "no date") leaves the stored or default zone in place.
_ZONES = ("starts_tz", "expires_tz")


def _envelope(started: float, *, version: int = 5, **payload: Any) -> JSON:
    """`status`, the payload, then `info` and `api_version`, in Filerobot's order."""
    return {
        "status": "success",
        **payload,
        "info": {"duration": time.perf_counter() - started, "api_version": version},
        "api_version": dict(API_VERSION),
    }


def _share_json(box: Sharebox) -> JSON:
    settings = box.settings
    return {
        "uuid": box.uuid,
        "title": settings.title,
        "description": settings.description,
        "items": [item.to_json() for item in settings.items],
        "starts_at": settings.starts_at,
        "expires_at": settings.expires_at,
        "starts_tz": settings.starts_tz,
        "expires_tz": settings.expires_tz,
        "auth": [entry.to_json() for entry in settings.auth],
        "share_uri": rules.share_uri(box),
        "puid": box.puid,
    }


def _items(raw: list[JSON]) -> tuple[Item, ...]:
    return tuple(Item.from_json(entry) for entry in raw)


def _optional_values(body: JSON) -> dict[str, Any]:
    """The optional settings present in `body`, converted to ShareSettings values."""
    values = {key: body[key] for key in _OPTIONAL_FIELDS if key in body}
    for zone in _ZONES:
        if values.get(zone, "") is None:
            del values[zone]
    if "auth" in values:
        values["auth"] = Credential.entries_from_json(values["auth"])
    return values


def _public_file(box: Sharebox, identifier: str) -> JSON:
    # No asset store: a file is its identifier; the widget keys files by `name`.
    entry: JSON = {
        "uuid": identifier,
        "name": identifier,
        "type": "application/octet-stream",
        "size": {"bytes": 0, "pretty": "0 B"},
    }
    if rules.allows_download(box):  # the widget offers a download only for a file with a url
        cdn = rules.cdn_url(box, identifier)
        entry["url"] = {"cdn": cdn, "download": f"{cdn}?download=1"}
    return entry


def _public_folder(identifier: str) -> JSON:
    return {
        "uuid": identifier,
        "name": identifier,
        "path": f"/{identifier}",
        "files": [],
        "folders": [],
    }


def _public_json(box: Sharebox) -> JSON:
    """The public view: what the sharebox shows (never its password) and its items."""
    settings = box.settings
    files, folders = rules.public_items(box)
    return {
        "share": {
            "title": settings.title,
            "description": settings.description,
            "puid": box.puid,
            "permissions": settings.permissions,
            "starts_at": settings.starts_at,
            "expires_at": settings.expires_at,
            "starts_tz": settings.starts_tz,
            "expires_tz": settings.expires_tz,
        },
        "files": [_public_file(box, identifier) for identifier in files],
        "folders": [_public_folder(identifier) for identifier in folders],
    }


def get_key_info(token: str, key: str) -> tuple[JSON, int]:
    started = time.perf_counter()
    permissions = rules.key_permissions(runtime.current().database, token, key)
    return _envelope(
        started,
        version=4,
        is_validate=True,
        is_user_info_included=True,
        permissions=list(permissions),
    ), 200


def get_public_share(token: str, puid: str, password: str | None = None) -> tuple[JSON, int]:
    started = time.perf_counter()
    current = runtime.current()
    box = rules.public_share(current.database, token, puid, password, current.now())
    return _envelope(started, version=4, **_public_json(box)), 200


def list_shares(token: str, user: str) -> tuple[JSON, int]:
    started = time.perf_counter()
    boxes = rules.list_shares(runtime.current().database, user)
    return _envelope(started, shares=[_share_json(box) for box in boxes]), 200


def create_share(token: str, body: JSON, user: str) -> tuple[JSON, int]:
    started = time.perf_counter()
    current = runtime.current()
    settings = ShareSettings(items=_items(body["items"]), **_optional_values(body))
    box = rules.create_share(current.database, user, settings, current.now(), body.get("token"))
    return _envelope(
        started, msg="Your share was created successfully", share=_share_json(box)
    ), 200


def get_share(token: str, sharebox_uuid: str, user: str) -> tuple[JSON, int]:
    started = time.perf_counter()
    box = rules.get_share(runtime.current().database, user, sharebox_uuid)
    return _envelope(started, share=_share_json(box)), 200


def update_share(token: str, sharebox_uuid: str, body: JSON, user: str) -> tuple[JSON, int]:
    started = time.perf_counter()
    current = runtime.current()
    changes = ShareChanges(items=_items(body["items"]), values=_optional_values(body))
    # `share_uri` and `puid` in the body are ignored: both belong to the server.
    box = rules.update_share(
        current.database, user, sharebox_uuid, body["uuid"], changes, current.now()
    )
    return _envelope(
        started, msg="Your share was updated successfully", share=_share_json(box)
    ), 200


def delete_share(token: str, sharebox_uuid: str, user: str) -> tuple[JSON, int]:
    started = time.perf_counter()
    uuid = rules.delete_share(runtime.current().database, user, sharebox_uuid)
    return _envelope(started, msg=f"Successfully deleted the share with uuid={uuid}"), 200
