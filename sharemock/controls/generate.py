"""A deterministic JSON value for an OpenAPI 3.0 answer schema (`Prefer: dynamic=true`).

A frontend developer asks for a body generated from the response schema, or for a status
whose documented response has no example. With a seed the body is the same every time, so
it can be pinned in a screenshot or a test: all randomness comes from one `random.Random`,
and nothing depends on set ordering, hashing or the clock.

Generation is best-effort construction followed by proof: every value is checked against the
schema with the same semantics as the mock's own answer validation (Connexion's dialect
translated to Draft 4 by `sharemock.fast_verdicts.translated`), and retried with the generator
continuing if it fails; a schema nothing satisfies is a `ValueError`, never a hang.
"""

from __future__ import annotations

import base64
import copy
import json
import math
import random
import re
import string
import uuid
from collections.abc import Callable, Iterator
from itertools import chain, islice
from typing import Any, TypeVar

import rstr
from jsonschema import Draft4Validator, ValidationError
from jsonschema.exceptions import best_match
from rstr.rstr_base import ALPHABETS

from sharemock.fast_verdicts import translated

Resolve = Callable[[Any], Any]

_FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER
_DEPTH = 6  # beyond this, minimal values, so recursive schemas end
_GIVE_UP_DEPTH = _DEPTH + 24  # a recursion that no minimal value ends (a required self)
_ATTEMPTS = 20  # whole values tried before the schema is declared unsatisfiable
_STRING_TRIES = 60
_BRANCH_ROUNDS = 3
_NULL_CHANCE = 0.1
_EXAMPLE_CHANCE = 0.3
_SPREAD = 8  # extra repeats a regex `*`, `+` or `{m,n}` may add over its minimum
# Marks a schema dict built here (a merge); it is not the document's, so it is never cached.
_TRANSIENT = "x-sharemock-transient"
_MISSING = object()
_N = TypeVar("_N", int, float)

_INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_NUMBER_FORMATS = ("float", "double")
_WORDS = (
    "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "indigo",
    "juniper", "kestrel", "lumen", "meadow", "nimbus", "orchid", "pebble", "quartz", "river",
    "sierra", "tundra", "umber", "violet", "willow", "yarrow", "zephyr",
)  # fmt: skip
# What a negated regex class (`[^,@ ]`) picks from first: characters a person reads easily.
_READABLE = string.ascii_lowercase + string.digits + string.ascii_uppercase + " -_."

# Keywords whose value is a schema, a list of schemas, or a mapping of names to schemas.
_SCHEMA = ("not", "additionalProperties", "additionalItems")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")


class _Unsatisfiable(Exception):
    """This part of the schema admits no value the generator can find."""


def generate(schema: Any, resolve: Callable[[Any], Any], seed: int | None = None) -> Any:
    """A JSON value valid against `schema` (an OpenAPI 3.0 schema of an answer).

    `resolve` follows a local `$ref` chain (`ProviderSpec.resolve`); the same `seed` gives an
    equal value on every call, None a random one. Raises `ValueError` naming the problem when
    no valid value is found in a bounded number of attempts.
    """
    validator = _validator(schema, resolve)
    maker = _Generator(random.Random(seed), resolve)
    problem = "no attempt made"
    for _ in range(_ATTEMPTS):
        try:
            value = maker.value(schema, 0, "")
        except _Unsatisfiable as exc:
            problem = str(exc)
            continue
        error = best_match(validator.iter_errors(value))
        if error is None:
            return value
        problem = _describe(error)
    raise ValueError(f"no value valid against the schema in {_ATTEMPTS} attempts: {problem}")


def _describe(error: ValidationError) -> str:
    where = "/" + "/".join(str(part) for part in error.absolute_path)
    return error.message if where == "/" else f"{where}: {error.message}"


# -- Validation: the mock's answer semantics, on a copy of the schema with `$ref`s inlined.


def _inlined(schema: Any, resolve: Resolve) -> Any:
    """`schema` with every `$ref` replaced by its target; a cycle becomes a Draft 4 ref.

    A target met again inside itself is referenced as `#/definitions/<n>` of the returned
    root, which then holds it, so recursive schemas stay finite.
    """
    definitions: dict[str, Any] = {}
    names: dict[int, str] = {}  # id of a target met inside itself -> its definition's name

    def walk(node: Any, inside: frozenset[int]) -> Any:
        target = resolve(node)
        if not isinstance(target, dict):
            return target
        key = id(target)
        if key in inside:
            name = names.setdefault(key, f"cycle{len(names)}")
            return {"$ref": f"#/definitions/{name}"}
        copied = _map_subschemas(target, lambda sub: walk(sub, inside | {key}))
        if key in names:
            definitions[names[key]] = copied
        return copied

    root = walk(schema, frozenset())
    return {"allOf": [root], "definitions": definitions} if definitions else root


def _map_subschemas(node: dict[str, Any], apply: Callable[[Any], Any]) -> dict[str, Any]:
    """A copy of `node` with `apply` applied to each of its immediate sub-schemas."""
    copied = dict(node)
    for key in _SCHEMA:
        if key in copied:
            copied[key] = apply(copied[key])
    for key in _SCHEMA_LISTS:
        if isinstance(copied.get(key), list):
            copied[key] = [apply(part) for part in copied[key]]
    for key in _SCHEMA_MAPS:
        if isinstance(copied.get(key), dict):
            copied[key] = {name: apply(part) for name, part in copied[key].items()}
    if "items" in copied:
        items = copied["items"]
        copied["items"] = [apply(p) for p in items] if isinstance(items, list) else apply(items)
    return copied


# id(schema) -> (schema, validator); holding the schema keeps its id from being reused.
_VALIDATORS: dict[int, tuple[Any, Draft4Validator]] = {}


def _validator(schema: Any, resolve: Resolve) -> Draft4Validator:
    """A validator of answers for `schema`, compiled once per document schema.

    A `$ref` means one thing within its document, so the schema's identity is the key.
    """
    entry = _VALIDATORS.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    answer_schema = translated(_inlined(schema, resolve), answer=True)
    validator = Draft4Validator(answer_schema, format_checker=_FORMAT_CHECKER)
    if not (isinstance(schema, dict) and _TRANSIENT in schema):
        _VALIDATORS[id(schema)] = (schema, validator)
    return validator


# -- allOf: merging schemas into one that means (about) their conjunction.


def _both(first: Any, second: Any) -> dict[str, Any]:
    return {"allOf": [first, second], _TRANSIENT: True}


def _patterns(value: Any) -> tuple[str, ...]:
    """A merged node's patterns: one `pattern`, or a tuple of them after a merge."""
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, tuple) else ()


def _merged_type(mine: Any, theirs: Any) -> Any:
    ours = mine if isinstance(mine, list) else [mine]
    other = theirs if isinstance(theirs, list) else [theirs]
    common = [kind for kind in ours if kind in other]
    # An integer is a number, so integer and number agree on integer.
    if "integer" not in common and {"integer", "number"} <= {*ours, *other}:
        common.append("integer")
    if not common:
        raise _Unsatisfiable(f"allOf: type {mine} conflicts with type {theirs}")
    return common[0] if len(common) == 1 else common


def _merged_enum(mine: list[Any], theirs: list[Any]) -> list[Any]:
    common = [value for value in mine if value in theirs]
    if not common:
        raise _Unsatisfiable(f"allOf: enums {mine} and {theirs} share no value")
    return common


def _merged_additional(mine: Any, theirs: Any) -> Any:
    if mine is False or theirs is False:
        return False
    if mine is True or mine == {}:
        return theirs
    if theirs is True or theirs == {}:
        return mine
    return _both(mine, theirs)


def _merged_step(mine: Any, theirs: Any) -> Any:
    if isinstance(mine, int) and isinstance(theirs, int):
        return math.lcm(mine, theirs)
    # Else the coarser step if it is a multiple of the other; validation has the last word.
    return theirs if theirs > mine and (theirs / mine).is_integer() else mine


def _merged_keyword(key: str, mine: Any, theirs: Any) -> Any:
    """The value of `key` in the merge of two schemas that both have it."""
    if key in ("minLength", "minItems", "minProperties"):
        return max(mine, theirs)
    if key in ("maxLength", "maxItems", "maxProperties"):
        return min(mine, theirs)
    if key == "required":
        return list(dict.fromkeys([*mine, *theirs]))
    if key == "properties":
        names = dict.fromkeys([*mine, *theirs])
        return {
            name: _both(mine[name], theirs[name])
            if name in mine and name in theirs
            else mine.get(name, theirs.get(name))
            for name in names
        }
    if key in ("anyOf", "oneOf"):
        # (one of A) and (one of B) is one of the pairs (A_i and B_j); so is "any of".
        return [_both(first, second) for first in mine for second in theirs]
    merges: dict[str, Callable[[Any, Any], Any]] = {
        "type": _merged_type,
        "enum": _merged_enum,
        "additionalProperties": _merged_additional,
        "multipleOf": _merged_step,
        "pattern": lambda a, b: _patterns(a) + _patterns(b),
        "items": _both,
        # not A and not B is not (A or B).
        "not": lambda a, b: {"anyOf": [a, b], _TRANSIENT: True},
        "uniqueItems": lambda a, b: a or b,
        "writeOnly": lambda a, b: a or b,
        "readOnly": lambda a, b: a or b,
    }
    merge = merges.get(key)
    # Others (format, description, example, ...): the first schema's; validation checks.
    return mine if merge is None else merge(mine, theirs)


def _bound(node: dict[str, Any], key: str, flag: str) -> tuple[Any, bool] | None:
    return (node[key], bool(node.get(flag))) if key in node else None


def _merge_bounds(merged: dict[str, Any], first: dict[str, Any], second: dict[str, Any]) -> None:
    """The tighter of each side's minimum and maximum (exclusive wins a tie)."""
    for key, flag, tighter in (
        ("minimum", "exclusiveMinimum", max),
        ("maximum", "exclusiveMaximum", min),
    ):
        bounds = [b for b in (_bound(first, key, flag), _bound(second, key, flag)) if b]
        if len(bounds) == 2:
            value = tighter(limit for limit, _ in bounds)
            merged[key] = value
            merged[flag] = any(exclusive for limit, exclusive in bounds if limit == value)


def _null_vote(node: dict[str, Any]) -> bool | None:
    """Whether `node` lets null through (translated's rule); None if it has no say."""
    if node.get("nullable") or node.get("x-nullable"):
        return True
    return False if "type" in node or "enum" in node else None


def _merged(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """One schema meaning (about) `first` and `second`; validation settles the rest."""
    merged = dict(first)
    for key, theirs in second.items():
        merged[key] = _merged_keyword(key, merged[key], theirs) if key in merged else theirs
    _merge_bounds(merged, first, second)
    votes = (_null_vote(first), _null_vote(second))
    merged.pop("x-nullable", None)
    if False in votes or True in votes:
        merged["nullable"] = False not in votes
    merged[_TRANSIENT] = True
    return merged


# -- Strings.


class _Xeger(rstr.Rstr):
    """rstr's regex reverser, made deterministic under a seed and kept short.

    rstr picks a negated class's character from a `set` (and builds two alphabets from
    sets), whose order changes with the process's hash seed; here the choices come from
    ordered strings, readable characters first. Its `*` may repeat a hundred times; here a
    repeat adds at most `spread` over its minimum, which `_string` widens or narrows to fit
    minLength/maxLength.
    """

    def __init__(self, rng: random.Random) -> None:
        ordered = {name: "".join(sorted(ALPHABETS[name])) for name in ("nonword", "unambiguous")}
        super().__init__(rng, **ordered)
        self.spread = _SPREAD

    def _handle_in(self, value: Any) -> Any:
        candidates = list(chain.from_iterable(self._handle_state(state) for state in value))
        if candidates and candidates[0] is False:  # a negated class: the rest are excluded
            excluded = set(candidates[1:])
            pool = [c for c in _READABLE if c not in excluded]
            pool = pool or [c for c in string.printable if c not in excluded]
            if not pool:
                raise ValueError("a negated class excludes every printable character")
            return self._random.choice(pool)
        return self._random.choice(candidates)

    def _handle_repeat(self, start_range: int, end_range: int, value: Any) -> str:
        times = self._random.randint(start_range, min(end_range, start_range + self.spread))
        return "".join("".join(self._handle_state(state) for state in value) for _ in range(times))


def _date_time(rng: random.Random, millis: bool | None = None) -> str:
    day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    moment = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    # Both common shapes (with milliseconds or without), so a pattern insisting on one is met.
    millis = rng.random() < 0.5 if millis is None else millis
    fraction = f".{rng.randint(0, 999):03d}" if millis else ""
    return f"{day}T{moment}{fraction}Z"


def _ipv4(rng: random.Random) -> str:
    network = rng.choice(("192.0.2", "198.51.100", "203.0.113"))  # documentation ranges
    return f"{network}.{rng.randint(1, 254)}"


def _ipv6(rng: random.Random) -> str:
    return "2001:db8::" + ":".join(f"{rng.randint(0, 0xFFFF):x}" for _ in range(rng.randint(1, 4)))


_FORMATS: dict[str, Callable[[random.Random], str]] = {
    "date-time": _date_time,
    "date": lambda rng: _date_time(rng)[:10],
    "uuid": lambda rng: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "email": lambda rng: f"{rng.choice(_WORDS)}.{rng.choice(_WORDS)}@example.com",
    "idn-email": lambda rng: f"{rng.choice(_WORDS)}@example.com",
    "uri": lambda rng: f"https://example.com/{rng.choice(_WORDS)}/{rng.choice(_WORDS)}",
    "uri-reference": lambda rng: f"/{rng.choice(_WORDS)}/{rng.choice(_WORDS)}",
    "url": lambda rng: f"https://example.com/{rng.choice(_WORDS)}",
    "hostname": lambda rng: f"{rng.choice(_WORDS)}.example.com",
    "byte": lambda rng: base64.b64encode(rng.randbytes(rng.randint(3, 12))).decode("ascii"),
    "binary": lambda rng: f"{rng.choice(_WORDS)} {rng.choice(_WORDS)}",
    "password": lambda rng: f"{rng.choice(_WORDS)}-{rng.randint(10, 99)}",
}
# Shapes tried first for a string with a pattern: readable where the pattern admits them.
_SHAPES: dict[str, Callable[[random.Random], str]] = {
    "seconds": lambda rng: _date_time(rng, millis=False),
    "millis": lambda rng: _date_time(rng, millis=True),
    "uuid": _FORMATS["uuid"],
    "date": _FORMATS["date"],
}


def _name_formats(name: str) -> tuple[str, ...]:
    """The format a property's name suggests (`share_uri`, `email`), if any: a nice touch."""
    lowered = name.lower()
    if "email" in lowered:
        return ("email",)
    if "uuid" in lowered:
        return ("uuid",)
    if lowered.endswith(("url", "uri", "link", "href")):
        return ("uri",)
    if lowered.endswith(("_at", "time", "date")):
        return ("date-time",)
    return ()


def _fits(value: str, low: int, high: int | None, patterns: tuple[str, ...], fmt: Any) -> bool:
    if len(value) < low or (high is not None and len(value) > high):
        return False
    if not all(re.search(pattern, value) for pattern in patterns):
        return False
    return not isinstance(fmt, str) or _FORMAT_CHECKER.conforms(value, fmt)


# -- Numbers.


def _window(low: _N | None, high: _N | None, width: _N) -> tuple[_N, _N]:
    """A stretch of [low, high] `width` wide at most, as near zero as it allows (readable)."""
    zero = width - width  # 0 or 0.0, as the bounds are
    if low is not None and low > 0:
        start = low
    elif high is None or high >= 0:
        start = zero
    else:
        start = high - width if low is None else max(low, high - width)
    end = start + width if high is None else min(start + width, high)
    return start, end


def _integer_bounds(node: dict[str, Any]) -> tuple[int | None, int | None]:
    low = high = None
    if "minimum" in node:
        minimum = node["minimum"]
        low = math.floor(minimum) + 1 if node.get("exclusiveMinimum") else math.ceil(minimum)
    if "maximum" in node:
        maximum = node["maximum"]
        high = math.ceil(maximum) - 1 if node.get("exclusiveMaximum") else math.floor(maximum)
    if node.get("format") in _INT_FORMATS:
        least, most = _INT_FORMATS[node["format"]]
        low = least if low is None else max(low, least)
        high = most if high is None else min(high, most)
    return low, high


def _in_bounds(value: float, node: dict[str, Any]) -> bool:
    if "minimum" in node:
        minimum = node["minimum"]
        if value < minimum or (node.get("exclusiveMinimum") and value == minimum):
            return False
    if "maximum" in node:
        maximum = node["maximum"]
        if value > maximum or (node.get("exclusiveMaximum") and value == maximum):
            return False
    return True


# -- Objects.


def _omitted(refused: Any, required: list[str], resolve: Resolve) -> set[str]:
    """Properties to leave out so a `not: {required: [...]}` (or an anyOf of them) holds."""
    node = resolve(refused)
    if not isinstance(node, dict):
        return set()
    if isinstance(node.get("anyOf"), list):  # not (A or B): not A and not B
        return set().union(*(_omitted(part, required, resolve) for part in node["anyOf"]))
    names = node.get("required")
    if not isinstance(names, list) or set(node) - {"required", "description", _TRANSIENT}:
        return set()  # another kind of `not`: validation decides
    optional = {name for name in names if name not in required}
    if names and not optional:
        raise _Unsatisfiable(f"not: properties {names} are all required")
    return optional


class _Generator:
    """Builds candidate values for schemas from one random generator."""

    def __init__(self, rng: random.Random, resolve: Resolve) -> None:
        self._rng = rng
        self._resolve = resolve
        self._xeger = _Xeger(rng)
        self._builders: dict[str, Callable[[dict[str, Any], int, str], Any]] = {
            "object": self._object,
            "array": self._array,
            "string": self._string,
            "integer": self._integer,
            "number": self._number,
            "boolean": lambda node, depth, name: self._rng.random() < 0.5,
            "null": lambda node, depth, name: None,
        }

    def value(self, schema: Any, depth: int, name: str) -> Any:
        """A candidate for `schema` at nesting `depth`, for a property called `name`."""
        if depth > _GIVE_UP_DEPTH:
            raise _Unsatisfiable("the schema nests without end (a required recursion)")
        node = self._resolve(schema)
        flat = self._flat(node)
        example = self._example(node, flat)
        return self._build(flat, depth, name) if example is _MISSING else example

    def _flat(self, schema: Any, inside: tuple[int, ...] = ()) -> dict[str, Any]:
        """`schema` resolved, with its allOf branches merged into it."""
        node = self._resolve(schema)
        if not isinstance(node, dict):
            raise _Unsatisfiable(f"not an OpenAPI schema: {node!r}")
        parts = node.get("allOf")
        if not isinstance(parts, list):
            return node
        if id(node) in inside:
            raise _Unsatisfiable("allOf includes itself")
        flat = {key: value for key, value in node.items() if key != "allOf"}
        for part in parts:
            flat = _merged(flat, self._flat(part, (*inside, id(node))))
        return flat

    def _example(self, node: dict[str, Any], flat: dict[str, Any]) -> Any:
        """The schema's scalar example or default, sometimes, if it is valid.

        Only scalars: structures are generated, so a dynamic body varies in shape.
        """
        if _TRANSIENT in node:
            return _MISSING
        for key in ("example", "default"):
            candidate = flat.get(key, _MISSING)
            if candidate is _MISSING or isinstance(candidate, dict | list):
                continue
            if self._rng.random() < _EXAMPLE_CHANCE and self._valid(node, candidate):
                return candidate
        return _MISSING

    def _valid(self, schema: Any, value: Any) -> bool:
        return bool(_validator(schema, self._resolve).is_valid(value))

    def _build(self, flat: dict[str, Any], depth: int, name: str) -> Any:
        for key in ("oneOf", "anyOf"):
            if isinstance(flat.get(key), list):
                return self._branch(flat, key, depth, name)
        nullable = bool(flat.get("nullable") or flat.get("x-nullable"))
        if nullable and (depth > _DEPTH or self._rng.random() < _NULL_CHANCE):
            return None
        if "const" in flat:
            return copy.deepcopy(flat["const"])
        if isinstance(flat.get("enum"), list):
            return self._enum(flat["enum"])
        kind = self._kind(flat)
        builder = self._builders.get(kind)
        if builder is None:
            raise _Unsatisfiable(f"unknown type {kind!r}")
        return builder(flat, depth, name)

    def _branch(self, flat: dict[str, Any], key: str, depth: int, name: str) -> Any:
        """A value of one branch of `key` (anyOf, oneOf) and the rest of `flat`."""
        branches = flat[key]
        rest = {k: v for k, v in flat.items() if k != key}
        order = list(range(len(branches)))
        self._rng.shuffle(order)
        problem = f"{key} has no branch"
        # A few rounds: another value of the same branch may match it alone.
        for index in order * _BRANCH_ROUNDS:
            try:
                value = self._build(_merged(rest, self._flat(branches[index])), depth, name)
            except _Unsatisfiable as exc:
                problem = str(exc)
                continue
            if key == "oneOf" and self._matches_another(value, branches, index):
                problem = "oneOf: every value found matched more than one branch"
                continue
            return value
        raise _Unsatisfiable(problem)

    def _matches_another(self, value: Any, branches: list[Any], chosen: int) -> bool:
        return any(
            self._valid(branch, value) for index, branch in enumerate(branches) if index != chosen
        )

    def _enum(self, values: list[Any]) -> Any:
        # null is the nullable rule's to choose; an enum of only null still yields it.
        choices = [value for value in values if value is not None] or values
        if not choices:
            raise _Unsatisfiable("enum is empty")
        return copy.deepcopy(self._rng.choice(choices))

    def _kind(self, flat: dict[str, Any]) -> str:
        """The JSON type to build: `type`, else what the keywords imply, else a string."""
        kind = flat.get("type")
        if isinstance(kind, list):
            kind = self._rng.choice([k for k in kind if k != "null"] or kind)
        if isinstance(kind, str):
            return kind
        implied = (
            ("object", ("properties", "required", "additionalProperties", "minProperties")),
            ("array", ("items", "minItems", "maxItems", "uniqueItems")),
            ("number", ("minimum", "maximum", "multipleOf")),
        )
        if flat.get("format") in _INT_FORMATS:
            return "integer"
        if flat.get("format") in _NUMBER_FORMATS:
            return "number"
        for implied_kind, keywords in implied:
            if any(keyword in flat for keyword in keywords):
                return implied_kind
        return "string"

    # Strings.

    def _string(self, flat: dict[str, Any], depth: int, name: str) -> str:
        low: int = flat.get("minLength", 0)
        high: int | None = flat.get("maxLength")
        if high is not None and low > high:
            raise _Unsatisfiable(f"minLength {low} is more than maxLength {high}")
        patterns = _patterns(flat.get("pattern"))
        fmt = flat.get("format")
        self._xeger.spread = _SPREAD
        for value in islice(self._candidates(fmt, patterns, low, high, name), _STRING_TRIES):
            if _fits(value, low, high, patterns, fmt):
                return value
            self._adapt_spread(len(value), low, high)
        wanted = f"length {low}..{'' if high is None else high}"
        raise _Unsatisfiable(f"no string of {wanted}, pattern {patterns}, format {fmt} found")

    def _candidates(
        self, fmt: Any, patterns: tuple[str, ...], low: int, high: int | None, name: str
    ) -> Iterator[str]:
        """Strings that may fit, the most readable first."""
        make = _FORMATS.get(fmt) if isinstance(fmt, str) else None
        for shape in () if make else _name_formats(name):
            yield _FORMATS[shape](self._rng)
        if not patterns:
            while True:
                yield make(self._rng) if make else self._text(low, high)
        for make_shape in _SHAPES.values():
            yield make_shape(self._rng)
        while True:
            if make is not None:
                yield make(self._rng)
            yield self._reversed(patterns[0])

    def _reversed(self, pattern: str) -> str:
        """A string built from `pattern` (not always a match: lookarounds, anchors)."""
        try:
            return str(self._xeger.xeger(pattern))
        except (re.error, ValueError, KeyError, IndexError) as exc:
            raise _Unsatisfiable(f"pattern {pattern!r}: {exc}") from exc

    def _adapt_spread(self, length: int, low: int, high: int | None) -> None:
        """Let regex repeats grow when a candidate was too short, shrink when too long."""
        if length < low:
            self._xeger.spread = min(self._xeger.spread * 2 + 1, 4096)
        elif high is not None and length > high:
            self._xeger.spread //= 2

    def _text(self, low: int, high: int | None) -> str:
        """Readable text: lowercase words, as many as minLength needs, cut at maxLength."""
        text = " ".join(self._rng.choice(_WORDS) for _ in range(self._rng.randint(1, 2)))
        while len(text) < low:
            text += " " + self._rng.choice(_WORDS)
        if high is not None and len(text) > high:
            text = text[:high]
            text = text.rstrip() if len(text.rstrip()) >= low else text
        return text

    # Numbers.

    def _integer(self, flat: dict[str, Any], depth: int, name: str) -> int:
        low, high = _integer_bounds(flat)
        if low is not None and high is not None and low > high:
            raise _Unsatisfiable(f"no integer between {low} and {high}")
        step = flat.get("multipleOf")
        if step:
            return int(self._multiple(step, low, high))
        return self._rng.randint(*_window(low, high, 1000))

    def _multiple(self, step: float, low: float | None, high: float | None) -> float:
        """A multiple of `step` in [low, high], as near zero as it allows."""
        first = None if low is None else math.ceil(low / step)
        last = None if high is None else math.floor(high / step)
        if first is not None and last is not None and first > last:
            raise _Unsatisfiable(f"no multiple of {step} between {low} and {high}")
        factor = self._rng.randint(*_window(first, last, max(1, int(1000 / step))))
        return factor * step

    def _number(self, flat: dict[str, Any], depth: int, name: str) -> float:
        low, high = flat.get("minimum"), flat.get("maximum")
        if low is not None and high is not None and low > high:
            raise _Unsatisfiable(f"no number between {low} and {high}")
        for _ in range(_STRING_TRIES):
            value = self._number_candidate(flat, low, high)
            if _in_bounds(value, flat):
                return value
        raise _Unsatisfiable(f"no number found in the bounds {low}..{high}")

    def _number_candidate(self, flat: dict[str, Any], low: Any, high: Any) -> float:
        step = flat.get("multipleOf")
        if step:
            value = self._multiple(step, low, high)
            return int(value) if float(value).is_integer() else value
        start, end = _window(low, high, 1000.0)
        raw = self._rng.uniform(start, end)
        rounded = round(raw, 2)  # two decimals read like a price or a size
        return rounded if start <= rounded <= end else raw

    # Arrays.

    def _array(self, flat: dict[str, Any], depth: int, name: str) -> list[Any]:
        low: int = flat.get("minItems", 0)
        high: int | None = flat.get("maxItems")
        if high is not None and low > high:
            raise _Unsatisfiable(f"minItems {low} is more than maxItems {high}")
        if depth > _DEPTH:
            count = low
        else:  # one to three items unless the bounds say otherwise
            most = min(max(low, 3), high if high is not None else max(low, 3))
            count = self._rng.randint(min(max(low, 1), most), most)
        items = flat.get("items", {})
        if not flat.get("uniqueItems"):
            return [self.value(items, depth + 1, name) for _ in range(count)]
        return self._unique(items, count, low, depth, name)

    def _unique(self, items: Any, count: int, low: int, depth: int, name: str) -> list[Any]:
        values: list[Any] = []
        seen: set[str] = set()
        for _ in range(count * 10 + 10):
            if len(values) == count:
                break
            value = self.value(items, depth + 1, name)
            key = json.dumps(value, sort_keys=True)
            if key not in seen:
                seen.add(key)
                values.append(value)
        if len(values) < low:
            raise _Unsatisfiable(f"uniqueItems: found only {len(values)} of {low} distinct items")
        return values

    # Objects.

    def _object(self, flat: dict[str, Any], depth: int, name: str) -> dict[str, Any]:
        """Every declared property (only the required ones when deep), never a writeOnly one."""
        properties: dict[str, Any] = flat.get("properties", {})
        required: list[str] = list(dict.fromkeys(flat.get("required", [])))
        omitted = _omitted(flat["not"], required, self._resolve) if "not" in flat else set()
        result: dict[str, Any] = {}
        for key, schema in properties.items():
            if self._write_only(schema):
                if key in required:
                    raise _Unsatisfiable(f"property {key!r} is required but writeOnly")
                continue
            if key in omitted or (depth > _DEPTH and key not in required):
                continue
            result[key] = self.value(schema, depth + 1, key)
        extra = flat.get("additionalProperties", True)
        for key in required:
            if key not in result and key not in properties:
                result[key] = self._undeclared(extra, key, depth)
        self._fill(result, flat, extra, depth)
        self._trim(result, flat, required)
        return result

    def _write_only(self, schema: Any) -> bool:
        flat = self._flat(schema)
        return bool(flat.get("writeOnly") or flat.get("x-writeOnly"))

    def _undeclared(self, extra: Any, key: str, depth: int) -> Any:
        if extra is False:
            raise _Unsatisfiable(f"{key!r} is required, undeclared and additionalProperties false")
        return self.value(extra if isinstance(extra, dict) else {}, depth + 1, key)

    def _fill(self, result: dict[str, Any], flat: dict[str, Any], extra: Any, depth: int) -> None:
        """Undeclared members up to minProperties (the only reason to add any)."""
        declared = flat.get("properties", {})
        number = 0
        while len(result) < flat.get("minProperties", 0):
            number += 1
            key = f"key{number}"
            if key not in result and key not in declared:
                result[key] = self._undeclared(extra, key, depth)

    def _trim(self, result: dict[str, Any], flat: dict[str, Any], required: list[str]) -> None:
        """Optional members dropped, last first, down to maxProperties."""
        most = flat.get("maxProperties")
        if most is None:
            return
        optional: Iterator[str] = reversed([k for k in list(result) if k not in required])
        while len(result) > most:
            key = next(optional, None)
            if key is None:
                raise _Unsatisfiable(f"more required properties than maxProperties {most}")
            del result[key]
