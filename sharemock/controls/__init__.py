"""Frontend controls: forced answers, delays, faults, rules, the clock, scenarios and
snapshots.

One vocabulary (a `Prefer` header, `__` query parameters, rules made through the admin API,
server-wide `--latency` and `--chaos`) applied by one ASGI middleware, `Controls`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sharemock.controls.board import Board
from sharemock.controls.middleware import Controls
from sharemock.controls.scenarios import DEFAULT_SCENARIOS, Scenario, load_scenarios, overlay
from sharemock.controls.serverwide import ServerWide
from sharemock.controls.snapshots import Snapshots
from sharemock.controls.vocabulary import ControlError
from sharemock.mounts import MountedProvider
from sharemock.provider import Provider
from sharemock.runtime import Runtime, overridden

__all__ = ["Controls", "Desk", "desk_for"]


class Desk:
    """What the admin API works: the shared board, the scenarios, the snapshots, the
    server-wide settings."""

    def __init__(
        self,
        runtime: Runtime,
        providers: Sequence[Provider],
        scenarios_dir: Path | None,
    ) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.providers = tuple(providers)
        self.server_wide = ServerWide.parse(settings.latency, settings.chaos, settings.seed)
        self.scenarios: dict[str, Scenario] = load_scenarios(
            scenarios_dir or DEFAULT_SCENARIOS, self.providers
        )

        def follow(offset: timedelta) -> None:
            runtime.offset = offset

        self.board = Board(runtime.database, follow)
        self.snapshots = Snapshots(runtime.database, self.providers)

    @contextmanager
    def staged(self, name: str, mounted: MountedProvider) -> Iterator[None]:
        """Serve the block from a private copy of scenario `name`'s state (`Prefer: state=`)."""
        scenario = self.scenarios.get(name)
        if scenario is None:
            known = ", ".join(sorted(self.scenarios)) or "none"
            raise ControlError(f"state={name}: no such scenario (known: {known})")
        owner = mounted.provider.dialect_of or mounted.provider.name
        if scenario.provider != owner:
            raise ControlError(f"state={name}: a {scenario.provider} scenario, not {owner}'s")
        database = overlay(scenario, self.providers)
        try:
            with overridden(database=database):
                yield
        finally:
            database.close()


def desk_for(runtime: Runtime, providers: Sequence[Provider]) -> Desk:
    """The controls of an app, made once at start-up and kept on its runtime."""
    desk = Desk(runtime, providers, runtime.settings.scenarios_dir)
    runtime.controls = desk
    return desk
