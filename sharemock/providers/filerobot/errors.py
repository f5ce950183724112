"""Filerobot's error shape `{"status": "error", "msg": "<message>"}` and its messages.

Scaleflex's own client treats any body with `status == "error"` as a failure and shows `msg`
(providers.md §2.7); no public document shows a machine code, so the mock sends none.
"""

from __future__ import annotations

from typing import Any

from sharemock.errors import ApiError, Failure, FrameworkFailure

MISSING_KEY = "Missing X-Filerobot-Key header"
INVALID_KEY = "Invalid X-Filerobot-Key"
WRONG_PROJECT = "This X-Filerobot-Key does not give access to this project"
INVALID_BODY = "Invalid request body"
INVALID_UUID = "Invalid sharebox uuid"
INVALID_TOKEN = "Invalid project token"
UUID_MISMATCH = "The uuid in the request body does not match the sharebox uuid in the path"
ROUTE_NOT_FOUND = "Route not found"
METHOD_NOT_ALLOWED = "Method not allowed"
INTERNAL = "Internal server error"

_INVALID_PATH = {"sharebox_uuid": INVALID_UUID, "token": INVALID_TOKEN}


def share_not_found(uuid: str) -> str:
    return f"Share with uuid={uuid} not found"


class FilerobotErrors:
    """`ErrorShape` for Filerobot."""

    def from_failure(self, failure: FrameworkFailure) -> ApiError:
        kind = failure.kind
        if kind is Failure.UNAUTHENTICATED:
            # An unknown key is refused by auth.verify_key itself; Connexion only refuses
            # before it when the header is absent.
            return ApiError(401, MISSING_KEY)
        if kind is Failure.FORBIDDEN:
            return ApiError(403, WRONG_PROJECT)
        if kind is Failure.INVALID_PATH_PARAMETER:
            return ApiError(400, _INVALID_PATH.get(failure.parameter or "", INVALID_BODY))
        if kind in (
            Failure.INVALID_BODY,
            Failure.INVALID_QUERY_PARAMETER,
            Failure.INVALID_HEADER,
            Failure.UNSUPPORTED_MEDIA_TYPE,
        ):
            return ApiError(400, INVALID_BODY)
        if kind is Failure.NOT_ACCEPTABLE:
            return ApiError(406, "Not acceptable")
        if kind is Failure.ROUTE_NOT_FOUND:
            return ApiError(404, ROUTE_NOT_FOUND)
        if kind is Failure.METHOD_NOT_ALLOWED:
            return ApiError(405, METHOD_NOT_ALLOWED)
        return ApiError(500, INTERNAL)

    def body(self, error: ApiError) -> dict[str, Any]:
        return {"status": "error", "msg": error.message}
