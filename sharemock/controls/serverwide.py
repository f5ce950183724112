"""Server-wide controls: `sharemock serve --latency 50-300 --chaos "rate=0.05,faults=reset,5xx"`.

Parsed once at start-up; a malformed value stops the server with the reason. `--seed` makes
the chaos (which requests break, and how) and the latency drawn repeatable.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from sharemock.controls.vocabulary import FAULTS, NOTHING, ControlError, Directive, directive


@dataclass(frozen=True)
class ServerWide:
    """Latency for every answer and a fault rate, as `serve` was told."""

    latency: Directive = NOTHING
    rate: float = 0.0
    faults: tuple[str, ...] = ()
    seed: int | None = None

    def __bool__(self) -> bool:
        return bool(self.latency) or self.rate > 0

    def chaos(self, rng: random.Random, wanted: Directive) -> Directive:
        """`wanted`, broken by one of the chaos faults for this request's share of the rate."""
        if self.rate <= 0 or rng.random() >= self.rate:
            return wanted
        return replace(wanted, fault=rng.choice(self.faults))

    @property
    def latency_text(self) -> str | None:
        """`--latency` as given: `300`, or `50-300`."""
        if self.latency.delay is None:
            return None
        low, high = self.latency.delay
        return str(low) if low == high else f"{low}-{high}"

    def describe(self) -> str:
        """For the start-up line: what every request gets ("" when nothing)."""
        said = []
        if self.latency_text is not None:
            said.append(f"latency {self.latency_text} ms")
        if self.rate > 0:
            seed = "" if self.seed is None else f", seed {self.seed}"
            said.append(f"chaos {self.rate:.0%} {'/'.join(self.faults)}{seed}")
        return ", ".join(said)

    @classmethod
    def parse(cls, latency: str | None, chaos: str | None, seed: int | None) -> ServerWide:
        """From `--latency` and `--chaos` text; ValueError says what is wrong."""
        try:
            delay = directive({"delay": latency}) if latency else NOTHING
        except ControlError as exc:
            raise ValueError(f"--latency: {exc}") from None
        rate, kinds = _chaos(chaos) if chaos else (0.0, ())
        return cls(latency=delay, rate=rate, faults=kinds, seed=seed)


def _chaos(text: str) -> tuple[float, tuple[str, ...]]:
    """`rate=0.05,faults=reset,5xx`: the fault names run on after `faults=`, comma-separated."""
    rate: float | None = None
    kinds: list[str] = []
    current = None
    for piece in (p.strip() for p in text.split(",")):
        name, equals, value = piece.partition("=")
        if equals:
            current = name.strip().lower()
            piece = value.strip()
        if current == "rate":
            try:
                rate = float(piece)
            except ValueError:
                raise ValueError(f"--chaos: rate={piece!r} is not a number") from None
        elif current == "faults":
            if piece not in FAULTS:
                raise ValueError(f"--chaos: fault {piece!r} (one of {', '.join(FAULTS)})")
            kinds.append(piece)
        else:
            raise ValueError(f"--chaos: {piece!r} (say rate=<0..1>,faults=<kind>,<kind>…)")
    if rate is None or not 0 <= rate <= 1:
        raise ValueError("--chaos: give rate=<a fraction between 0 and 1>")
    return rate, tuple(kinds) or ("reset", "5xx")
