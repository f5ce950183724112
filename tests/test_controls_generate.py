"""`generate` answers every contract's JSON response schemas validly, the same for a seed.

Validity is judged here independently of the generator's own check, with the mock's answer
semantics: the contract's component schemas become Draft 4 `definitions` (a `$ref` is
rewritten, not inlined), `translated(..., answer=True)` applies Connexion's dialect, and
jsonschema's Draft 4 validator decides, formats included.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from jsonschema import Draft4Validator

from sharemock.controls.generate import generate
from sharemock.fast_verdicts import translated
from sharemock.spec import ProviderSpec
from tests.conftest import REPO

SEEDS = range(25)
COMPONENTS = "#/components/schemas/"
CONTRACTS = {path.stem: ProviderSpec.load(path) for path in sorted(REPO.glob("openapi/*.yaml"))}


def _rewritten(node: Any) -> Any:
    """`node` with `#/components/schemas/X` references pointing at `#/definitions/X`."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            return {"$ref": "#/definitions/" + node["$ref"].removeprefix(COMPONENTS)}
        return {key: _rewritten(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewritten(value) for value in node]
    return node


def answer_validator(schema: Any, components: dict[str, Any]) -> Draft4Validator:
    """A Draft 4 validator of answers for `schema`, its references among `components`."""
    root = {
        "allOf": [_rewritten(schema)],
        "definitions": {name: _rewritten(part) for name, part in components.items()},
    }
    return Draft4Validator(
        translated(root, answer=True), format_checker=Draft4Validator.FORMAT_CHECKER
    )


def _problems(validator: Draft4Validator, value: Any) -> list[str]:
    return [
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(value)
    ]


def _is_json(media_type: str) -> bool:
    kind = media_type.split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith(("+json", "/json"))


def _contract_cases() -> Iterator[Any]:
    for contract, spec in CONTRACTS.items():
        for index, operation in enumerate(spec.operations):
            name = operation.get("operationId", f"operation{index}")
            for status, response in operation.get("responses", {}).items():
                content = spec.resolve(response).get("content", {})
                for media_type, media in content.items():
                    if _is_json(media_type) and "schema" in media:
                        where = f"{contract}:{name}:{status}:{media_type}"
                        yield pytest.param(contract, media["schema"], id=where)


def _response_schema(contract: str, operation_id: str, status: str) -> Any:
    spec = CONTRACTS[contract]
    operation = next(op for op in spec.operations if op.get("operationId") == operation_id)
    responses = {str(key): value for key, value in operation["responses"].items()}
    return spec.resolve(responses[status])["content"]["application/json"]["schema"]


@pytest.mark.parametrize(("contract", "schema"), list(_contract_cases()))
def test_every_contract_answer_is_valid(contract: str, schema: Any) -> None:
    spec = CONTRACTS[contract]
    validator = answer_validator(schema, spec.document.get("components", {}).get("schemas", {}))
    for seed in SEEDS:
        value = generate(schema, spec.resolve, seed)
        assert not _problems(validator, value), (seed, value)


CONCRETE = [
    pytest.param("defdrive", "updateAccess", "200", id="defdrive-updateAccess-200"),
    pytest.param("filerobot", "getShare", "200", id="filerobot-sharebox-200"),
]


@pytest.mark.parametrize(("contract", "operation_id", "status"), CONCRETE)
def test_a_seed_gives_the_same_value_and_seeds_vary(
    contract: str, operation_id: str, status: str
) -> None:
    schema = _response_schema(contract, operation_id, status)
    resolve = CONTRACTS[contract].resolve
    bodies = [json.dumps(generate(schema, resolve, seed)) for seed in SEEDS]
    # Key order too: the JSON text of a body is what a screenshot or a snapshot pins.
    assert bodies == [json.dumps(generate(schema, resolve, seed)) for seed in SEEDS]
    assert len(set(bodies)) >= 2


def test_no_seed_still_gives_a_valid_value() -> None:
    schema = _response_schema("filerobot", "getShare", "200")
    spec = CONTRACTS["filerobot"]
    validator = answer_validator(schema, spec.document["components"]["schemas"])
    assert not _problems(validator, generate(schema, spec.resolve))


_HASH_SEED_SCRIPT = """
import json
from pathlib import Path
from sharemock.controls.generate import generate
from sharemock.spec import ProviderSpec
spec = ProviderSpec.load(Path("openapi/oracle.yaml"))
operation = next(op for op in spec.operations if op.get("operationId") == "listFileLinks")
response = {str(k): v for k, v in operation["responses"].items()}["200"]
schema = spec.resolve(response)["content"]["application/json"]["schema"]
negated = {"type": "string", "pattern": "^[^,@ ]+( [^,@]+)*$", "minLength": 12}
words = {"type": "string", "pattern": "^\\\\W\\\\w+$"}
print(json.dumps([generate(s, spec.resolve, seed) for s in (schema, negated, words)
                  for seed in range(5)]))
"""


def test_a_seed_gives_the_same_value_in_another_process() -> None:
    """Set order (string hashing) changes between processes; the values must not."""
    outputs = []
    for hash_seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(REPO)}
        completed = subprocess.run(
            [sys.executable, "-c", _HASH_SEED_SCRIPT],
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(completed.stdout)
    assert outputs[0] == outputs[1]


# Hand-written schemas: each keyword the generator supports.

SCHEMAS: dict[str, Any] = {
    "Node": {
        "type": "object",
        "required": ["name", "children"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "children": {"type": "array", "items": {"$ref": COMPONENTS + "Node"}},
        },
    },
    "Chain": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer"}, "next": {"$ref": COMPONENTS + "Chain"}},
    },
    "Named": {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string", "minLength": 2}},
    },
    "Secret": {"type": "string", "writeOnly": True},
    "SelfRequired": {
        "type": "object",
        "required": ["self"],
        "properties": {"self": {"$ref": COMPONENTS + "SelfRequired"}},
    },
}


def resolve(node: Any) -> Any:
    """The test's `$ref` resolver over SCHEMAS (a chain of local references)."""
    while isinstance(node, dict) and "$ref" in node:
        node = SCHEMAS[node["$ref"].removeprefix(COMPONENTS)]
    return node


def _values(schema: Any) -> list[Any]:
    """The values of seeds 0..24 for `schema`, each checked valid."""
    validator = answer_validator(schema, SCHEMAS)
    values = [generate(schema, resolve, seed) for seed in SEEDS]
    for seed, value in zip(SEEDS, values, strict=True):
        assert not _problems(validator, value), (seed, value)
    return values


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


Check = Callable[[Any], bool]


def _uuid(value: Any) -> bool:
    return str(uuid.UUID(value)) == value.lower()


KEYWORDS: list[Any] = [
    ("pattern", {"type": "string", "pattern": "^[a-z]{3}-[0-9]{2}$"},
     lambda v: re.fullmatch(r"[a-z]{3}-[0-9]{2}", v)),
    ("pattern unanchored", {"type": "string", "pattern": "[0-9]{4}"},
     lambda v: re.search(r"[0-9]{4}", v)),
    ("pattern negated class and lengths",
     {"type": "string", "pattern": "^[^,@ \\x00-\\x1f]+$", "minLength": 10, "maxLength": 12},
     lambda v: 10 <= len(v) <= 12 and not set(v) & set(",@ ")),
    ("pattern and format", {"type": "string", "format": "date-time",
                            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$"},
     lambda v: v.startswith("2026-") and len(v) == 24),
    ("minLength maxLength", {"type": "string", "minLength": 30, "maxLength": 31},
     lambda v: 30 <= len(v) <= 31),
    ("empty string", {"type": "string", "maxLength": 0}, lambda v: v == ""),
    ("date-time", {"type": "string", "format": "date-time"},
     lambda v: re.fullmatch(r"2026-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", v)),
    ("date", {"type": "string", "format": "date"}, lambda v: re.fullmatch(r"2026-\d\d-\d\d", v)),
    ("uuid", {"type": "string", "format": "uuid"}, _uuid),
    ("ipv4", {"type": "string", "format": "ipv4"},
     lambda v: ipaddress.ip_address(v).version == 4),
    ("ipv6", {"type": "string", "format": "ipv6"},
     lambda v: ipaddress.ip_address(v).version == 6),
    ("email", {"type": "string", "format": "email"}, lambda v: re.fullmatch(r"[a-z.]+@[a-z.]+", v)),
    ("uri", {"type": "string", "format": "uri"}, lambda v: v.startswith("https://")),
    ("byte", {"type": "string", "format": "byte"}, lambda v: base64.b64decode(v, validate=True)),
    ("binary", {"type": "string", "format": "binary"}, lambda v: 0 < len(v) < 40),
    ("int32", {"type": "integer", "format": "int32", "minimum": -(2**40)},
     lambda v: isinstance(v, int) and -(2**31) <= v < 2**31),
    ("int64", {"type": "integer", "format": "int64", "maximum": 2**70},
     lambda v: isinstance(v, int) and v < 2**63),
    ("exclusive bounds and multipleOf", {"type": "integer", "minimum": 9, "maximum": 18,
                                         "exclusiveMinimum": True, "exclusiveMaximum": True,
                                         "multipleOf": 3},
     lambda v: v in (12, 15)),
    ("negative bounds", {"type": "integer", "maximum": -5, "minimum": -7},
     lambda v: -7 <= v <= -5),
    ("number exclusive", {"type": "number", "minimum": 0.5, "maximum": 0.75,
                          "exclusiveMaximum": True},
     lambda v: 0.5 <= v < 0.75),
    ("number multipleOf", {"type": "number", "multipleOf": 0.25, "minimum": 1},
     lambda v: v >= 1 and (v / 0.25).is_integer()),
    ("boolean", {"type": "boolean"}, lambda v: isinstance(v, bool)),
    ("enum", {"type": "string", "enum": ["file", "folder"]}, lambda v: v in ("file", "folder")),
    ("nullable", {"type": "string", "nullable": True, "maxLength": 3},
     lambda v: v is None or len(v) <= 3),
    ("nullable enum", {"type": "integer", "enum": [1, 2], "nullable": True},
     lambda v: v in (None, 1, 2)),
    ("array 1-3 items", {"type": "array", "items": {"type": "integer"}},
     lambda v: 1 <= len(v) <= 3),
    ("minItems maxItems", {"type": "array", "items": {"type": "string"}, "minItems": 4,
                           "maxItems": 5},
     lambda v: 4 <= len(v) <= 5),
    ("uniqueItems", {"type": "array", "items": {"type": "integer", "enum": [1, 2, 3, 4]},
                     "minItems": 3, "uniqueItems": True},
     lambda v: len(v) >= 3 and len(set(v)) == len(v)),
    ("every declared property, nothing else",
     {"type": "object", "additionalProperties": False, "required": ["id"],
      "properties": {"id": {"type": "integer"}, "note": {"type": "string"},
                     "tags": {"type": "array", "items": {"type": "string"}},
                     "made": {"type": "string", "readOnly": True}}},
     lambda v: list(v) == ["id", "note", "tags", "made"]),
    ("writeOnly left out",
     {"type": "object", "required": ["name"],
      "properties": {"name": {"type": "string"}, "password": {"$ref": COMPONENTS + "Secret"},
                     "pin": {"type": "string", "writeOnly": True},
                     "hidden": {"allOf": [{"$ref": COMPONENTS + "Secret"}]}}},
     lambda v: list(v) == ["name"]),
    ("minProperties", {"type": "object", "minProperties": 2,
                       "additionalProperties": {"type": "integer"},
                       "properties": {"a": {"type": "integer"}}},
     lambda v: len(v) >= 2 and all(isinstance(x, int) for x in v.values())),
    ("maxProperties", {"type": "object", "maxProperties": 1, "required": ["a"],
                       "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}},
     lambda v: list(v) == ["a"]),
    ("allOf merge",
     {"allOf": [{"$ref": COMPONENTS + "Named"},
                {"type": "object", "required": ["b"],
                 "properties": {"b": {"type": "integer", "minimum": 5, "maximum": 9}}},
                {"properties": {"a": {"maxLength": 4, "pattern": "^[a-z]+$"}}}]},
     lambda v: 2 <= len(v["a"]) <= 4 and v["a"].isalpha() and 5 <= v["b"] <= 9),
    ("allOf bounds and enums",
     {"allOf": [{"type": "integer", "minimum": 0, "maximum": 100},
                {"type": "number", "minimum": 50, "exclusiveMinimum": True},
                {"enum": [10, 50, 60, 70]}]},
     lambda v: v in (60, 70)),
    ("oneOf exclusivity",
     {"oneOf": [{"type": "integer", "minimum": 0, "maximum": 10},
                {"type": "integer", "minimum": 5, "maximum": 12}]},
     lambda v: v in (0, 1, 2, 3, 4, 11, 12)),
    ("oneOf: a value of one branch only",
     {"type": "string", "oneOf": [{"maxLength": 30}, {"maxLength": 3}]},
     lambda v: 3 < len(v) <= 30),
    ("anyOf with the parent's type",
     {"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]},
     lambda v: ipaddress.ip_address(v) is not None),
    ("anyOf of an empty string or a date-time",
     {"type": "string", "anyOf": [{"format": "date-time"}, {"maxLength": 0}]},
     lambda v: v == "" or v.startswith("2026-")),
    ("not required", {"type": "object", "properties": {"a": {"type": "integer"},
                                                       "b": {"type": "integer"}},
                      "anyOf": [{"not": {"required": ["a"]}}, {"not": {"required": ["b"]}}]},
     lambda v: not ("a" in v and "b" in v)),
    ("recursion through an array",
     {"$ref": COMPONENTS + "Node"}, lambda v: _depth(v) <= 2 * 8 + 2),
    ("recursion through an optional property",
     {"$ref": COMPONENTS + "Chain"}, lambda v: _depth(v) <= 8),
    ("untyped", {}, lambda v: True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("schema", "check"), [pytest.param(s, c, id=name) for name, s, c in KEYWORDS]
)
def test_each_keyword_yields_valid_values(schema: Any, check: Check) -> None:
    values = _values(schema)
    for value in values:
        assert check(value), value


def test_a_valid_example_is_used_and_an_invalid_one_never() -> None:
    assert "hello" in _values({"type": "string", "example": "hello", "maxLength": 10})
    assert "far too long" not in _values(
        {"type": "string", "example": "far too long", "maxLength": 3}
    )


def test_a_property_name_suggests_a_value() -> None:
    schema = {
        "type": "object",
        "properties": {"share_uri": {"type": "string"}, "email": {"type": "string"}},
    }
    for value in _values(schema):
        assert value["share_uri"].startswith("https://")
        assert "@" in value["email"]


UNSATISFIABLE = [
    ("lengths", {"type": "string", "minLength": 5, "maxLength": 2}),
    ("bounds", {"type": "integer", "minimum": 5, "maximum": 4}),
    ("pattern and length", {"type": "string", "pattern": "^a$", "minLength": 2}),
    ("no multiple in bounds", {"type": "integer", "minimum": 1, "maximum": 2, "multipleOf": 5}),
    ("allOf types", {"allOf": [{"type": "string"}, {"type": "integer"}]}),
    ("allOf enums", {"allOf": [{"enum": [1, 2]}, {"enum": [3]}]}),
    ("unique items", {"type": "array", "items": {"enum": [1]}, "minItems": 2,
                      "uniqueItems": True}),
    ("items", {"type": "array", "minItems": 4, "maxItems": 3}),
    ("required writeOnly", {"type": "object", "required": ["p"],
                            "properties": {"p": {"$ref": COMPONENTS + "Secret"}}}),
    ("required and refused", {"type": "object", "required": ["a"],
                              "properties": {"a": {"type": "string"}},
                              "not": {"required": ["a"]}}),
    ("not anything", {"type": "string", "not": {}}),
    ("oneOf twins", {"oneOf": [{"type": "integer"}, {"type": "integer"}]}),
    ("required recursion", {"$ref": COMPONENTS + "SelfRequired"}),
]  # fmt: skip


@pytest.mark.parametrize("schema", [pytest.param(s, id=name) for name, s in UNSATISFIABLE])
def test_an_unsatisfiable_schema_is_a_value_error_soon(schema: Any) -> None:
    started = time.perf_counter()
    with pytest.raises(ValueError, match="no value valid against the schema"):
        generate(schema, resolve, 0)
    assert time.perf_counter() - started < 2
