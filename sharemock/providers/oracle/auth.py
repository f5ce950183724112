"""Oracle authentication: HTTP Basic (login and password) or an OAuth bearer token.

Both are Connexion security functions: they return the user as `sub`, or `None` (401).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from typing import Any

from sharemock import runtime
from sharemock.config import Settings
from sharemock.provider import fixture_named
from sharemock.providers.oracle import store

# The fixture passwords are published in the contract; the hash only keeps them out of the
# database file, so a cheap cost keeps every request and every fixture load fast.
_PBKDF2_ITERATIONS = 2_000


def hash_password(password: str, salt: str) -> str:
    """A salted PBKDF2-SHA256 hash, stored as `salt$hex`."""
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _PBKDF2_ITERATIONS)
    return f"{salt}${digest.hex()}"


# A pure function, and Basic auth sends the same pair on every request: hashed once per pair.
@functools.lru_cache(maxsize=256)
def password_matches(password: str, stored: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hmac.compare_digest(hash_password(password, salt), stored)


def verify_basic(username: str, password: str) -> dict[str, Any] | None:
    """Connexion `x-basicInfoFunc`: a fixture user's login and password."""
    with runtime.current().database.reading() as conn:
        user = store.user_by_login(conn, username)
    if user is None or not password_matches(password, user.password_hash):
        return None
    return {"sub": user.id, "login": user.login}


def verify_bearer(token: str) -> dict[str, Any] | None:
    """Connexion `x-bearerInfoFunc`: a fixture user's OAuth token."""
    with runtime.current().database.reading() as conn:
        user = store.user_by_token(conn, token)
    if user is None:
        return None
    return {"sub": user.id, "login": user.login}


def dev_token(login: str, settings: Settings) -> str:
    """The bearer token of a fixture user (by login)."""
    from sharemock.providers.oracle.fixtures import USERS

    return fixture_named("Oracle fixture user", {a.login: a.token for a in USERS}, login)


def dev_password(login: str) -> str:
    """A fixture user's password (published in the contract), for HTTP Basic."""
    from sharemock.providers.oracle.fixtures import USERS

    return fixture_named("Oracle fixture user", {a.login: a.password for a in USERS}, login)
