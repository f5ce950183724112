"""DefDrive's error shape `{"error": "<message>"}` and its answers to framework refusals."""

from __future__ import annotations

from typing import Any

from sharemock.errors import ApiError, Failure, FrameworkFailure

# The seeds' messages for a path ID that is not an unsigned 32-bit integer.
_INVALID_ID = {"fileID": "Invalid file ID", "accessID": "Invalid access ID"}
INVALID_BODY = "Invalid request body"


class DefDriveErrors:
    """`ErrorShape` for DefDrive."""

    def from_failure(self, failure: FrameworkFailure) -> ApiError:
        kind = failure.kind
        if kind is Failure.UNAUTHENTICATED:
            # The seeds' 401 text; the JWT middleware's own reason goes in the detail header.
            return ApiError(401, "User not authenticated")
        if kind is Failure.FORBIDDEN:
            return ApiError(403, "Forbidden")
        if kind is Failure.INVALID_PATH_PARAMETER:
            return ApiError(400, _INVALID_ID.get(failure.parameter or "", "Invalid request"))
        if kind in (
            Failure.INVALID_BODY,
            Failure.INVALID_QUERY_PARAMETER,
            Failure.INVALID_HEADER,
            Failure.UNSUPPORTED_MEDIA_TYPE,
        ):
            # Gin's ShouldBindJSON fails the same way on a wrong type, bad JSON or no JSON.
            return ApiError(400, INVALID_BODY)
        if kind is Failure.NOT_ACCEPTABLE:
            return ApiError(406, "Not acceptable")
        if kind is Failure.ROUTE_NOT_FOUND:
            return ApiError(404, "404 page not found")
        if kind is Failure.METHOD_NOT_ALLOWED:
            return ApiError(405, "405 method not allowed")
        return ApiError(500, "Internal server error")

    def body(self, error: ApiError) -> dict[str, Any]:
        return {"error": error.message}
