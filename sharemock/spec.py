"""The one place that reads a provider's OpenAPI document for sharemock's own needs.

Connexion routes and validates from the same document; this module answers the questions
Connexion does not: which operation a request *would* have reached had its path parameters
been well-typed, and which methods a path allows.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sharemock.errors import Failure, FrameworkFailure

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_PARAMETER = re.compile(r"\{([^}/]+)\}")
# The longest integer path parameter routed (int64's 19 digits and one more): the bound
# sharemock/limits.py sets on Connexion's route converter, whose `int()` fails past 4,300.
MAX_PATH_INTEGER_DIGITS = 20
# The route converters Connexion uses for typed path parameters (connexion.frameworks.*).
_TYPE_PATTERNS = {
    "integer": re.compile(rf"[+-]?[0-9]{{1,{MAX_PATH_INTEGER_DIGITS}}}"),
    "number": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"),
}

# libyaml's loader is ~10x faster; PyYAML wheels ship it, source builds may not.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Parsed documents, by file and version (its path, mtime and size), pickled: each caller gets
# its own copy (Connexion changes what it is given), a pickle round trip being ~10x cheaper
# than parsing the YAML again. Building an app again (a test per app, a reload) reads them.
_PARSED: dict[tuple[str, int, int], bytes] = {}


def load_document(path: Path) -> dict[str, Any]:
    """Parse an OpenAPI YAML file (a fresh copy, however often it is asked for)."""
    status = path.stat()
    key = (str(path.resolve()), status.st_mtime_ns, status.st_size)
    parsed = _PARSED.get(key)
    if parsed is None:
        with path.open(encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=_Loader)  # a safe loader
        if not isinstance(document, dict):
            raise ValueError(f"{path}: not an OpenAPI document")
        parsed = _PARSED[key] = pickle.dumps(document, pickle.HIGHEST_PROTOCOL)
    loaded: dict[str, Any] = pickle.loads(parsed)  # our own bytes, made just above
    return loaded


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow a local `$ref` chain."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _template_regex(
    template: str, choices: Mapping[str, tuple[str, ...]] | None = None
) -> re.Pattern[str]:
    """A regex matching `template`: a choice parameter's values, else any non-empty segment."""
    choices = choices or {}
    pieces = _PARAMETER.split(template)  # literal, name, literal, name, ...
    regex = "".join(
        ("(" + "|".join(map(re.escape, choices[piece])) + ")" if piece in choices else "([^/]+)")
        if index % 2
        else re.escape(piece)
        for index, piece in enumerate(pieces)
    )
    return re.compile(regex)


@dataclass(frozen=True)
class PathTemplate:
    """One path of the document, its allowed methods and typed path parameters."""

    template: str
    pattern: re.Pattern[str]
    methods: tuple[str, ...]
    typed_parameters: dict[str, str]  # name -> OpenAPI type, for integer/number params
    # name -> the values of a path parameter whose schema is an `enum` (an API version): a
    # fixed choice of path segments, so another value is a path the API does not have.
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # `pattern` with any segment for the choice parameters too: what the router matches.
    routed_pattern: re.Pattern[str] | None = None

    @property
    def arity(self) -> int:
        """How many path parameters the template has."""
        return len(_PARAMETER.findall(self.template))

    def misfit(self, path: str, method: str) -> FrameworkFailure | None:
        """Why `method path` missed this template's route, if it was meant for it."""
        match = self.pattern.fullmatch(path)
        if match is None:
            return None
        if method.lower() not in self.methods:
            return FrameworkFailure(
                Failure.METHOD_NOT_ALLOWED,
                f"{method.upper()} is not allowed on {self.template}",
                allowed_methods=tuple(m.upper() for m in self.methods),
            )
        values = dict(zip(_PARAMETER.findall(self.template), match.groups(), strict=True))
        for name, kind in self.typed_parameters.items():
            if not _TYPE_PATTERNS[kind].fullmatch(values[name]):
                return FrameworkFailure(
                    Failure.INVALID_PATH_PARAMETER,
                    f"path parameter {name!r} must be of type {kind}",
                    parameter=name,
                )
        return None

    def choice_miss(self, path: str) -> FrameworkFailure | None:
        """A route miss naming the choice parameter whose value `path` has no route for."""
        if self.routed_pattern is None:
            return None
        match = self.routed_pattern.fullmatch(path)
        if match is None:
            return None
        values = dict(zip(_PARAMETER.findall(self.template), match.groups(), strict=True))
        for name, allowed in self.choices.items():
            if values[name] not in allowed:
                return FrameworkFailure(
                    Failure.ROUTE_NOT_FOUND,
                    f"no route for {name} {values[name]!r} (served: {', '.join(allowed)})",
                )
        return None


class ProviderSpec:
    """A provider's OpenAPI document, loaded once."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.templates = tuple(self._templates())
        self._with_choices = tuple(t for t in self.templates if t.choices)
        self.operations: tuple[dict[str, Any], ...] = tuple(
            item[method]
            for item in document.get("paths", {}).values()
            for method in HTTP_METHODS
            if method in item
        )
        # Literal segments win over parameters, as in the router (`/a/b` before `/a/{x}`).
        self._literal_first = tuple(sorted(self.templates, key=lambda t: t.arity))

    @classmethod
    def load(cls, path: Path) -> ProviderSpec:
        return cls(load_document(path))

    def _templates(self) -> list[PathTemplate]:
        templates = []
        for template, item in self.document.get("paths", {}).items():
            methods = tuple(m for m in HTTP_METHODS if m in item)
            typed: dict[str, str] = {}
            choices: dict[str, tuple[str, ...]] = {}
            for operation in [item, *(item[m] for m in methods)]:
                for raw in operation.get("parameters", []):
                    parameter = _resolve(self.document, raw)
                    schema = _resolve(self.document, parameter.get("schema", {}))
                    if parameter.get("in") != "path":
                        continue
                    if schema.get("type") in _TYPE_PATTERNS:
                        typed[parameter["name"]] = schema["type"]
                    if "enum" in schema:
                        choices[parameter["name"]] = tuple(str(v) for v in schema["enum"])
            pattern = _template_regex(template, choices)
            routed = _template_regex(template) if choices else None
            templates.append(PathTemplate(template, pattern, methods, typed, choices, routed))
        return templates

    def serves(self, path: str) -> bool:
        """Whether `path` (below the prefix) is one the API has, as far as choices tell.

        The router matches any segment for a choice parameter (see `PathTemplate.choices`), so
        a path it routed is missing only when no template admits it and one would but for a
        choice's value.
        """
        if not self._with_choices or any(t.pattern.fullmatch(path) for t in self.templates):
            return True
        return not any(template.choice_miss(path) for template in self._with_choices)

    def concrete_path_refusal(self, path: str, method: str) -> FrameworkFailure | None:
        """405 when `path` is a concrete (parameterless) path of the document without `method`.

        OpenAPI matches concrete paths before templated ones, but the router falls through to
        a template (`/share/{shareId}` for `GET /share/cancel`); its path parameter then fails
        validation, and this tells that refusal apart from a genuinely bad parameter.
        """
        for template in self.templates:
            if template.arity == 0 and template.pattern.fullmatch(path):
                return template.misfit(path, method)
        return None

    def resolve(self, node: Any) -> Any:
        """`node`, with a local `$ref` chain followed."""
        return _resolve(self.document, node)

    def operation_for(self, path: str, method: str) -> dict[str, Any] | None:
        """The operation `method path` (below the prefix) reaches, if any."""
        for template in self._literal_first:
            if method.lower() in template.methods and template.pattern.fullmatch(path):
                operation: dict[str, Any] = self.document["paths"][template.template][
                    method.lower()
                ]
                return operation
        return None

    def request_media_types(self, operation: dict[str, Any]) -> tuple[str, ...]:
        """The media types `operation` documents for its request body."""
        return tuple(self.resolve(operation.get("requestBody", {})).get("content", {}))

    def request_schema(self, operation: dict[str, Any], media_type: str) -> Any:
        """The resolved body schema of `operation` for `media_type` (else its first one)."""
        content = self.resolve(operation.get("requestBody", {})).get("content", {})
        media = content.get(media_type) or next(iter(content.values()), None)
        return None if media is None else self.resolve(media.get("schema", {}))

    def response_schema(self, operation: dict[str, Any], status: int, media_type: str) -> Any:
        """The resolved schema `operation` documents for `status` in `media_type`, if any."""
        responses = operation.get("responses", {})
        response = responses.get(str(status)) or responses.get(f"{status // 100}XX")
        response = self.resolve(response or responses.get("default") or {})
        media = response.get("content", {}).get(media_type)
        return None if media is None else self.resolve(media.get("schema", {}))

    def explain_miss(self, path: str, method: str) -> FrameworkFailure:
        """Classify a request below this provider's prefix that reached no operation."""
        for template in self._literal_first:
            failure = template.misfit(path, method)
            if failure is not None:
                return failure
        for template in self._literal_first:
            failure = template.choice_miss(path)
            if failure is not None:
                return failure
        return FrameworkFailure(Failure.ROUTE_NOT_FOUND, f"no operation at {path}")
