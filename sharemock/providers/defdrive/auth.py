"""DefDrive authentication: HS256 JWTs (claims userID, username, exp) and password hashes."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import jwt
from connexion.exceptions import OAuthProblem

from sharemock import runtime
from sharemock.config import Settings
from sharemock.provider import fixture_named
from sharemock.runtime import utc_now

TOKEN_LIFETIME = timedelta(hours=72)
# The Go implementation accepts any HMAC algorithm and refuses the rest.
ACCEPTED_ALGORITHMS = ["HS256", "HS384", "HS512"]
_PBKDF2_ITERATIONS = 20_000


def hash_password(password: str, salt: str | None = None) -> str:
    """A salted PBKDF2-SHA256 hash, stored as `salt$hex`."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _PBKDF2_ITERATIONS)
    return f"{salt}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hmac.compare_digest(hash_password(password, salt), stored)


def issue_token(user_id: int, username: str, secret: str, now: datetime) -> str:
    """A token as DefDrive's login issues it: valid for 72 hours."""
    claims = {
        "userID": user_id,
        "username": username,
        "exp": int((now + TOKEN_LIFETIME).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


@functools.lru_cache(maxsize=1024)
def _signed_claims(token: str, secret: str) -> Mapping[str, Any]:
    """The claims of a token whose signature `secret` made: a pure function of its arguments,
    so a client's token is verified once, not on every request (PyJWT cost ~7 % of a request)."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=ACCEPTED_ALGORITHMS,
            options={"verify_exp": False, "require": ["exp"]},
        )
    except jwt.InvalidTokenError as exc:
        raise OAuthProblem(detail=f"Invalid or expired token: {exc}") from exc
    return MappingProxyType(claims)


def decode_token(token: str, secret: str, now: datetime) -> dict[str, Any]:
    """The claims of a valid token; `OAuthProblem` (401) saying why otherwise."""
    claims = dict(_signed_claims(token, secret))
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        raise OAuthProblem(detail="Invalid token claims: exp is not a number")
    if now.timestamp() >= expires:
        raise OAuthProblem(detail="Invalid or expired token: the token has expired")
    user_id = claims.get("userID")
    if isinstance(user_id, bool) or not isinstance(user_id, int | float) or user_id < 0:
        raise OAuthProblem(detail="Invalid token claims: userID is not a number")
    return claims


def verify_bearer(token: str) -> dict[str, Any]:
    """Connexion `x-bearerInfoFunc`: the token's user as `sub`, or 401."""
    current = runtime.current()
    claims = decode_token(token, current.settings.jwt_secret, current.now())
    return {"sub": int(claims["userID"]), "username": claims.get("username", ""), "claims": claims}


def dev_token(username: str, settings: Settings) -> str:
    """A valid token for a fixture user, as `POST /api/login` would issue it."""
    from sharemock.providers.defdrive.fixtures import USERS

    account = fixture_named("DefDrive fixture user", {a.username: a for a in USERS}, username)
    return issue_token(account.id, account.username, settings.jwt_secret, utc_now())
