"""KooDrive authentication: the user's access token in the `Authorization` header.

The documents show the header three ways: the raw token (authentication page),
`Bearer+{access_token}` (parameter tables and examples, with a literal `+`), and the usual
`Bearer {access_token}`. All three are accepted. Tokens are fixture data and do not expire
(the real ones live 20 minutes, renewed by use).
"""

from __future__ import annotations

import re
from typing import Any

from connexion.exceptions import OAuthProblem

from sharemock import runtime
from sharemock.config import Settings
from sharemock.provider import fixture_named
from sharemock.providers.koodrive import store

# "Bearer" then a space or the documents' literal "+", case-insensitive like any HTTP scheme.
_BEARER = re.compile(r"bearer[ +]", re.IGNORECASE)
_MAX_TOKEN_LENGTH = 512


def token_of(authorization: str) -> str:
    """The access token inside an `Authorization` header value."""
    value = authorization.strip()
    match = _BEARER.match(value)
    return value[match.end() :].strip() if match else value


def verify_access_token(authorization: str) -> dict[str, Any]:
    """Connexion `x-apikeyInfoFunc`: the token's user id as `sub`, or 401."""
    token = token_of(authorization)
    if not token:
        raise OAuthProblem(detail="empty access token")
    if len(token) > _MAX_TOKEN_LENGTH:
        raise OAuthProblem(detail="access token too long")
    with runtime.current().database.reading() as conn:
        user = store.user_by_token(conn, token)
    if user is None:
        raise OAuthProblem(detail="unknown access token")
    return {"sub": user.id, "name": user.name}


def dev_token(user: str, settings: Settings) -> str:
    """The access token of a fixture user (`demo` or `other`)."""
    from sharemock.providers.koodrive.fixtures import USERS

    return fixture_named("KooDrive fixture user", {a.name: a.access_token for a in USERS}, user)
