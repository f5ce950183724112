"""Reading a request's body in ASGI middleware, and passing on a rewritten one."""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope

from sharemock.validation import BodyProblem


async def read_body(
    receive: Receive,
    limit: int,
    what: str = "body",
    too_large: Callable[[int], Exception] | None = None,
) -> bytes:
    """The whole body; once it grows past `limit` bytes (read no further), `too_large(limit)`
    raised, else a `BodyProblem` naming `what`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            if too_large is not None:
                raise too_large(limit)
            raise BodyProblem(f"{what} is larger than {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def with_body(
    scope: Scope, receive: Receive, payload: bytes, content_type: str | None = None
) -> tuple[Scope, Receive]:
    """The request carrying `payload` as its body (re-labelled `content_type` if given)."""
    headers = MutableHeaders(scope={"type": "http", "headers": list(scope["headers"])})
    if content_type is not None:
        headers["content-type"] = content_type
    del headers["transfer-encoding"]  # a chunked body read whole is sent on with its length
    headers["content-length"] = str(len(payload))
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": payload, "more_body": False}

    return {**scope, "headers": headers.raw}, replay
