"""Forced answers: a status, a named example or a generated body, as an operation documents it.

Everything here is read from the contract: the statuses an operation documents, their
examples and schemas. A forced answer never reaches the handler, so it never changes state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sharemock.controls.generate import generate
from sharemock.controls.vocabulary import ControlError, Directive
from sharemock.mounts import MountedProvider

JSON = "application/json"


class Undocumented5xx(Exception):
    """The operation documents no 5xx: the provider's generic server error answers instead."""


@dataclass(frozen=True)
class Forced:
    """A made-up answer: status, body and its media type."""

    status: int
    body: bytes
    content_type: str | None


def _statuses(operation: dict[str, Any]) -> list[str]:
    return [str(status) for status in operation.get("responses", {})]


def _examples(media: dict[str, Any], spec: Any) -> dict[str, Any]:
    return {name: spec.resolve(node) for name, node in media.get("examples", {}).items()}


class Answers:
    """The forced answers of one mounted provider's operations."""

    def __init__(self, mounted: MountedProvider) -> None:
        self.mounted = mounted
        self.spec = mounted.spec

    def _response(self, operation: dict[str, Any], status: str) -> dict[str, Any]:
        response: dict[str, Any] = self.spec.resolve(operation["responses"][status])
        return response

    def _status(self, operation: dict[str, Any], directive: Directive) -> str:
        documented = _statuses(operation)
        name = operation.get("operationId", "this operation")
        if directive.code is not None:
            wanted = str(directive.code)
            if wanted in documented:
                return wanted
            family = f"{wanted[0]}XX"
            if family in documented:
                return family
            raise ControlError(
                f"code={wanted}: {name} does not document it (it documents {', '.join(documented)})"
            )
        if directive.fault == "5xx":
            errors = [s for s in documented if s.startswith("5")]
            if not errors:
                raise Undocumented5xx
            return errors[0]
        if directive.example:
            for status in documented:
                for media in self._response(operation, status).get("content", {}).values():
                    if directive.example in _examples(media, self.spec):
                        return status
            raise ControlError(f"example={directive.example}: {self._example_list(operation)}")
        successes = [s for s in documented if s.startswith("2")]
        return successes[0] if successes else documented[0]

    def _example_list(self, operation: dict[str, Any]) -> str:
        names = [
            f"{name} ({status})"
            for status in _statuses(operation)
            for media in self._response(operation, status).get("content", {}).values()
            for name in _examples(media, self.spec)
        ]
        operation_id = operation.get("operationId", "this operation")
        if not names:
            return f"{operation_id} has no named examples"
        return f"{operation_id} has no such example (it has {', '.join(dict.fromkeys(names))})"

    def answer(self, operation: dict[str, Any], directive: Directive) -> Forced:
        """The answer `directive` forces for `operation`; ControlError when it can't be made."""
        status = self._status(operation, directive)
        code = int(status.replace("X", "0")) if "X" in status else int(status)
        content = self._response(operation, status).get("content", {})
        if not content:
            return Forced(code, b"", None)
        media_type = JSON if JSON in content else next(iter(content))
        media = content[media_type]
        value = self._value(operation, status, media, directive)
        if isinstance(value, dict) and (media_type == JSON or "xml" in media_type):
            # JSON, as a handler answers: `XmlBodies`, outside the controls, makes it XML for a
            # client that prefers XML, under the root element the response's schema names.
            return Forced(code, json.dumps(value, separators=(",", ":")).encode(), JSON)
        if isinstance(value, str) and not media_type.endswith("json"):
            return Forced(code, value.encode(), media_type)
        return Forced(code, json.dumps(value, separators=(",", ":")).encode(), media_type)

    def _value(
        self, operation: dict[str, Any], status: str, media: dict[str, Any], directive: Directive
    ) -> Any:
        examples = _examples(media, self.spec)
        if directive.example:
            if directive.example not in examples:
                raise ControlError(
                    f"example={directive.example}: the {status} answer of"
                    f" {self._example_list(operation)}"
                )
            return examples[directive.example].get("value")
        if not directive.dynamic:
            if "example" in media:
                return media["example"]
            if examples:
                return next(iter(examples.values())).get("value")
        schema = self.spec.resolve(media.get("schema", {}))
        return generate(schema, self.spec.resolve, directive.seed)
