"""The edge: every error of every provider is rendered here, once, in that provider's shape.

Errors arrive as data: an `ApiError` raised by a provider's rules, or a Connexion/Starlette
exception that `classify` turns into a `FrameworkFailure`, which the provider's `ErrorShape`
maps to an `ApiError`. Nothing below the edge formats an error body.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from connexion.exceptions import (
    BadRequestProblem,
    ExtraParameterProblem,
    NonConformingResponse,
    ProblemException,
    UnsupportedMediaTypeProblem,
)
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.exceptions import HTTPException

from sharemock.errors import ApiError, Failure, FrameworkFailure, Reason
from sharemock.journal.note import NOTE
from sharemock.mounts import Mounts
from sharemock.negotiation import render_body
from sharemock.spec import ProviderSpec
from sharemock.validation import BodyProblem, ParameterProblem

logger = logging.getLogger("sharemock.edge")

DETAIL_HEADER = "X-Sharemock-Detail"
_PARAMETER_FAILURES = {
    "path": Failure.INVALID_PATH_PARAMETER,
    "query": Failure.INVALID_QUERY_PARAMETER,
    "header": Failure.INVALID_HEADER,
    "cookie": Failure.INVALID_HEADER,
}


def header_safe(text: str) -> str:
    """A header value: one line of printable ASCII (RFC 9110 §5.5), bounded.

    Diagnostics quote what the client sent, which may hold control characters; uvicorn drops
    the connection rather than send an invalid header value.
    """
    flat = " ".join(text.split())
    printable = "".join(
        char if " " <= char <= "~" else char.encode("unicode_escape").decode("ascii")
        for char in flat
    )
    return printable[:512]


class ErrorEdge:
    """Renders any exception raised while serving a request, per provider."""

    def __init__(self, mounts: Mounts, own: tuple[str, ProviderSpec] | None = None) -> None:
        self._mounts = mounts
        # The mock's own API (its prefix and contract): its 405s say what is allowed.
        self._own = own

    async def handle(self, request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        path = request.url.path
        mounted = self._mounts.owner(path)
        note = request.scope.get(NOTE)
        if mounted is None:
            if note is not None:
                note.reasons = reasons(exc, None)
            return self._outside_any_provider(exc, self._allowed(path, request.method))
        provider = mounted.provider
        failure = None
        if isinstance(exc, ApiError):
            error = exc
        else:
            failure = classify(exc, mounted.spec, mounted.local_path(path), request.method)
            if failure.kind is Failure.INTERNAL:
                logger.error("%s %s failed: %r", request.method, path, exc, exc_info=exc)
            error = provider.errors.from_failure(failure)
            error.detail = error.detail or failure.detail
            if failure.kind in _LIMITS:  # a limit's `Connection: close`
                error.headers.update(getattr(exc, "headers", None) or {})
            if failure.allowed_methods:
                error.headers.setdefault("Allow", ", ".join(failure.allowed_methods))
        if note is not None:  # the journal's, every reason (the answer names at most the first)
            note.reasons = reasons(exc, failure)
        headers = dict(error.headers)
        if error.detail:
            headers[DETAIL_HEADER] = header_safe(error.detail)
        body, content_type = render_body(
            provider.errors.body(error), request.headers.get("accept"), provider.xml_root
        )
        return ConnexionResponse(
            status_code=error.status, body=body, content_type=content_type, headers=headers
        )

    def _allowed(self, path: str, method: str) -> tuple[str, ...]:
        """The methods the mock's own API allows at `path`, where `method` is not one."""
        if self._own is None:
            return ()
        prefix, spec = self._own
        if not path.startswith(prefix + "/"):
            return ()
        return spec.explain_miss(path[len(prefix) :], method).allowed_methods

    @staticmethod
    def _outside_any_provider(exc: Exception, allowed: tuple[str, ...]) -> ConnexionResponse:
        """Our own API's errors (the admin API, the index): RFC 7807 problem details."""
        status = getattr(exc, "status_code", None) or getattr(exc, "status", None) or 500
        detail = getattr(exc, "detail", None)
        if isinstance(exc, ApiError):
            status, detail = exc.status, exc.message
        if status >= 500:
            logger.error("unhandled error outside any provider: %r", exc, exc_info=exc)
            detail = None  # an internal error's text is for the log
        try:
            title = HTTPStatus(status).phrase
        except ValueError:
            title = "Error"
        body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
        if detail:
            body["detail"] = str(detail)
        if isinstance(exc, ApiError) and status < 500:
            body.update(exc.fields)  # a problem's extension members (a refused import's reasons)
        elif isinstance(exc, BadRequestProblem) and detail:
            # Every reason a request was refused, one by one, as a refused import lists them.
            errors = exc.errors if isinstance(exc, BodyProblem) else (str(detail),)
            body["reasons"] = list(errors)
        headers = {"Allow": ", ".join(allowed)} if status == 405 and allowed else {}
        if status in (413, 431):  # a limit's `Connection: close`
            headers.update(getattr(exc, "headers", None) or {})
        return ConnexionResponse(
            status_code=status,
            body=json.dumps(body).encode(),
            content_type="application/problem+json",
            headers=headers,
        )


# The refusals of sharemock/limits.py, whose headers (`Connection: close`) go with the answer.
_LIMITS = (Failure.PAYLOAD_TOO_LARGE, Failure.HEADERS_TOO_LARGE)
_REASON_PLACES = {
    Failure.UNAUTHENTICATED: ("auth", "authenticated"),
    Failure.FORBIDDEN: ("auth", "authorised"),
    Failure.INVALID_PATH_PARAMETER: ("path", "schema"),
    Failure.INVALID_QUERY_PARAMETER: ("query", "schema"),
    Failure.INVALID_HEADER: ("header", "schema"),
    Failure.INVALID_BODY: ("body", "schema"),
    Failure.UNSUPPORTED_MEDIA_TYPE: ("media", "content-type"),
    Failure.NOT_ACCEPTABLE: ("media", "accept"),
    Failure.PAYLOAD_TOO_LARGE: ("body", "size"),
    Failure.HEADERS_TOO_LARGE: ("header", "size"),
    Failure.ROUTE_NOT_FOUND: ("route", "path"),
    Failure.METHOD_NOT_ALLOWED: ("route", "method"),
    Failure.INTERNAL: ("server", "internal"),
}


def reasons(exc: Exception, failure: FrameworkFailure | None) -> tuple[Reason, ...]:
    """Every reason `exc` refused the request for, as the request journal keeps them: the
    typed problems carry each schema error; a provider rule names its code."""
    if isinstance(exc, ApiError):
        rule = exc.code or exc.key or "provider rule"
        message = exc.message + (f" ({exc.detail})" if exc.detail else "")
        return (Reason("rules", str(rule), message),)
    if isinstance(exc, BodyProblem | ParameterProblem) and (
        failure is None or failure.kind not in (Failure.METHOD_NOT_ALLOWED, Failure.ROUTE_NOT_FOUND)
    ):
        return exc.reasons
    if isinstance(exc, ExtraParameterProblem):  # "Extra query parameter(s) a,b not in spec"
        names = str(exc.detail).partition("parameter(s) ")[2].removesuffix(" not in spec")
        return tuple(
            Reason(
                "query",
                "inContract",
                f"query parameter {name!r} is not in the contract",
                "/" + name,
            )
            for name in names.split(",")
        )
    if failure is None:
        status = getattr(exc, "status_code", None) or getattr(exc, "status", None) or 500
        detail = str(getattr(exc, "detail", None) or type(exc).__name__)
        return (Reason("admin", str(status), detail),)
    # An auth failure's detail is the check that failed, in the security handler's words.
    where, rule = _REASON_PLACES[failure.kind]
    pointer = "/" + failure.parameter if failure.parameter else None
    return (Reason(where, rule, failure.detail, pointer),)


def classify(exc: Exception, spec: ProviderSpec, path: str, method: str) -> FrameworkFailure:
    """Name the framework refusal behind `exc` (raised for `method path` below a prefix)."""
    if isinstance(exc, ParameterProblem):
        if exc.location == "path":
            refusal = spec.concrete_path_refusal(path, method)
            if refusal is not None:
                return refusal
        return FrameworkFailure(_PARAMETER_FAILURES[exc.location], str(exc.detail), exc.name)
    if isinstance(exc, ExtraParameterProblem):
        return FrameworkFailure(Failure.INVALID_QUERY_PARAMETER, str(exc.detail))
    if isinstance(exc, BadRequestProblem):  # BodyProblem, and Connexion's own body refusals
        return FrameworkFailure(Failure.INVALID_BODY, str(exc.detail))
    if isinstance(exc, UnsupportedMediaTypeProblem):
        return FrameworkFailure(Failure.UNSUPPORTED_MEDIA_TYPE, str(exc.detail))
    if isinstance(exc, NonConformingResponse):
        return FrameworkFailure(Failure.INTERNAL, f"mock answer broke the contract: {exc.detail}")
    if isinstance(exc, ProblemException | HTTPException):
        status = getattr(exc, "status", None) or exc.status_code
        detail = str(getattr(exc, "detail", "") or "")
        if status == 401:
            return FrameworkFailure(Failure.UNAUTHENTICATED, detail or "not authenticated")
        if status == 403:
            return FrameworkFailure(Failure.FORBIDDEN, detail or "forbidden")
        if status in (404, 405):
            return spec.explain_miss(path, method)
        if status == 406:
            return FrameworkFailure(Failure.NOT_ACCEPTABLE, detail or "not acceptable")
        if status == 413:
            return FrameworkFailure(Failure.PAYLOAD_TOO_LARGE, detail or "body too large")
        if status == 415:
            return FrameworkFailure(Failure.UNSUPPORTED_MEDIA_TYPE, detail)
        if status == 431:
            return FrameworkFailure(Failure.HEADERS_TOO_LARGE, detail or "headers too large")
        if 400 <= status < 500:
            return FrameworkFailure(Failure.INVALID_BODY, detail or f"HTTP {status}")
    return FrameworkFailure(Failure.INTERNAL, f"{type(exc).__name__}: {exc}")
