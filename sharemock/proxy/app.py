"""The validation proxy as an ASGI app: forward, check, report; refuse only with `errors`.

A request below the provider's prefix (`/defdrive/api/files`) goes to the upstream's base URL
with the prefix taken off (`UPSTREAM/api/files`); a path outside the prefix goes as sent (a
client that knows the provider's own paths). Method, query, body and end-to-end headers go as
the client sent them (httpx's own defaults are not added; `Host` is the upstream's); the
answer comes back as the upstream gave it (status, end-to-end headers, the raw body bytes,
compressed or not), with the proxy's headers added only when it has something to say.

Bodies stream both ways: at most `bound` bytes of each are held, to be checked; a body longer
than that is passed on as it arrives, unchecked, and the answer says so
(`X-Sharemock-Unvalidated`).
"""

from __future__ import annotations

import gzip
import json
import logging
import typing as t
import zlib
from collections.abc import AsyncIterator
from urllib.parse import quote, urlsplit

import httpx
from starlette.types import Message, Receive, Scope, Send

from sharemock.config import Settings
from sharemock.provider import Provider
from sharemock.proxy.contract import CheckedRequest, Contract, Violation
from sharemock.proxy.report import (
    DEFAULT_KEEP,
    LOG,
    SUMMARY_HEADER,
    UNVALIDATED_HEADER,
    VIOLATIONS_HEADER,
    Exchange,
    ViolationLog,
    header_value,
    summary,
)

VIOLATIONS_PATH = "/__proxy/violations"
BODY_BOUND = 1 << 20  # bytes of a body the proxy holds to check it
DEFAULT_PORT = 8001  # beside the mock's 8000
# RFC 9110 §7.6.1: meaningful for one connection only, never forwarded (with what
# `Connection` names).
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"trailers",
        b"transfer-encoding",
        b"upgrade",
    }
)
# What httpx adds to a request unless told otherwise; the client's request goes without them.
_HTTPX_DEFAULTS = ("accept", "accept-encoding", "user-agent")
Headers = list[tuple[bytes, bytes]]


def end_to_end(headers: t.Iterable[tuple[bytes, bytes]]) -> Headers:
    """`headers` without the hop-by-hop ones (lower-case names, as ASGI has them)."""
    pairs = [(name.lower(), value) for name, value in headers]
    named = {
        token.strip().lower()
        for name, value in pairs
        if name == b"connection"
        for token in value.split(b",")
    }
    return [(n, v) for n, v in pairs if n not in HOP_BY_HOP and n not in named]


def _decoded(body: bytes, headers: Headers) -> bytes | None:
    """The body as its `Content-Encoding` hides it; None for an encoding not read here."""
    codings = [
        token.strip().lower()
        for name, value in headers
        if name == b"content-encoding"
        for token in value.split(b",")
        if token.strip()
    ]
    try:
        for coding in reversed(codings):
            if coding in (b"gzip", b"x-gzip"):
                body = gzip.decompress(body)
            elif coding == b"deflate":
                try:
                    body = zlib.decompress(body)
                except zlib.error:
                    body = zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate
            elif coding != b"identity":
                return None
    except (OSError, EOFError, zlib.error):
        return None
    return body


class _ClientGone(Exception):
    """The client left before its request body was read."""


class Proxy:
    """ASGI app: every request forwarded to `upstream`, each exchange checked against
    `contract`; violations reported, or answered as problems when `errors` is set."""

    def __init__(
        self,
        contract: Contract,
        upstream: str,
        *,
        errors: bool = False,
        bound: int = BODY_BOUND,
        keep: int = DEFAULT_KEEP,
        timeout: float = 60.0,
    ) -> None:
        self.contract = contract
        self.provider = contract.provider
        self.upstream = upstream.rstrip("/")
        self.errors = errors
        self.bound = bound
        self.violations = ViolationLog(keep)
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        self._client: httpx.AsyncClient | None = None

    # -- ASGI ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            if scope["path"] == VIOLATIONS_PATH:
                await self._listing(scope, send)
            else:
                await self._exchange(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1003})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            # trust_env off: the upstream is addressed directly, whatever HTTP_PROXY says.
            self._client = httpx.AsyncClient(timeout=self._timeout, trust_env=False)
        return self._client

    async def _listing(self, scope: Scope, send: Send) -> None:
        if scope["method"] == "DELETE":
            self.violations.clear()
            await _answer(send, 204, b"", [])
            return
        if scope["method"] not in ("GET", "HEAD"):
            await _answer(send, 405, b"", [(b"allow", b"GET, HEAD, DELETE")])
            return
        document = self.violations.document(provider=self.provider.name, upstream=self.upstream)
        body = b"" if scope["method"] == "HEAD" else document
        await _answer(send, 200, body, [(b"content-type", b"application/json")])

    # -- one exchange -------------------------------------------------------------------

    def _local(self, scope: Scope) -> tuple[str, bytes]:
        """The path below the prefix, decoded (to check) and as sent (to forward)."""
        path: str = scope["path"]
        raw: bytes = scope.get("raw_path") or quote(path).encode("ascii")
        prefix, root = self.provider.prefix, self.provider.real_path_root
        if root and path.startswith(root):
            return path, raw
        if path == prefix or path.startswith(prefix + "/"):
            local = path[len(prefix) :] or "/"
            encoded = prefix.encode("ascii")
            raw = raw[len(encoded) :] if raw.startswith(encoded) else quote(local).encode()
            return local, raw or b"/"
        return path, raw

    async def _exchange(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"]
        local, raw_local = self._local(scope)
        query: bytes = scope.get("query_string", b"")
        url = (
            self.upstream
            + raw_local.decode("latin-1")
            + ("?" + query.decode("latin-1") if query else "")
        )
        headers: Headers = list(scope.get("headers", []))
        unvalidated: list[str] = []
        try:
            chunks, complete = await self._read_request(receive)
        except _ClientGone:
            return
        body = b"".join(chunks) if complete else None
        if not complete:
            unvalidated.append(f"request body over {self.bound} bytes: not validated")
        checked = self.contract.check_request(method, local, query, headers, body)

        def exchange(status: int, answered: int, found: list[Violation]) -> Exchange:
            return Exchange(
                method, scope["path"], url, checked.operation_id, status, answered, found,
                unvalidated,
            )  # fmt: skip

        if self.errors and checked.violations:
            self.violations.add(exchange(0, 400, checked.violations))
            await self._problem(send, 400, "the request breaks the contract", checked)
            return
        # A body held whole goes as bytes (with its length); a longer one as it arrives.
        content: bytes | AsyncIterator[bytes] | None = (
            (body or None) if complete else self._rest_of_request(chunks, receive)
        )
        try:
            response = await self._send_upstream(method, url, headers, content)
        except _ClientGone:  # while its body was still being forwarded
            return
        except httpx.HTTPError as exc:
            timeout = isinstance(exc, httpx.TimeoutException)
            status = 504 if timeout else 502
            detail = (
                f"the upstream {url} did not answer in time"
                if timeout
                else f"the upstream {url} could not be reached: {type(exc).__name__}: {exc}"
            )
            LOG.error("%s %s -> %d: %s", method, scope["path"], status, detail)
            await _problem_answer(send, status, detail)
            return
        try:
            await self._answer_upstream(scope, send, checked, response, exchange, unvalidated)
        finally:
            await response.aclose()

    async def _read_request(self, receive: Receive) -> tuple[list[bytes], bool]:
        """The request body's first chunks, up to `bound` bytes, and whether that is all."""
        chunks: list[bytes] = []
        size, more = 0, True
        while more and size <= self.bound:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = message.get("more_body", False)
        return chunks, not more

    @staticmethod
    async def _rest_of_request(chunks: list[bytes], receive: Receive) -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            yield message.get("body", b"")
            more = message.get("more_body", False)

    async def _send_upstream(
        self,
        method: str,
        url: str,
        headers: Headers,
        content: bytes | AsyncIterator[bytes] | None,
    ) -> httpx.Response:
        forwarded = [(n, v) for n, v in end_to_end(headers) if n != b"host"]
        request = self.client.build_request(method, url, headers=forwarded, content=content)
        sent = {name for name, _ in forwarded}
        for name in _HTTPX_DEFAULTS:
            if name.encode() not in sent and name in request.headers:
                del request.headers[name]
        return await self.client.send(request, stream=True)

    async def _answer_upstream(
        self,
        scope: Scope,
        send: Send,
        checked: CheckedRequest,
        response: httpx.Response,
        exchange: t.Callable[[int, int, list[Violation]], Exchange],
        unvalidated: list[str],
    ) -> None:
        status = response.status_code
        headers = end_to_end(response.headers.raw)
        chunks: list[bytes] = []
        size, complete = 0, False
        stream = response.aiter_raw().__aiter__()
        try:
            while size <= self.bound:
                try:
                    chunk = await stream.__anext__()
                except StopAsyncIteration:
                    complete = True
                    break
                chunks.append(chunk)
                size += len(chunk)
        except httpx.HTTPError as exc:
            _broke_off(scope, response, exc)
            await _problem_answer(send, 502, f"the upstream broke off its answer: {exc}")
            return
        body: bytes | None = None
        if not complete:
            unvalidated.append(f"response body over {self.bound} bytes: not validated")
        else:
            body = _decoded(b"".join(chunks), headers)
            if body is None:
                unvalidated.append("response body in a Content-Encoding not read: not validated")
        found = self.contract.check_response(checked, status, headers, body)
        every = checked.violations + found
        if self.errors and found:
            self.violations.add(exchange(status, 502, every))
            await self._problem(
                send, 502, f"the upstream's {status} breaks the contract", checked, found
            )
            return
        if every:
            self.violations.add(exchange(status, status, every))
            headers += [
                (VIOLATIONS_HEADER.encode(), str(len(every)).encode()),
                (SUMMARY_HEADER.encode(), header_value(summary(every))),
            ]
        if unvalidated:
            headers.append((UNVALIDATED_HEADER.encode(), header_value("; ".join(unvalidated))))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if complete:
            await send({"type": "http.response.body", "body": b"".join(chunks)})
            return
        for chunk in chunks:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        try:
            async for chunk in stream:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except httpx.HTTPError as exc:
            # The status is sent: the client sees a cut answer, as it would from the upstream.
            _broke_off(scope, response, exc)
            return
        await send({"type": "http.response.body", "body": b""})

    async def _problem(
        self,
        send: Send,
        status: int,
        title: str,
        checked: CheckedRequest,
        found: list[Violation] | None = None,
    ) -> None:
        listed = checked.violations if found is None else checked.violations + found
        detail = f"{title}: {summary(found if found is not None else listed)}"
        extra = {
            "operation": checked.operation_id,
            "violations": [violation.to_json() for violation in listed],
        }
        marks = [
            (VIOLATIONS_HEADER.encode(), str(len(listed)).encode()),
            (SUMMARY_HEADER.encode(), header_value(summary(listed))),
        ]
        await _problem_answer(send, status, detail, extra, marks)


def url_of(response: httpx.Response) -> str:
    return str(response.request.url)


_TITLES = {400: "Bad Request", 502: "Bad Gateway", 504: "Gateway Timeout"}


def _broke_off(scope: Scope, response: httpx.Response, exc: Exception) -> None:
    LOG.error(
        "%s %s: the upstream broke off its answer: %s", scope["method"], url_of(response), exc
    )


async def _problem_answer(
    send: Send,
    status: int,
    detail: str,
    extra: dict[str, t.Any] | None = None,
    headers: Headers | None = None,
) -> None:
    """An RFC 9457 problem document of the proxy's own."""
    document = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **(extra or {}),
    }
    body = json.dumps(document, ensure_ascii=False).encode()
    await _answer(
        send, status, body, [(b"content-type", b"application/problem+json"), *(headers or [])]
    )


async def _answer(send: Send, status: int, body: bytes, headers: Headers) -> None:
    length = [(b"content-length", str(len(body)).encode())]
    start: Message = {"type": "http.response.start", "status": status, "headers": headers + length}
    await send(start)
    await send({"type": "http.response.body", "body": body})


def proxy_app(
    provider: str | Provider,
    upstream: str,
    errors: bool = False,
    *,
    settings: Settings | None = None,
    bound: int = BODY_BOUND,
    keep: int = DEFAULT_KEEP,
) -> Proxy:
    """The proxy for `provider` (a name or descriptor) in front of `upstream` (a base URL).

    LookupError for an unknown provider, ValueError for an upstream that is not an http(s) URL.
    """
    if isinstance(provider, str):
        from sharemock.providers import provider_named

        provider = provider_named(provider)
    parts = urlsplit(upstream)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise ValueError(f"--upstream must be an http(s) base URL, not {upstream!r}")
    return Proxy(Contract.load(provider, settings), upstream, errors=errors, bound=bound, keep=keep)


def serve(
    provider: str,
    upstream: str,
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    errors: bool = False,
    log_level: str = "info",
) -> int:
    """Run the proxy under uvicorn until stopped; 2 after saying why it cannot start."""
    import sys

    import uvicorn

    try:
        app = proxy_app(provider, upstream, errors)
    except (LookupError, ValueError) as exc:
        print(f"sharemock: {exc.args[0]}", file=sys.stderr)
        return 2
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s sharemock proxy: %(message)s"))
    LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)
    LOG.propagate = False
    prefix = app.provider.prefix
    mode = "refusing violations (--errors)" if errors else "reporting violations"
    print(
        f"sharemock proxy: http://{host}:{port}{prefix}/ -> {app.upstream}/"
        f" ({app.provider.name} contract {app.provider.spec_file}, {mode};"
        f" GET http://{host}:{port}{VIOLATIONS_PATH})",
        flush=True,
    )
    # The upstream's own `date` and `server` pass through; uvicorn adds none of its own.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        server_header=False,
        date_header=False,
    )
    return 0
