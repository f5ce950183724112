"""Filerobot's error shape `{"status": "error", "msg": "<message>"}` and its messages.

Scaleflex's own client treats any body with `status == "error"` as a failure and shows `msg`
(providers.md §2.7); no public document shows a machine code, so the mock sends none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sharemock.errors import Answer, ApiError, Failure, FailureAnswers, answering

MISSING_KEY = "Missing X-Filerobot-Key header"
INVALID_KEY = "Invalid X-Filerobot-Key"
WRONG_PROJECT = "This X-Filerobot-Key does not give access to this project"
INVALID_BODY = "Invalid request body"
INVALID_UUID = "Invalid sharebox uuid"
INVALID_TOKEN = "Invalid project token"
UUID_MISMATCH = "The uuid in the request body does not match the sharebox uuid in the path"
TOKEN_MISMATCH = "The token in the request body does not match the project token in the path"
MALFORMED_KEY_PARAMETER = "Missing or malformed key parameter"
UNKNOWN_KEY = "Invalid key"
SHARE_NOT_FOUND = "Share not found"
PASSWORD_REQUIRED = "This share is protected by a password"
WRONG_PASSWORD = "Wrong password"
NOT_ACTIVE_YET = "This share is not active yet"
EXPIRED = "This share has expired"
ROUTE_NOT_FOUND = "Route not found"
METHOD_NOT_ALLOWED = "Method not allowed"
INTERNAL = "Internal server error"


def share_not_found(uuid: str) -> str:
    return f"Share with uuid={uuid} not found"


class FilerobotErrors(FailureAnswers):
    """`ErrorShape` for Filerobot."""

    answers: ClassVar[Mapping[Failure, Answer]] = {
        # An unknown key is refused by auth.verify_key itself; Connexion only refuses before
        # it when the header is absent.
        Failure.UNAUTHENTICATED: Answer(401, MISSING_KEY),
        Failure.FORBIDDEN: Answer(403, WRONG_PROJECT),
        **answering(
            Answer(400, INVALID_BODY),
            Failure.INVALID_PATH_PARAMETER,
            Failure.INVALID_BODY,
            Failure.INVALID_QUERY_PARAMETER,
            Failure.INVALID_HEADER,
            Failure.UNSUPPORTED_MEDIA_TYPE,
        ),
        Failure.NOT_ACCEPTABLE: Answer(406, "Not acceptable"),
        Failure.PAYLOAD_TOO_LARGE: Answer(413, "Request body too large"),
        Failure.HEADERS_TOO_LARGE: Answer(431, "Request header fields too large"),
        Failure.ROUTE_NOT_FOUND: Answer(404, ROUTE_NOT_FOUND),
        Failure.METHOD_NOT_ALLOWED: Answer(405, METHOD_NOT_ALLOWED),
        Failure.INTERNAL: Answer(500, INTERNAL),
    }
    path_parameters: ClassVar[Mapping[str, Answer]] = {
        "sharebox_uuid": Answer(400, INVALID_UUID),
        "token": Answer(400, INVALID_TOKEN),
        # No sharebox has a public id of another form.
        "puid": Answer(404, SHARE_NOT_FOUND),
    }
    query_parameters: ClassVar[Mapping[str, Answer]] = {
        "key": Answer(400, MALFORMED_KEY_PARAMETER),
    }

    def body(self, error: ApiError) -> dict[str, Any]:
        return {"status": "error", "msg": error.message}
