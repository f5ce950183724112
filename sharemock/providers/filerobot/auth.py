"""Filerobot authentication: a project API key in the `X-Filerobot-Key` header.

The key must belong to the project the path names (`/{token}/v5/...`): an unknown key is a
401, a known key on another project's path a 403 (the caller is identified, it just has no
rights there).
"""

from __future__ import annotations

import hashlib
from typing import Any

from connexion.lifecycle import ConnexionRequest

from sharemock import runtime
from sharemock.config import Settings
from sharemock.errors import ApiError
from sharemock.provider import fixture_named
from sharemock.providers.filerobot import store
from sharemock.providers.filerobot.errors import INVALID_KEY, WRONG_PROJECT


def key_digest(key: str) -> str:
    """What the store keeps of an API key."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def verify_key(api_key: str, request: ConnexionRequest) -> dict[str, Any]:
    """Connexion `x-apikeyInfoFunc`: the key's project as `sub`, if it is the path's project."""
    database = runtime.current().database
    with database.reading() as conn:
        project = store.project_by_key_digest(conn, key_digest(api_key))
    if project is None:
        raise ApiError(401, INVALID_KEY, detail="no project has this key")
    # Security runs before Connexion parses parameters: read the raw route match.
    token = request.scope.get("path_params", {}).get("token")
    if token != project.token:
        raise ApiError(403, WRONG_PROJECT, detail="the key belongs to another project")
    return {"sub": project.token}


def dev_key(token: str, settings: Settings) -> str:
    """The API key of a fixture project (`demo`, `other`)."""
    from sharemock.providers.filerobot.fixtures import PROJECTS

    return fixture_named("Filerobot fixture project", dict(PROJECTS), token)
