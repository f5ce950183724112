"""Rules: "when this operation is called (with this path parameter or body field), answer so".

A rule carries a `Directive` (the same settings `Prefer` takes), what it matches, and how
often it holds: always, the next N times, or with a probability. Bound to a session, it holds
only for requests that name that session (`X-Sharemock-Session` header or cookie).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sharemock.controls.vocabulary import Directive, directive, said

# A body field to match is named by a top-level key, or by a JSON pointer ("/settings/ttl").
_MISSING = object()


def _pointed(document: Any, name: str) -> Any:
    if not name.startswith("/"):
        return document.get(name, _MISSING) if isinstance(document, dict) else _MISSING
    node = document
    for part in name[1:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


@dataclass(frozen=True)
class Rule:
    """One rule, as made through `/__admin/rules`."""

    answer: Directive
    provider: str | None = None
    operation: str | None = None
    path: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] = field(default_factory=dict)
    session: str | None = None
    times: int | None = None  # how many more requests it holds for; None: every one
    probability: float | None = None
    id: str = ""

    def with_id(self, rule_id: str) -> Rule:
        return replace(self, id=rule_id)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], remaining: int | None = None) -> Rule:
        """A rule from the admin API's JSON (already validated against `openapi/admin.yaml`)."""
        answer = {k: v for k, v in data.get("answer", {}).items() if v is not None}
        return cls(
            answer=directive(answer),
            provider=data.get("provider"),
            operation=data.get("operation"),
            path={name: str(value) for name, value in data.get("path", {}).items()},
            body=dict(data.get("body", {})),
            session=data.get("session"),
            times=remaining if remaining is not None else data.get("times"),
            probability=data.get("probability"),
            id=data.get("id", ""),
        )

    def to_json(self) -> dict[str, Any]:
        answer = {k: v for k, v in asdict(self.answer).items() if said(v)}
        if "delay" in answer:
            low, high = answer["delay"]
            answer["delay"] = str(low) if low == high else f"{low}-{high}"
        data: dict[str, Any] = {"id": self.id, "answer": answer}
        for name in ("provider", "operation", "session", "times", "probability"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.path:
            data["path"] = dict(self.path)
        if self.body:
            data["body"] = dict(self.body)
        return data

    def aims_at(self, provider: str, operation: str, path: Mapping[str, Any]) -> bool:
        """Whether the rule is about this operation and these path parameters."""
        if self.provider is not None and self.provider != provider:
            return False
        if self.operation is not None and self.operation != operation:
            return False
        return all(str(path.get(name)) == value for name, value in self.path.items())

    def fits_body(self, body: Any) -> bool:
        return all(_pointed(body, name) == value for name, value in self.body.items())
