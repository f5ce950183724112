"""TEMPORARY stub until the generator branch lands."""

from __future__ import annotations

from typing import Any


def generate(schema: Any, resolve: Any, seed: int | None = None) -> Any:
    return {}
