"""TEMPORARY stub until the scenarios branch lands."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@dataclass(frozen=True)
class Scenario:
    name: str
    provider: str
    description: str
    document: dict[str, Any]


def load_scenarios(directory: Path) -> dict[str, Scenario]:
    return {}


def apply(database: Any, providers: Any, scenario: Scenario) -> None:
    raise NotImplementedError


def overlay(scenario: Scenario, providers: Any) -> Any:
    raise NotImplementedError
