"""Network faults, done to the client's real connection: what a flaky network does to an answer.

A reset, an empty reply, garbage or a broken chunked body cannot be said in ASGI messages, so
they are written on the server's transport itself. `app.py` keeps the server's own `send`
in the scope (`WIRE`) before any middleware wraps it; under uvicorn it is a bound method of
the connection's request cycle, which holds the transport.
"""

from __future__ import annotations

import asyncio
import os
import socket
import struct
from typing import Any

from starlette.types import Scope

from sharemock.controls.vocabulary import ControlError

WIRE = "sharemock.wire"
# What a broken chunked answer says before it breaks: a status, then no valid chunk.
_MALFORMED = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    b'7\r\n{"id":4\r\nZZ-not-a-chunk-size\r\n\x00\x01\x02'
)
_GARBAGE_BYTES = 256


def _transport(scope: Scope) -> Any:
    send = scope.get(WIRE)
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ControlError("this fault needs a network connection (run `sharemock serve`)")
    return transport


async def perform(kind: str, scope: Scope) -> None:
    """Break the connection of `scope`'s request the way `kind` says; nothing is answered."""
    transport = _transport(scope)
    if kind == "reset":
        sock = transport.get_extra_info("socket")
        if sock is not None:  # linger 0: close() sends a TCP RST, not a FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        if kind == "garbage":
            transport.write(os.urandom(_GARBAGE_BYTES))
        elif kind == "malformed":
            transport.write(_MALFORMED)
        transport.close()
    # Let the server see the connection is gone, so it does not try to answer on it.
    await asyncio.sleep(0)
