"""What the journal never keeps in clear: credentials in headers, secrets in bodies and
queries.

Redacted when a batch of entries is written (`Journal._row`), not on the request's path.

- **Headers**: `Authorization` and `Proxy-Authorization` keep their scheme (`Bearer
  [redacted]`); `Cookie` and `Set-Cookie` keep each cookie's name; `X-Filerobot-Key`,
  `X-Oracle-Ocm-App-Key` and the admin token's header lose their value.
- **Fields** a client types or that authenticate someone, in JSON, XML, form bodies and
  queries, by name (any case, any depth, a JSON key's letters escaped or not): `password`
  (DefDrive's login and sign-up, Oracle's link password, Filerobot's share password,
  `?password=` on its public view), `extractCode` (KooDrive's share access code, in
  requests and answers alike), `access_token` and `refresh_token` (a state document's
  KooDrive users).
- **JWTs** anywhere in a body (DefDrive's login answer carries one).

A body is cut at the journal's limit first and redacted after, so a secret cut off by the
limit is redacted to the end; its size is the size as sent. What stays visible is what
debugging needs: ids, Filerobot's project token (it is in the path too), the session id.
"""

from __future__ import annotations

import re

REDACTED = b"[redacted]"
# Header names as ASGI has them (lower case).
_WHOLE = frozenset({b"x-filerobot-key", b"x-oracle-ocm-app-key", b"x-sharemock-admin-token"})
_SCHEMED = frozenset({b"authorization", b"proxy-authorization"})
_COOKIES = frozenset({b"cookie", b"set-cookie"})
SECRET_HEADERS = _WHOLE | _SCHEMED | _COOKIES

_NAMES = (b"password", b"extractcode", b"access_token", b"refresh_token")
_FIELDS = rb"(?:" + rb"|".join(_NAMES) + rb")"
# A JSON member (its string value maybe cut off by the limit, or a bare number or literal).
_JSON = re.compile(
    rb'("' + _FIELDS + rb'"\s*:\s*)(?:"(?:[^"\\]|\\.)*(?:"|\\?\Z)|(?!null\b)[^\s,}\]"]+)', re.I
)
# A form body's or a query's parameter.
_FORM = re.compile(rb"((?:^|(?<=[&?]))" + _FIELDS + rb"=)[^&]*", re.I)
# An XML element's text.
_XML = re.compile(rb"(<(?:[\w.-]+:)?" + _FIELDS + rb"(?:\s[^>]*)?>)[^<]*", re.I)
_JWT = re.compile(rb"eyJ[\w-]{2,}\.eyJ[\w-]{2,}\.[\w-]*")
# A JSON `\uXXXX` escape of a letter or `_` (which never need one), not itself escaped.
_ESCAPED_LETTER = re.compile(
    rb"(?<!\\)((?:\\\\)*)\\u00(4[1-9a-f]|5[0-9af]|6[1-9a-f]|7[0-9a])", re.I
)


def _plain_letters(raw: bytes) -> bytes:
    """`raw` with escaped letters written plainly: the same JSON, and a key spelt
    `"p\\u0061ssword"` is `"password"` to the patterns as it is to every decoder."""
    return _ESCAPED_LETTER.sub(lambda m: m[1] + bytes([int(m[2], 16)]), raw)


def header(name: bytes, value: bytes) -> bytes:
    """A header's value as the journal keeps it."""
    name = name.lower()
    if name not in SECRET_HEADERS:
        return value
    if name in _SCHEMED:
        scheme, space, _ = value.strip().partition(b" ")
        return scheme + b" " + REDACTED if space else REDACTED
    if name in _COOKIES:
        pairs, _, attributes = value.partition(b";") if name == b"set-cookie" else (value, b"", b"")
        kept = [
            piece.partition(b"=")[0].strip() + b"=" + REDACTED
            for piece in pairs.split(b";")
            if piece.strip()
        ]
        return b"; ".join(kept) + (b";" + attributes if attributes else b"")
    return REDACTED


def body(raw: bytes) -> bytes:
    """A body (maybe cut off) with its secret fields and JWTs redacted."""
    if not raw:
        return raw
    if b"\\u" in raw:
        raw = _plain_letters(raw)
    # Most bodies hold no secret: a search for the names in C first spares them the three
    # patterns, which try a match at every byte (the journal's largest cost, measured).
    lowered = raw.lower()
    if any(name in lowered for name in _NAMES):
        raw = _JSON.sub(rb'\1"[redacted]"', raw)
        raw = _FORM.sub(rb"\1[redacted]", raw)
        raw = _XML.sub(rb"\1[redacted]", raw)
    return _JWT.sub(REDACTED, raw) if b"eyJ" in raw else raw


def query(raw: str) -> str:
    """A query string with its secret parameters redacted."""
    if not raw or "=" not in raw:
        return raw
    return _FORM.sub(rb"\1[redacted]", raw.encode("latin-1")).decode("latin-1")
