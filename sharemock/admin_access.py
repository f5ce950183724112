"""Who may work the mock: the admin API and the per-request controls, for loopback clients
(and, with the admin token, for others).

`sharemock serve --host` on a loopback address exposes nothing: every client is on the
machine, and `AdminGuard` is not installed at all (no cost per request). On any other
address (`0.0.0.0`, `::`, a LAN address or name) the providers are served to every client,
but a client whose address (the ASGI scope's `client`) is not loopback

- is refused the admin API (`/__admin/...`, the contract and its Swagger UI excepted): 403
  when no admin token is configured, 401 without the right one (`Authorization: Bearer
  <token>`, or the `X-Sharemock-Admin-Token` header), in the admin API's problem shape;
- has its `Prefer` header and `__` query parameters ignored on provider requests (RFC 7240
  lets a server ignore a preference; the real providers ignore both), unless it sends the
  token in `X-Sharemock-Admin-Token` (the provider's own `Authorization` is the provider's).
  The answer says so in `X-Sharemock-Controls` and carries no `Preference-Applied`.

Rules, the clock, scenarios, snapshots, state import and reset are set through the admin
API, so they follow it; a rule set by an allowed client applies to whoever's request it fits.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import socket
from collections.abc import Iterable
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sharemock.controls.vocabulary import QUERY_PREFIX

# Sent on a provider request beyond loopback, to be allowed its controls.
TOKEN_HEADER = "X-Sharemock-Admin-Token"
# On a provider answer whose controls were ignored: why.
IGNORED_HEADER = "X-Sharemock-Controls"
IGNORED = (
    "ignored: Prefer and __ parameters are followed for loopback clients only"
    f" (and for clients sending the admin token in {TOKEN_HEADER})"
)
_TOKEN = TOKEN_HEADER.lower().encode()
_IGNORED = (IGNORED_HEADER.lower().encode(), IGNORED.encode())


def is_loopback_host(host: str) -> bool:
    """Whether binding `host` serves this machine only (a name counts if every address it
    resolves to is loopback; one that does not resolve counts as exposed)."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if host == "localhost":
        return True
    try:
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)


def is_loopback_client(client: str) -> bool:
    """The ASGI scope's client address (uvicorn's text form) is loopback: 127.0.0.0/8, ::1,
    or 127/8 mapped into IPv6."""
    return client.startswith(("127.", "::ffff:127.")) or client == "::1"


def guarded(host: str | None, token: str | None) -> bool:
    """Whether an app needs the guard: served beyond loopback, or with an admin token (a
    reverse proxy on the machine makes its clients' addresses the client's, through
    `X-Forwarded-For`, which uvicorn trusts from 127.0.0.1). An app made in-process (`host`
    None: tests, the pytest plugin) and a loopback `serve` without a token need none."""
    if host is None:
        return False
    return token is not None or not is_loopback_host(host)


def describe(host: str, token: str | None) -> str | None:
    """What `sharemock serve` says at start-up about the admin surface (None: loopback)."""
    if is_loopback_host(host):
        return None
    if token is None:
        return (
            f"sharemock: on {host}, beyond loopback: the providers answer every client; the"
            " admin API (/__admin) and the controls (Prefer, __ parameters) only loopback"
            " clients (set SHAREMOCK_ADMIN_TOKEN to open them to clients sending it)"
        )
    return (
        f"sharemock: on {host}, beyond loopback: the providers answer every client; the admin"
        " API (/__admin) and the controls (Prefer, __ parameters) loopback clients and clients"
        f" sending the admin token (Authorization: Bearer on /__admin, {TOKEN_HEADER} on a"
        " provider's request)"
    )


def admin_token_info(token: str) -> dict[str, str]:
    """Connexion's check of the admin contract's optional bearer scheme: the guard, which
    knows the client's address, has already decided, so any token passes here."""
    return {"sub": "admin"}


def _problem(status: int, title: str, detail: str) -> bytes:
    return json.dumps(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        separators=(",", ":"),
    ).encode()


def _without_controls(query: bytes) -> bytes:
    """The query without its `__` parameters, as the controls read them (names decoded, so
    `%5F%5Fcode` is one too); the others kept exactly as sent."""
    if b"__" not in query and b"%" not in query:
        return query
    kept = []
    for piece in query.split(b"&"):
        pairs = parse_qsl(piece.decode("latin-1"), keep_blank_values=True)
        if not (pairs and pairs[0][0].startswith(QUERY_PREFIX)):
            kept.append(piece)
    return b"&".join(kept)


class AdminGuard:
    """ASGI middleware, installed only when the mock listens beyond loopback: the admin API
    and the controls closed to clients beyond it, unless they send the admin token."""

    def __init__(
        self, app: ASGIApp, *, prefix: str, token: str | None, open_paths: Iterable[str] = ()
    ) -> None:
        self.app = app
        self._prefix = prefix
        self._below = prefix + "/"
        self._open = tuple(open_paths)  # below the prefix, readable by anyone: docs
        self._token = token.encode() if token else None
        self._refusal: tuple[int, list[tuple[bytes, bytes]], bytes]
        if token is None:
            status, title = 403, "Forbidden"
            detail = (
                "The admin API answers loopback clients only: this mock has no admin token"
                " (SHAREMOCK_ADMIN_TOKEN) to open it to others."
            )
            self._refusal = (status, [], _problem(status, title, detail))
        else:
            status, title = 401, "Unauthorized"
            detail = (
                "The admin API answers clients beyond loopback that send the admin token:"
                f" Authorization: Bearer <token> (or {TOKEN_HEADER}: <token>)."
            )
            challenge = (b"www-authenticate", b'Bearer realm="sharemock admin"')
            self._refusal = (status, [challenge], _problem(status, title, detail))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        # No client address: a Unix socket, whose file's permissions decide who reaches it.
        if scope["type"] != "http" or client is None or is_loopback_client(client[0]):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == self._prefix or path.startswith(self._below):
            if path.startswith(self._open) or self._sent_token(scope, admin=True):
                await self.app(scope, receive, send)
            else:
                await self._refuse(send)
            return
        query: bytes = scope["query_string"]
        rest = _without_controls(query)
        prefer = any(key == b"prefer" for key, _ in scope["headers"])
        if (rest == query and not prefer) or self._sent_token(scope, admin=False):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k != b"prefer"] if prefer else None
        scope = {
            **scope,
            "headers": scope["headers"] if headers is None else headers,
            "query_string": rest,
        }

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), _IGNORED]}
            await send(message)

        await self.app(scope, receive, marked)

    def _sent_token(self, scope: Scope, *, admin: bool) -> bool:
        if self._token is None:
            return False
        for key, value in scope["headers"]:
            if key == _TOKEN and hmac.compare_digest(value.strip(), self._token):
                return True
            if admin and key == b"authorization":
                scheme, _, credential = value.strip().partition(b" ")
                if scheme.lower() == b"bearer" and hmac.compare_digest(
                    credential.strip(), self._token
                ):
                    return True
        return False

    async def _refuse(self, send: Send) -> None:
        status, extra, body = self._refusal
        headers = [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
            *extra,
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
