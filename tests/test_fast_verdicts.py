"""jsonschema_rs, the validators' fast first pass, is never more lenient than jsonschema.

For every JSON request and response schema of every contract, instances built from the
contract's own examples and mutated (wrong types, nulls, missing and extra keys, edge values)
must be valid to Connexion's jsonschema validators whenever the fast verdict accepts them;
and the contract's valid examples must take the fast path, or it buys nothing.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator, resolve_refs
from jsonschema import Draft4Validator

from sharemock.config import REPO_SPEC_DIR
from sharemock.fast_verdicts import compile_verdict, translated
from sharemock.providers import PROVIDERS
from sharemock.spec import HTTP_METHODS, load_document

FORMATS = Draft4Validator.FORMAT_CHECKER
EDGE_VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 1.0, 1.5, 2**63, -(2**63) - 1, "", " ", "0", "1", "true",
    "١٢٣", "abc\n", "10.0.0.256", "10.0.0.050", "::1", "2027-06-30T23:59:59Z",
    "2027-06-30T23:59:59", "2027-13-01T00:00:00Z", "not-a-date", "a@b", "x" * 300, [], [None],
    [1, True], {}, {"": None},
]  # fmt: skip


def _json_schemas(content: dict[str, Any]) -> Iterator[tuple[Any, list[Any]]]:
    for media_type, media in content.items():
        if "json" in media_type and "schema" in media:
            examples = [media["example"]] if "example" in media else []
            examples += [e.get("value") for e in media.get("examples", {}).values()]
            yield media["schema"], examples


def _cases() -> Iterator[Any]:
    for provider in PROVIDERS:
        document = resolve_refs(copy.deepcopy(load_document(REPO_SPEC_DIR / provider.spec_file)))
        for path, item in document["paths"].items():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                where = f"{provider.name} {method.upper()} {path}"
                body = operation.get("requestBody", {}).get("content", {})
                for schema, examples in _json_schemas(body):
                    yield pytest.param(schema, examples, False, id=f"{where} request")
                for status, response in operation.get("responses", {}).items():
                    for schema, examples in _json_schemas(response.get("content", {})):
                        yield pytest.param(schema, examples, True, id=f"{where} {status}")


def _mutations(value: Any, rng: random.Random, depth: int = 0) -> Iterator[Any]:
    """`value` with one part changed, for every part, and a few random changes deeper."""
    yield from EDGE_VALUES
    if isinstance(value, dict) and depth < 4:
        for key in value:
            without = dict(value)
            del without[key]
            yield without
            deeper = _mutations(value[key], rng, depth + 1)
            for replacement in [*rng.sample(EDGE_VALUES, 6), *deeper]:
                yield {**value, key: replacement}
        yield {**value, "unexpectedKey": rng.choice(EDGE_VALUES)}
    if isinstance(value, list) and value and depth < 4:
        yield value + value
        for replacement in _mutations(value[0], rng, depth + 1):
            yield [replacement, *value[1:]]


@pytest.mark.parametrize(("schema", "examples", "answer"), list(_cases()))
def test_fast_verdict_is_never_more_lenient(schema: Any, examples: list[Any], answer: bool) -> None:
    verdict = compile_verdict(schema, answer=answer)
    assert verdict is not None, "jsonschema_rs could not compile the schema"
    slow = (Draft4ResponseValidator if answer else Draft4RequestValidator)(
        schema, format_checker=FORMATS
    )
    rng = random.Random(json.dumps(schema, sort_keys=True, default=str))
    checked = 0
    for example in examples:
        if slow.is_valid(example):
            assert verdict(example), f"a valid example takes the slow path: {example!r}"
        for instance in _mutations(example, rng):
            checked += 1
            if verdict(instance):
                errors = [e.message for e in slow.iter_errors(instance)]
                assert not errors, f"fast path accepted {instance!r}, jsonschema says {errors}"
    assert checked or not examples


def test_nullable_and_write_only_are_translated() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "nullable": True, "enum": ["x"]},
            "b": {"type": "integer", "x-nullable": True},
            "secret": {"type": "string", "writeOnly": True},
        },
    }
    request = compile_verdict(schema, answer=False)
    response = compile_verdict(schema, answer=True)
    assert request is not None and response is not None
    assert request({"a": None, "b": None, "secret": "s"})
    assert not request({"a": "y"})
    assert response({"a": "x"})
    assert not response({"secret": "s"})  # Connexion refuses a write-only value in an answer
    assert translated(schema, answer=False)["properties"]["a"]["enum"] == ["x", None]


def test_formats_are_jsonschemas_own() -> None:
    verdict = compile_verdict({"type": "string", "format": "ipv4"}, answer=False)
    assert verdict is not None
    for value in ["10.0.0.50", "10.0.0.256", "10.0.0.050", "1.2.3"]:
        assert verdict(value) is FORMATS.conforms(value, "ipv4")
