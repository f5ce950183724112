"""A Rust-speed yes/no for the schemas Connexion validates with, before jsonschema's words.

Validating a valid body with jsonschema (Python) is about a quarter of the mock's CPU per
request. `jsonschema_rs` answers the same question many times faster, but words its reasons
differently from what the providers' error shapes are written against. So it is a first pass
only: a body it accepts is valid; a body it refuses goes to jsonschema, whose errors the edge
reports, so every refusal is worded exactly as before.

That is sound only if jsonschema_rs is never more lenient than Connexion's jsonschema
validators, which differ from plain Draft 4 in three ways, translated here once per schema:

- `nullable: true` (or `x-nullable: true`) lets `null` through `type` and `enum`: `null` is
  added to both;
- in answers, a schema with `writeOnly` (or `x-writeOnly`) refuses every value: it becomes
  `{"not": {}}`;
- formats are checked by jsonschema's own Draft 4 format functions, handed to jsonschema_rs,
  so a format means the same in both (other formats are ignored by both).

Where jsonschema_rs is stricter (its `\\d` is ASCII, say), the body merely takes the slow path.
`tests/test_fast_verdicts.py` checks the one-way agreement on every contract's schemas.
"""

from __future__ import annotations

import typing as t

import jsonschema_rs
from jsonschema import Draft4Validator

_FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER
# Keywords whose value is a schema, a list of schemas, or a mapping of names to schemas.
_SCHEMA = ("not", "additionalProperties", "additionalItems")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")


def _format(name: str) -> t.Callable[[str], bool]:
    return lambda value: _FORMAT_CHECKER.conforms(value, name)


_FORMATS = {name: _format(name) for name in _FORMAT_CHECKER.checkers}


def translated(schema: t.Any, *, answer: bool) -> t.Any:
    """`schema` as plain Draft 4 means what Connexion's validators make of it."""
    if not isinstance(schema, dict):
        return schema
    if answer and ("writeOnly" in schema or "x-writeOnly" in schema):
        return {"not": {}}
    node = dict(schema)
    if schema.get("x-nullable") is True or schema.get("nullable"):
        if "type" in node:
            kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
            node["type"] = [*kinds, "null"]
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
    for key in _SCHEMA:
        if key in node:
            node[key] = translated(node[key], answer=answer)
    for key in _SCHEMA_LISTS:
        if isinstance(node.get(key), list):
            node[key] = [translated(part, answer=answer) for part in node[key]]
    for key in _SCHEMA_MAPS:
        if isinstance(node.get(key), dict):
            node[key] = {name: translated(part, answer=answer) for name, part in node[key].items()}
    if "items" in node:
        items = node["items"]
        node["items"] = (
            [translated(part, answer=answer) for part in items]
            if isinstance(items, list)
            else translated(items, answer=answer)
        )
    return node


Verdict = t.Callable[[t.Any], bool]


def compile_verdict(schema: t.Any, *, answer: bool) -> Verdict | None:
    """A fast `is_valid` for `schema`, or None where jsonschema_rs cannot compile it."""
    try:
        validator = jsonschema_rs.Draft4Validator(
            translated(schema, answer=answer),
            formats=_FORMATS,
            validate_formats=True,
            offline=True,
        )
    except (jsonschema_rs.ValidationError, ValueError, TypeError):
        return None
    return validator.is_valid
