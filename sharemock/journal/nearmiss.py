"""For a request no operation took: the contract's paths nearest to it and what differed.

Computed only when one entry is asked for in full (`GET /__admin/requests/{id}`), never while
the request is served.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from sharemock.spec import _TYPE_PATTERNS, ProviderSpec

# How many near misses an entry shows, and how far (in mismatched segments) one may be.
_SHOWN = 3
_FARTHEST = 2.5


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def _compare(
    sent: list[str], template: list[str], typed: dict[str, str]
) -> tuple[float, list[str]]:
    """A distance from `sent` to `template` (0: the same path) and each difference, worded."""
    score, differences = 0.0, []
    for index, (got, want) in enumerate(zip(sent, template, strict=False), start=1):
        if want.startswith("{") and want.endswith("}"):
            name = want[1:-1]
            kind = typed.get(name)
            if kind and not _TYPE_PATTERNS[kind].fullmatch(got):
                score += 0.5
                differences.append(f"segment {index}: {got!r} is not an {kind} ({want})")
        elif got != want:
            similar = difflib.SequenceMatcher(None, got.lower(), want.lower()).ratio()
            score += 1.0 - similar / 2  # a typo is nearer than another word
            differences.append(f"segment {index}: {got!r} where the contract has {want!r}")
    if len(sent) != len(template):
        score += abs(len(sent) - len(template))
        differences.append(f"{len(sent)} segments where the contract has {len(template)}")
    return score, differences


def near_misses(
    specs: Iterable[tuple[str, ProviderSpec]], path: str, method: str
) -> list[dict[str, Any]]:
    """The nearest templates of every `(prefix, spec)` to `method path`, nearest first."""
    sent = _segments(path)
    found: list[tuple[float, dict[str, Any]]] = []
    for prefix, spec in specs:
        for template in spec.templates:
            full = prefix + template.template
            score, differences = _compare(sent, _segments(full), template.typed_parameters)
            methods = [m.upper() for m in template.methods]
            if method.upper() not in methods:
                score += 0.5
                differences.append(
                    f"{method.upper()} is not allowed (allowed: {', '.join(methods)})"
                )
            if score > _FARTHEST:
                continue
            item = spec.document["paths"][template.template]
            operations = [
                item[m]["operationId"] for m in template.methods if "operationId" in item[m]
            ]
            found.append(
                (
                    score,
                    {
                        "path": full,
                        "methods": methods,
                        "operations": operations,
                        "differences": differences,
                    },
                )
            )
    found.sort(key=lambda pair: pair[0])
    return [miss for _, miss in found[:_SHOWN]]
