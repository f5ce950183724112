"""The controls' one vocabulary: what a `Prefer` header, `__` query parameters and rules say.

`Prefer: code=403, delay=800` (RFC 7240: comma-separated preferences, each `name=value`),
`?__code=403&__delay=800`, and a rule's `answer` object all parse to one `Directive`.
Preferences that are not ours (`return=minimal`, `respond-async`) are ignored, as RFC 7240
asks; a bad value of one of ours is a `ControlError`, answered in the provider's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import parse_qsl

MAX_DELAY_MS = 60_000
FAULTS = ("reset", "empty", "malformed", "garbage", "dribble", "5xx")
# A dribble without a delay trickles the answer over this long.
DEFAULT_DRIBBLE_MS = 2_000
QUERY_PREFIX = "__"
_NAMES = ("code", "example", "dynamic", "seed", "delay", "fault", "state")
_DELAY = re.compile(r"\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?")
_NAME = re.compile(r"[A-Za-z0-9._~-]{1,100}")


def said(value: object) -> bool:
    """Whether a directive's field says something (`seed=0` does; None and False don't)."""
    return value is not None and value is not False


class ControlError(ValueError):
    """A control the mock cannot follow, said so to the client (a 4xx in the provider's words)."""


@dataclass(frozen=True)
class Directive:
    """How to answer one request, beyond what the state implies. Empty: answer as usual."""

    code: int | None = None
    example: str | None = None
    dynamic: bool = False
    seed: int | None = None
    delay: tuple[int, int] | None = None  # milliseconds, lowest and highest
    fault: str | None = None
    state: str | None = None

    def __bool__(self) -> bool:
        return self != NOTHING

    @property
    def forces_answer(self) -> bool:
        """Whether the answer is made up rather than the handler's (state never changes)."""
        return bool(self.code is not None or self.example or self.dynamic or self.fault == "5xx")

    def over(self, other: Directive) -> Directive:
        """This directive, with what it leaves unsaid taken from `other`."""
        if not other:
            return self
        if not self:
            return other
        taken = {
            f.name: getattr(other, f.name)
            for f in fields(self)
            if not said(getattr(self, f.name)) and said(getattr(other, f.name))
        }
        return replace(self, **taken) if taken else self

    def applied(self) -> str:
        """The `Preference-Applied` value naming what was followed (RFC 7240 §3)."""
        parts = []
        for name in _NAMES:
            value = getattr(self, name)
            if value is None or value is False:
                continue
            if name == "delay":
                low, high = value
                value = str(low) if low == high else f"{low}-{high}"
            elif value is True:
                value = "true"
            parts.append(f"{name}={value}")
        return ", ".join(parts)


NOTHING = Directive()


def _delay(text: str) -> tuple[int, int]:
    match = _DELAY.fullmatch(text)
    if match is None:
        raise ControlError(f"delay={text!r}: give milliseconds, as 800 or 200-900")
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if high < low:
        raise ControlError(f"delay={text}: the range's lowest comes first")
    if high > MAX_DELAY_MS:
        raise ControlError(f"delay={text}: at most {MAX_DELAY_MS} ms")
    return low, high


def _integer(name: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ControlError(f"{name}={text!r}: not an integer") from None
    if not low <= value <= high:
        raise ControlError(f"{name}={value}: must be between {low} and {high}")
    return value


def _flag(name: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", ""):
        return True
    if lowered in ("false", "0"):
        return False
    raise ControlError(f"{name}={text!r}: true or false")


def _token(name: str, text: str) -> str:
    value = text.strip()
    if not _NAME.fullmatch(value):
        raise ControlError(f"{name}={value!r}: a name of letters, digits, '.', '_', '~' or '-'")
    return value


def _fault(text: str) -> str:
    value = text.strip().lower()
    if value not in FAULTS:
        raise ControlError(f"fault={text!r}: one of {', '.join(FAULTS)}")
    return value


def directive(settings: Mapping[str, Any]) -> Directive:
    """The directive `settings` (our names only, values as text or JSON) describe."""
    found: dict[str, Any] = {}
    for name, raw in settings.items():
        text = str(raw).lower() if isinstance(raw, bool) else str(raw)
        if name == "code":
            found["code"] = _integer("code", text, 100, 599)
        elif name == "seed":
            found["seed"] = _integer("seed", text, 0, 2**63 - 1)
        elif name == "dynamic":
            found["dynamic"] = _flag("dynamic", text)
        elif name == "delay":
            found["delay"] = _delay(text)
        elif name == "fault":
            found["fault"] = _fault(text)
        elif name in ("example", "state"):
            found[name] = _token(name, text)
    return Directive(**found)


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def from_prefer(values: Iterable[str]) -> Directive:
    """The directive in `Prefer` header values; preferences not ours are ignored."""
    settings: dict[str, str] = {}
    for value in values:
        for preference in value.split(","):
            # A preference may carry `;` parameters (RFC 7240 §2); ours take none.
            name, _, setting = preference.split(";", 1)[0].partition("=")
            name = name.strip().lower()
            if name in _NAMES:
                settings[name] = _unquoted(setting)
    return directive(settings)


def from_query(query: str) -> tuple[Directive, str | None]:
    """The directive in `__` query parameters, and the query without them (None: unchanged).

    The other parameters are kept exactly as sent: re-encoding them could change what the
    operation's own validation sees.
    """
    pieces = query.split("&")
    ours: dict[str, str] = {}
    rest = []
    for piece in pieces:
        pairs = parse_qsl(piece, keep_blank_values=True)
        if pairs and pairs[0][0].startswith(QUERY_PREFIX):
            ours[pairs[0][0][len(QUERY_PREFIX) :]] = pairs[0][1]
        else:
            rest.append(piece)
    if not ours:
        return NOTHING, None
    unknown = sorted(set(ours) - set(_NAMES))
    if unknown:
        names = ", ".join(QUERY_PREFIX + name for name in _NAMES)
        raise ControlError(f"unknown control {QUERY_PREFIX}{unknown[0]} (known: {names})")
    return directive(ours), "&".join(rest)
