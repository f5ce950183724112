"""Oracle's error shape `{errorCode, errorKey, errorMessage}` and its error catalogue.

`errorCode` is Oracle's documented number as a string (`-1` general failure, `-16` item does
not exist, `-17` same name exists, `-20` insufficient privileges). Oracle documents no
`errorKey` values; the mock's keys follow WebCenter Content's `!cs…` message-key style
(docs/providers/oracle.md lists them).
"""

from __future__ import annotations

from typing import Any

from sharemock.errors import ApiError, Failure, FrameworkFailure

GENERAL = "-1"
NOT_FOUND = "-16"
NAME_EXISTS = "-17"
NO_PERMISSION = "-20"

# The seed's descriptions of its 400, 403 and 404 answers.
BAD_REQUEST_MESSAGE = "Request parameters are not formatted correctly."
NO_PERMISSION_MESSAGE = "The user does not have read permission."
LINK_NOT_FOUND_MESSAGE = "Link ID is not found."
_ITEM_NOT_FOUND = {"file": "File ID is not found.", "folder": "Folder ID is not found."}
# What a client is asked for on 401 (Basic and Bearer both work).
WWW_AUTHENTICATE = 'Basic realm="Oracle Content Management", Bearer'


def bad_request(detail: str | None = None) -> ApiError:
    return ApiError(
        400, BAD_REQUEST_MESSAGE, code=GENERAL, key="!csInvalidRequestParameters", detail=detail
    )


def link_not_found(link_id: str) -> ApiError:
    return ApiError(
        404,
        LINK_NOT_FOUND_MESSAGE,
        code=NOT_FOUND,
        key="!csPublicLinkNotFound",
        detail=f"no public link {link_id}",
    )


def item_not_found(item_type: str, item_id: str) -> ApiError:
    return ApiError(
        404,
        _ITEM_NOT_FOUND[item_type],
        code=NOT_FOUND,
        key=f"!cs{item_type.capitalize()}NotFound",
        detail=f"no {item_type} {item_id}",
    )


def no_permission(detail: str) -> ApiError:
    return ApiError(
        403,
        NO_PERMISSION_MESSAGE,
        code=NO_PERMISSION,
        key="!csUserInsufficientPrivileges",
        detail=detail,
    )


def name_exists(item_id: str, name: str | None) -> ApiError:
    what = f"a public link named {name!r}" if name else "an unnamed public link"
    return ApiError(
        409,
        f"The item already has {what}.",
        code=NAME_EXISTS,
        key="!csPublicLinkNameExists",
        detail=f"{item_id} already has {what}",
    )


class OracleErrors:
    """`ErrorShape` for Oracle Content Management."""

    def from_failure(self, failure: FrameworkFailure) -> ApiError:
        kind = failure.kind
        if kind is Failure.UNAUTHENTICATED:
            return ApiError(
                401,
                "The user is not authenticated.",
                code=GENERAL,
                key="!csUserNotAuthenticated",
                headers={"WWW-Authenticate": WWW_AUTHENTICATE},
            )
        if kind is Failure.FORBIDDEN:
            return no_permission(failure.detail)
        if kind in (
            Failure.INVALID_PATH_PARAMETER,
            Failure.INVALID_QUERY_PARAMETER,
            Failure.INVALID_HEADER,
            Failure.INVALID_BODY,
            Failure.UNSUPPORTED_MEDIA_TYPE,
        ):
            # Oracle lists no 415 or 422: every malformed request is its 400.
            return bad_request()
        if kind is Failure.NOT_ACCEPTABLE:
            return ApiError(406, "Not acceptable.", code=GENERAL, key="!csNotAcceptable")
        if kind is Failure.ROUTE_NOT_FOUND:
            return ApiError(
                404, "The requested resource is not found.", code=GENERAL, key="!csNotFound"
            )
        if kind is Failure.METHOD_NOT_ALLOWED:
            return ApiError(
                405, "The method is not allowed.", code=GENERAL, key="!csMethodNotAllowed"
            )
        return ApiError(500, "Internal server error.", code=GENERAL, key="!csServerError")

    def body(self, error: ApiError) -> dict[str, Any]:
        return {
            "errorCode": error.code or GENERAL,
            "errorKey": error.key or "!csServerError",
            "errorMessage": error.message,
        }
