"""Oracle's error shape `{errorCode, errorKey, errorMessage}` and its error catalogue.

`errorCode` is Oracle's documented number as a string (`-1` general failure, `-16` item does
not exist, `-17` same name exists, `-20` insufficient privileges). Oracle documents no
`errorKey` values; the mock's keys follow WebCenter Content's `!cs…` message-key style
(docs/providers/oracle.md lists them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sharemock.errors import Answer, ApiError, Failure, FailureAnswers, answering

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


BAD_REQUEST = Answer(400, BAD_REQUEST_MESSAGE, code=GENERAL, key="!csInvalidRequestParameters")
FORBIDDEN = Answer(
    403, NO_PERMISSION_MESSAGE, code=NO_PERMISSION, key="!csUserInsufficientPrivileges"
)
SERVER_ERROR = Answer(500, "Internal server error.", code=GENERAL, key="!csServerError")


def bad_request(detail: str | None = None) -> ApiError:
    return BAD_REQUEST.error(detail)


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
    return FORBIDDEN.error(detail)


def name_exists(item_id: str, name: str | None) -> ApiError:
    what = f"a public link named {name!r}" if name else "an unnamed public link"
    return ApiError(
        409,
        f"The item already has {what}.",
        code=NAME_EXISTS,
        key="!csPublicLinkNameExists",
        detail=f"{item_id} already has {what}",
    )


class OracleErrors(FailureAnswers):
    """`ErrorShape` for Oracle Content Management."""

    answers: ClassVar[Mapping[Failure, Answer]] = {
        Failure.UNAUTHENTICATED: Answer(
            401,
            "The user is not authenticated.",
            code=GENERAL,
            key="!csUserNotAuthenticated",
            headers={"WWW-Authenticate": WWW_AUTHENTICATE},
        ),
        Failure.FORBIDDEN: FORBIDDEN,
        # Oracle lists no 415 or 422: every malformed request is its 400.
        **answering(
            BAD_REQUEST,
            Failure.INVALID_PATH_PARAMETER,
            Failure.INVALID_QUERY_PARAMETER,
            Failure.INVALID_HEADER,
            Failure.INVALID_BODY,
            Failure.UNSUPPORTED_MEDIA_TYPE,
        ),
        Failure.NOT_ACCEPTABLE: Answer(
            406, "Not acceptable.", code=GENERAL, key="!csNotAcceptable"
        ),
        Failure.PAYLOAD_TOO_LARGE: Answer(
            413, "The request entity is too large.", code=GENERAL, key="!csRequestTooLarge"
        ),
        Failure.HEADERS_TOO_LARGE: Answer(
            431, "The request header fields are too large.", code=GENERAL, key="!csHeadersTooLarge"
        ),
        Failure.ROUTE_NOT_FOUND: Answer(
            404, "The requested resource is not found.", code=GENERAL, key="!csNotFound"
        ),
        Failure.METHOD_NOT_ALLOWED: Answer(
            405, "The method is not allowed.", code=GENERAL, key="!csMethodNotAllowed"
        ),
        Failure.INTERNAL: SERVER_ERROR,
    }

    def body(self, error: ApiError) -> dict[str, Any]:
        return {
            "errorCode": error.code or GENERAL,
            "errorKey": error.key or "!csServerError",
            "errorMessage": error.message,
        }
