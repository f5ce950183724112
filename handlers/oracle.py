"""Oracle Content Management handlers (operationIds of openapi/oracle.yaml, in snake_case).

Handlers speak JSON only: `sharemock.xml_bodies` turns XML requests into JSON before
validation and JSON answers into XML for clients that ask for it. Every operation documents
both media types, so a handler names the one it returns. Every path is served as API
version `1.1` and `1.2` (`{version}`, one contract on one state), so no handler reads `version`.
"""

from __future__ import annotations

from typing import Any

from sharemock import runtime
from sharemock.providers.oracle import rules
from sharemock.providers.oracle.types import ItemType, LinkEdit, LinkSettings, PublicLink, Role

JSON = dict[str, Any]
Reply = tuple[JSON, int, dict[str, str]]
_AS_JSON = {"Content-Type": "application/json"}
SUCCESS = "0"


def _definition(link: PublicLink) -> JSON:
    """`PublicLinkDefinition`, in the seed example's field order; the password is write-only."""
    settings = link.settings
    body: JSON = {"linkID": link.id}
    if link.name is not None:
        body["linkName"] = link.name
    body["assignedUsers"] = settings.assigned_users
    body["role"] = settings.role
    body["type"] = "publiclink"
    body["createdTime"] = link.created_time
    if settings.expiration_time is not None:
        body["expirationTime"] = settings.expiration_time
    body["lastModifiedTime"] = link.last_modified_time
    body["ownedBy"] = {"id": link.owner_id, "displayName": link.owner_name, "type": "user"}
    return body


def _link_reply(link: PublicLink) -> Reply:
    return {**_definition(link), "errorCode": SUCCESS}, 200, _AS_JSON


def _created_reply(link: PublicLink) -> Reply:
    """`PublicLinkCreateResponse`: `id` is the new link's ID, as clients read it after a create."""
    return {**_definition(link), "id": link.id, "errorCode": SUCCESS}, 200, _AS_JSON


def _settings(body: JSON) -> LinkSettings:
    # `roleName` is `role` by another name; the contract refuses two that differ.
    role: Role = body.get("role") or body.get("roleName") or "viewer"
    return LinkSettings(
        assigned_users=body["assignedUsers"],
        role=role,
        password=body.get("password"),
        expiration_time=body.get("expirationTime"),
    )


def _create(item_type: ItemType, item_id: str, body: JSON, user: str) -> Reply:
    current = runtime.current()
    link = rules.create_link(
        current.database,
        user,
        item_type,
        item_id,
        body.get("linkName"),
        _settings(body),
        current.now(),
    )
    return _created_reply(link)


def _list(item_type: ItemType, item_id: str, user: str) -> Reply:
    links = rules.links_of(runtime.current().database, user, item_type, item_id)
    return (
        {
            "count": str(len(links)),
            "errorCode": SUCCESS,
            "id": item_id,
            "type": item_type,
            "items": [_definition(link) for link in links],
        },
        200,
        _AS_JSON,
    )


def create_file_link(version: str, file_id: str, body: JSON, user: str) -> Reply:
    return _create("file", file_id, body, user)


def list_file_links(version: str, file_id: str, user: str) -> Reply:
    return _list("file", file_id, user)


def create_folder_link(version: str, folder_id: str, body: JSON, user: str) -> Reply:
    return _create("folder", folder_id, body, user)


def list_folder_links(version: str, folder_id: str, user: str) -> Reply:
    return _list("folder", folder_id, user)


def get_public_link(version: str, link_id: str, user: str) -> Reply:
    return _link_reply(rules.get_link(runtime.current().database, user, link_id))


def edit_public_link(version: str, link_id: str, body: JSON, user: str) -> Reply:
    current = runtime.current()
    edit = LinkEdit(
        assigned_users=body.get("assignedUsers"),
        role=body.get("role"),
        password=body.get("password"),
        expiration_time=body.get("expirationTime"),
    )
    return _link_reply(rules.edit_link(current.database, user, link_id, edit, current.now()))


def delete_public_link(version: str, link_id: str, user: str) -> Reply:
    rules.delete_link(runtime.current().database, user, link_id)
    return {"errorCode": SUCCESS, "linkID": link_id, "type": "publiclink"}, 200, _AS_JSON
