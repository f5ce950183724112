"""Errors as data: what went wrong, independent of how a provider renders it."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class ApiError(Exception):
    """A refusal decided by a provider's rules, rendered at the edge in the provider's shape.

    `code` is the provider's business code (Oracle `errorCode`, KooDrive `code`, ...);
    `key` is a machine key where the provider has one (Oracle `errorKey`);
    `detail` is a diagnostic for the `X-Sharemock-Detail` header, never part of the body.
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
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.key = key
        self.detail = detail
        self.headers = dict(headers or {})

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
