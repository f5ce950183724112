"""The per-request holder the journal puts in the ASGI scope, for the edge to fill."""

from __future__ import annotations

from sharemock.errors import Reason

NOTE = "sharemock.journal"


class Note:
    """What the edge tells the journal about the request it refused: every reason."""

    __slots__ = ("reasons",)

    def __init__(self) -> None:
        self.reasons: tuple[Reason, ...] = ()
