"""How an answer leaves the server: as it is, or held back, marked and trickled out.

`SharemockApp` wraps the server's own `send` in a `Delivery` before any middleware sees the
request; `Controls`, far inside, decides what it does. Being outermost, it treats every answer
alike, whoever made it: a handler's, a forced one, the edge's refusal in the provider's shape,
and one `XmlBodies` wrote as XML. Until something is decided it passes messages straight on.
"""

from __future__ import annotations

import asyncio

from starlette.types import Message, Scope, Send

DELIVERY = "sharemock.delivery"
# At most this many pieces in a dribble; a short body goes out a byte at a time.
_PIECES = 20


class Delivery:
    """A `send` that follows what the controls decided for this request's answer."""

    __slots__ = ("_held", "_send", "dribble", "marks", "seconds")

    def __init__(self, send: Send) -> None:
        self._send = send
        self._held: list[Message] = []
        self.marks: list[tuple[bytes, bytes]] | None = None  # None: nothing decided
        self.seconds = 0.0
        self.dribble = False

    def decide(self, marks: list[tuple[bytes, bytes]], seconds: float, dribble: bool) -> None:
        """Mark the answer with `marks`; hold it back `seconds`, or trickle it over them."""
        self.marks, self.seconds, self.dribble = marks, seconds, dribble

    async def __call__(self, message: Message) -> None:
        if self.marks is None:
            await self._send(message)
        elif message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *self.marks]}
            if self.dribble:
                self._held.append(message)
                return
            if self.seconds:
                await asyncio.sleep(self.seconds)
            await self._send(message)
        elif self.dribble and message["type"] == "http.response.body":
            self._held.append(message)
            if not message.get("more_body", False):
                await self._trickle()
        else:
            await self._send(message)

    async def _trickle(self) -> None:
        """Send the held answer with its body spread evenly over `seconds`."""
        start, *parts = self._held
        body = b"".join(part.get("body", b"") for part in parts)
        await self._send(start)
        pieces = max(1, min(len(body), _PIECES))
        size = -(-len(body) // pieces) if body else 0
        for index in range(pieces):
            await asyncio.sleep(self.seconds / pieces)
            chunk = body[index * size : (index + 1) * size]
            last = index == pieces - 1
            await self._send({"type": "http.response.body", "body": chunk, "more_body": not last})


def delivery_of(scope: Scope, send: Send) -> Delivery:
    """The request's `Delivery` (an app called without `SharemockApp` gets one here)."""
    found = scope.get(DELIVERY)
    return found if isinstance(found, Delivery) else Delivery(send)
