"""Documented vs deployed, read off a run's failures: a short list a client team can act on.

Nothing here knows a provider. A route is missing when every answer to its operation was the
server's answer for a path it does not have (or 405); a field is renamed when an object lacks a
documented property and carries an undocumented one of the same name but for case and
underscores; a type changed when a documented property holds another JSON type; a status is
undocumented when `status_code_conformance` says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sharemock.verify.outcome import Finding, Outcome

_INVALID = re.compile(r"Invalid component: (.+)")
_SCHEMA_NAME = re.compile(r"Schema at /components/schemas/([^\s:/]+)")
MAX_NAMES = 8


def _normalised(name: str) -> str:
    return name.replace("_", "").replace("-", "").casefold()


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _resolve(document: dict[str, Any] | None, schema: Any) -> Any:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and document is not None and seen < 20:
        target: Any = document
        for part in str(schema["$ref"]).lstrip("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        schema, seen = target, seen + 1
    return schema


def _documented_types(schema: Any) -> set[str] | None:
    """The JSON types a property schema allows; None when it does not say (anyOf, no type)."""
    if not isinstance(schema, dict) or "type" not in schema:
        return None
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    allowed = {str(t) for t in types}
    if schema.get("nullable"):
        allowed.add("null")
    if "number" in allowed:
        allowed.add("integer")
    return allowed


@dataclass
class _ObjectDrift:
    operations: set[str] = field(default_factory=set)
    renamed: dict[str, str] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    undocumented: set[str] = field(default_factory=set)
    types: dict[str, str] = field(default_factory=dict)  # property -> "string, now integer"


def _object_name(finding: Finding, label: str) -> str:
    found = _SCHEMA_NAME.search(finding.message)
    return found.group(1) if found else f"the {label} answer"


def _read_object(drift: _ObjectDrift, instance: Any, schema: Any, document: Any) -> None:
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(instance, dict) or not isinstance(properties, dict):
        return
    undocumented = [key for key in instance if key not in properties]
    by_norm = {_normalised(key): key for key in undocumented}
    for name, subschema in properties.items():
        value_key = name if name in instance else by_norm.get(_normalised(name))
        if value_key is None:
            if name in (schema.get("required") or ()):
                drift.missing.add(name)
            continue
        if value_key != name:
            drift.renamed[name] = value_key
        allowed = _documented_types(_resolve(document, subschema))
        actual = _json_type(instance[value_key])
        if allowed is not None and actual not in allowed:
            drift.types[value_key] = f"{' or '.join(sorted(allowed))} documented, {actual} sent"
    drift.undocumented.update(k for k in undocumented if k not in drift.renamed.values())


def _names(items: list[str]) -> str:
    shown = items[:MAX_NAMES]
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def drift_lines(outcome: Outcome) -> list[str]:
    """The documented-vs-served differences, one line each, most telling first."""
    lines: list[str] = []
    for op in outcome.missing_routes():
        answered = sum(op.statuses.values())
        how = (
            "405" if op.statuses.get(405, 0) == answered else "the server's 404 for an unknown path"
        )
        lines.append(
            f"route missing: {op.label} ({op.operation_id}): all {answered} answers were {how}"
        )
    missing_labels = {op.label for op in outcome.missing_routes()}
    objects: dict[str, _ObjectDrift] = defaultdict(_ObjectDrift)
    statuses: dict[str, set[int]] = defaultdict(set)
    accepted: dict[str, set[str]] = defaultdict(set)
    for op in outcome.operations.values():
        if op.label in missing_labels:
            continue
        for finding in op.findings.values():
            failure = finding.failure
            if finding.check == "response_schema_conformance" and hasattr(failure, "instance"):
                drift = objects[_object_name(finding, op.label)]
                drift.operations.add(op.operation_id)
                schema = failure.schema  # the failing keyword's schema
                instance = failure.instance
                path = list(failure.schema_path)
                if path and path[-1] == "type" and failure.instance_path:
                    name = str(failure.instance_path[-1])
                    allowed = _documented_types(schema)
                    if allowed is not None:
                        drift.types[name] = (
                            f"{' or '.join(sorted(allowed))} documented,"
                            f" {_json_type(instance)} sent"
                        )
                    continue
                _read_object(drift, instance, schema, finding.raw_schema)
            elif finding.check == "status_code_conformance" and hasattr(failure, "status_code"):
                statuses[op.label].add(int(failure.status_code))
            elif finding.check == "negative_data_rejection":
                found = _INVALID.search(finding.message)
                accepted[op.operation_id].add(found.group(1).strip() if found else "invalid data")
    for name, drift in objects.items():
        where = ", ".join(sorted(drift.operations))
        parts = []
        if drift.renamed:
            pairs = [f"{old} → {new}" for old, new in sorted(drift.renamed.items())]
            parts.append(f"renamed {_names(pairs)}")
        if drift.missing:
            parts.append(f"missing {_names(sorted(drift.missing))}")
        if drift.undocumented:
            parts.append(f"undocumented {_names(sorted(drift.undocumented))}")
        if drift.types:
            changes = [f"{prop} ({change})" for prop, change in sorted(drift.types.items())]
            parts.append(f"type changed: {_names(changes)}")
        if parts:
            lines.append(f"{name} (in {where}):" + "".join(f"\n    {part}" for part in parts))
    for label, codes in statuses.items():
        listed = ", ".join(str(code) for code in sorted(codes))
        lines.append(f"undocumented status: {label} answered {listed}")
    if accepted:
        what = "; ".join(f"{op} ({', '.join(sorted(why))})" for op, why in accepted.items())
        lines.append(f"accepts what the contract refuses: {what}")
    return lines
