"""The server's limits on a request's size: its headers (431) and its body (413).

uvicorn's httptools parser sets no limit on a header's size, and nothing below reads a body
with a bound until it is all in memory. `Limits` is one ASGI middleware, inside Connexion's
exception middleware, so its refusals are data the edge renders in the provider's shape
(`Failure.HEADERS_TOO_LARGE`, `Failure.PAYLOAD_TOO_LARGE`), like any other refusal:

- a header line (name and value) over `MAX_HEADER` bytes, or all of them over `MAX_HEADERS`
  bytes, is a 431;
- a `Content-Length` over the body limit is a 413 before a byte of the body is read, and the
  connection is closed after the answer (`Connection: close`), so the server reads no further;
- a chunked body (no `Content-Length`) is read here, up to the limit: the read that takes it
  past the limit is the 413, and the server reads no further. One within the limit is passed
  on whole, with its `Content-Length`: Connexion's body validation takes a request without one
  for a request without a body, so a chunked body would otherwise go unread and unchecked.

Everything is decided at start-up; per request it is one pass over the header list.
"""

from __future__ import annotations

from connexion.frameworks.starlette import IntegerConverter
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from sharemock.config import DEFAULT_MAX_BODY
from sharemock.request_body import read_body, with_body
from sharemock.spec import MAX_PATH_INTEGER_DIGITS

MAX_HEADER = 8 << 10  # one header line, name and value: 8 KiB
MAX_HEADERS = 32 << 10  # every header of a request: 32 KiB
_CLOSE = {"Connection": "close"}

# An integer path parameter routes only while it has at most `MAX_PATH_INTEGER_DIGITS` digits.
# Connexion's route converter takes any run of digits and converts it with `int()`, which
# refuses past 4,300 digits with a ValueError: a 500 from the router. Longer, the path misses
# the typed route, and the edge answers it as any ill-typed path parameter (the provider's 400:
# DefDrive's `Invalid access ID`). Connexion registers its converter for the whole process when
# it builds a router, so the bound is set on its class, once, at import.
IntegerConverter.regex = rf"[+-]?[0-9]{{1,{MAX_PATH_INTEGER_DIGITS}}}"


class PayloadTooLarge(HTTPException):
    """A request body over the limit (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is larger than {limit} bytes", headers=_CLOSE)


class HeadersTooLarge(HTTPException):
    """A request's headers over the limit (431)."""

    def __init__(self, detail: str) -> None:
        super().__init__(431, detail, headers=_CLOSE)


class Limits:
    """ASGI middleware refusing a request whose headers or body are past the limits."""

    def __init__(
        self,
        app: ASGIApp,
        max_body: int = DEFAULT_MAX_BODY,
        max_header: int = MAX_HEADER,
        max_headers: int = MAX_HEADERS,
    ) -> None:
        self.app = app
        self._max_body = max_body
        self._max_header = max_header
        self._max_headers = max_headers
        # A Content-Length with more digits than the limit's is over it, whatever it says.
        self._length_digits = len(str(max_body))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._chunked(scope):
            payload = await read_body(receive, self._max_body, too_large=PayloadTooLarge)
            scope, receive = with_body(scope, receive, payload)
        await self.app(scope, receive, send)

    def _chunked(self, scope: Scope) -> bool:
        """Whether the request's body is chunked; a refusal past a limit raised as data."""
        max_header = self._max_header
        total = 0
        length = chunked = None
        for name, value in scope["headers"]:
            size = len(name) + len(value)
            if size > max_header:
                raise HeadersTooLarge(
                    f"header {name.decode('latin-1')[:64]!r} is larger than {max_header} bytes"
                )
            total += size
            if name == b"content-length":
                length = value
            elif name == b"transfer-encoding":
                chunked = value
        if total > self._max_headers:
            raise HeadersTooLarge(f"the headers are larger than {self._max_headers} bytes")
        if length is not None:
            digits = length.strip().lstrip(b"0")
            if len(digits) > self._length_digits or (
                digits.isdigit() and int(digits) > self._max_body
            ):
                raise PayloadTooLarge(self._max_body)
            return False  # the server reads no more than the Content-Length says
        return chunked is not None
