"""DefDrive's error shape `{"error": "<message>"}` and its answers to framework refusals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sharemock.errors import (
    Answer,
    ApiError,
    Failure,
    FailureAnswers,
    FrameworkFailure,
    answering,
)

INVALID_BODY = "Invalid request body"


_BAD_BODY = Answer(400, INVALID_BODY)


class DefDriveErrors(FailureAnswers):
    """`ErrorShape` for DefDrive."""

    answers: ClassVar[Mapping[Failure, Answer]] = {
        # The seeds' 401 text; the JWT middleware's own reason goes in the detail header.
        Failure.UNAUTHENTICATED: Answer(401, "User not authenticated"),
        Failure.FORBIDDEN: Answer(403, "Forbidden"),
        Failure.INVALID_PATH_PARAMETER: Answer(400, "Invalid request"),
        # Gin's ShouldBindJSON fails the same way on a wrong type, bad JSON or no JSON.
        **answering(
            _BAD_BODY,
            Failure.INVALID_BODY,
            Failure.INVALID_QUERY_PARAMETER,
            Failure.INVALID_HEADER,
            Failure.UNSUPPORTED_MEDIA_TYPE,
        ),
        Failure.NOT_ACCEPTABLE: Answer(406, "Not acceptable"),
        # The mock's limits (Gin sets none; Go's net/http answers 431 past 1 MB of headers).
        Failure.PAYLOAD_TOO_LARGE: Answer(413, "Request body too large"),
        Failure.HEADERS_TOO_LARGE: Answer(431, "Request header fields too large"),
        Failure.ROUTE_NOT_FOUND: Answer(404, "404 page not found"),
        Failure.METHOD_NOT_ALLOWED: Answer(405, "405 method not allowed"),
        Failure.INTERNAL: Answer(500, "Internal server error"),
    }
    # The seeds' messages for a path ID that is not an unsigned 32-bit integer.
    path_parameters: ClassVar[Mapping[str, Answer]] = {
        "fileID": Answer(400, "Invalid file ID"),
        "accessID": Answer(400, "Invalid access ID"),
    }

    def body(self, error: ApiError) -> dict[str, Any]:
        return {"error": error.message}


# The Go server's JWT middleware refusals (providers.md §1.3), keyed by how the mock's auth
# check or Connexion words the same refusal in the diagnostic.
_MISSING_HEADER = "Authorization header is required"
_MIDDLEWARE_REASONS = (
    ("Invalid token claims", "Invalid token claims"),
    ("Invalid or expired token", "Invalid or expired token"),
    ("Invalid authorization header", "Authorization header format must be Bearer {token}"),
)


# The upload's form without its `file` part, as request validation words it.
_NO_FILE_PART = "'file' is a required property"


class DeployedErrors(DefDriveErrors):
    """`ErrorShape` for DefDrive as deployed: the Go middleware's own 401 texts, the upload's
    `No file provided`, and the extra members some errors carry (the upload limits)."""

    def from_failure(self, failure: FrameworkFailure) -> ApiError:
        if failure.kind is Failure.INVALID_BODY and failure.detail == _NO_FILE_PART:
            return ApiError(400, "No file provided")
        if failure.kind is not Failure.UNAUTHENTICATED:
            return super().from_failure(failure)
        message = next(
            (text for start, text in _MIDDLEWARE_REASONS if failure.detail.startswith(start)),
            _MISSING_HEADER,
        )
        return ApiError(401, message)

    def body(self, error: ApiError) -> dict[str, Any]:
        return {"error": error.message, **error.fields}
