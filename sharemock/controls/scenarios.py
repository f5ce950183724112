"""Scenarios: named, ready-made states of one provider, each a file of data.

A scenario is `<name>.json`: a state document (`sharemock.state`) naming exactly one provider,
with a `"description"` a person reads in a list. It is applied to the stored state
(`POST /__admin/scenarios/<name>`), or stands in for it during one request (`Prefer:
state=<name>`): that request runs against an `overlay`, a private database holding the
scenario's rows, so the stored state never changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sharemock.database import MEMORY, Database, SqliteDatabase
from sharemock.provider import Provider
from sharemock.state import StateError, check_state, import_state

DEFAULT_SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
# A name travels in a URL path and a `Prefer` value: a token a person types.
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ScenarioError(ValueError):
    """A scenario file that cannot be loaded; the message names the file."""


@dataclass(frozen=True)
class Scenario:
    """A named state of one provider (`document` is its state document; not to be changed)."""

    name: str
    provider: str
    description: str
    document: Mapping[str, Any]
    # What each overlay copies, per provider schema: built on the first overlay.
    _templates: dict[str, SqliteDatabase] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )


def load_scenarios(directory: Path, providers: Iterable[Provider]) -> dict[str, Scenario]:
    """Every `*.json` scenario in `directory`, by name (its file name), each checked whole
    against `providers`' tables; ScenarioError naming the first file that is not one."""
    providers = tuple(providers)
    return {path.stem: _load(path, providers) for path in sorted(directory.glob("*.json"))}


def _load(path: Path, providers: tuple[Provider, ...]) -> Scenario:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _refused(path, [str(exc)]) from exc
    reasons = _scenario_reasons(path.stem, document)
    try:
        check_state(providers, document)
    except StateError as exc:
        reasons.extend(exc.reasons)
    if reasons:
        raise _refused(path, reasons)
    (provider,) = document["providers"]
    return Scenario(path.stem, provider, document["description"], document)


def _scenario_reasons(name: str, document: Any) -> list[str]:
    """What a scenario needs beyond being a state document (which `check_state` checks)."""
    reasons = []
    if not _NAME.fullmatch(name):
        reasons.append(f"the name {name!r} is not lower-case words joined by hyphens")
    if isinstance(document, dict):
        description = document.get("description", "")
        if isinstance(description, str) and (not description.strip() or "\n" in description):
            reasons.append('"description" must be one line of text')
        sections = document.get("providers")
        if isinstance(sections, dict) and len(sections) != 1:
            reasons.append(f"a scenario names exactly one provider, not {len(sections)}")
    return reasons


def _refused(path: Path, reasons: list[str]) -> ScenarioError:
    listed = "\n".join(f"- {reason}" for reason in reasons)
    return ScenarioError(f"{path}: not a scenario:\n{listed}")


def apply(database: Database, providers: Iterable[Provider], scenario: Scenario) -> None:
    """Make the scenario's provider's stored state the scenario's; the others keep theirs."""
    import_state(database, providers, scenario.document)


def overlay(scenario: Scenario, providers: Iterable[Provider]) -> Database:
    """A new private database holding only the scenario's state: what one `state=` request
    reads and writes instead of the stored state. One per request (it may write); the
    caller closes it.

    Each is a copy of a template made once per scenario: creating the tables and importing
    the rows takes ~0.5 ms, as long as the request itself; a copy ~0.1 ms.
    """
    provider = _provider(scenario, providers)
    template = scenario._templates.get(provider.schema_sql)
    if template is None:
        template = scenario._templates[provider.schema_sql] = _built(scenario, provider)
    return template.in_memory_copy()


def _built(scenario: Scenario, provider: Provider) -> SqliteDatabase:
    """The scenario's provider's tables, as `state.open_database` makes them (no fixtures),
    holding the scenario's rows."""
    database = SqliteDatabase(MEMORY)
    database.install_tables(provider.name, provider.schema_sql, provider.tables)
    import_state(database, (provider,), scenario.document)
    return database


def _provider(scenario: Scenario, providers: Iterable[Provider]) -> Provider:
    for provider in providers:
        if provider.name == scenario.provider:
            return provider
    raise LookupError(f"scenario {scenario.name}: no provider {scenario.provider!r} is served")
