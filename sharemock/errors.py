"""Errors as data: what went wrong, independent of how a provider renders it."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar


class ApiError(Exception):
    """A refusal decided by a provider's rules, rendered at the edge in the provider's shape.

    `code` is the provider's business code (Oracle `errorCode`, KooDrive `code`, ...);
    `key` is a machine key where the provider has one (Oracle `errorKey`);
    `detail` is a diagnostic for the `X-Sharemock-Detail` header, never part of the body;
    `fields` are further members of the body where a provider's error has them (DefDrive's
    upload limits say `current_files` and `max_files`).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        key: str | None = None,
        detail: str | None = None,
        headers: Mapping[str, str] | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.key = key
        self.detail = detail
        self.headers = dict(headers or {})
        self.fields = dict(fields or {})

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.message!r}, code={self.code!r})"


class Failure(enum.Enum):
    """What the framework refused before any handler ran."""

    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    INVALID_PATH_PARAMETER = "invalid_path_parameter"
    INVALID_QUERY_PARAMETER = "invalid_query_parameter"
    INVALID_HEADER = "invalid_header"
    INVALID_BODY = "invalid_body"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    NOT_ACCEPTABLE = "not_acceptable"
    # Past the server's limits (sharemock/limits.py): a body over `--max-body`, headers too big.
    PAYLOAD_TOO_LARGE = "payload_too_large"
    HEADERS_TOO_LARGE = "headers_too_large"
    ROUTE_NOT_FOUND = "route_not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INTERNAL = "internal"


@dataclass(frozen=True)
class FrameworkFailure:
    """A classified framework refusal: its kind, a diagnostic, and what it was about."""

    kind: Failure
    detail: str
    parameter: str | None = None
    allowed_methods: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Answer:
    """A provider's fixed answer to one kind of framework refusal."""

    status: int
    message: str
    code: str | None = None
    key: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def error(self, detail: str | None = None) -> ApiError:
        """A fresh `ApiError`, with `detail` for the diagnostic header."""
        return ApiError(
            self.status,
            self.message,
            code=self.code,
            key=self.key,
            detail=detail,
            headers=self.headers,
        )


def answering(answer: Answer, *kinds: Failure) -> dict[Failure, Answer]:
    """`answer` for each of `kinds`: for tables where several refusals read the same."""
    return dict.fromkeys(kinds, answer)


class FailureAnswers:
    """`ErrorShape.from_failure` as a table: one `Answer` per `Failure` kind.

    A provider subclasses it, fills `answers` (every kind, checked when the class is made),
    optionally `path_parameters` and `query_parameters` (a bad parameter answered by its
    name, as DefDrive's `Invalid file ID`), and adds its `body`.
    """

    answers: ClassVar[Mapping[Failure, Answer]]
    path_parameters: ClassVar[Mapping[str, Answer]] = {}
    query_parameters: ClassVar[Mapping[str, Answer]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        missing = set(Failure) - set(cls.answers)
        if missing:
            names = ", ".join(sorted(kind.name for kind in missing))
            raise TypeError(f"{cls.__name__} does not answer {names}")

    def from_failure(self, failure: FrameworkFailure) -> ApiError:
        named = {
            Failure.INVALID_PATH_PARAMETER: self.path_parameters,
            Failure.INVALID_QUERY_PARAMETER: self.query_parameters,
        }.get(failure.kind, {})
        by_name = named.get(failure.parameter or "")
        if by_name is not None:
            return by_name.error()
        return self.answers[failure.kind].error()


@dataclass(frozen=True)
class Reason:
    """One reason a request was refused, as the journal keeps it.

    `where`: `body`, `path`, `query`, `header`, `cookie`, `auth`, `route`, `media` or `rules`;
    `pointer`: a JSON pointer into the body, or the parameter's name as one (`/limit`);
    `rule`: the schema keyword broken (`type`, `required`, `maxLength`, ...) or the check.
    """

    where: str
    rule: str
    message: str
    pointer: str | None = None

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"in": self.where, "rule": self.rule, "message": self.message}
        if self.pointer is not None:
            found["pointer"] = self.pointer
        return found
