"""KooDrive's error shape `{"code": "<business code>", "msg": "..."}` and its error catalogue.

Business refusals are HTTP 400 with a numeric business code, as KooDrive's error-code
appendix lists them (providers.md §4.9). The appendix gives `13000102 Verify parameters
failed.` in English and the other codes in Chinese only: their English `msg` here is the
mock's translation. The 401/404/405/500 codes are the mock's choice (docs/providers/koodrive.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sharemock.errors import Answer, ApiError, Failure, FailureAnswers, answering

INVALID_PARAMETERS = ("13000102", "Verify parameters failed.")
SPACE_NOT_FOUND = ("13000301", "The space does not exist or is abnormal.")
FILE_NOT_IN_SPACE = ("13000302", "The file is not in the specified space.")
RESOURCE_NOT_FOUND = ("13000309", "The resource does not exist.")
NO_SPACE_PERMISSION = ("13000410", "The current user has no permission to operate the space.")
# API Gateway answers (codes beginning APIGW are the gateway's, per the appendix).
UNAUTHENTICATED = ("APIGW.0301", "Incorrect authentication information.")
NO_SUCH_API = ("APIGW.0101", "The API does not exist or has not been published in the environment.")
# API Gateway's 0201 (`Request entity too large`, HTTP 413, as its error-code table has it); the
# mock gives a header block past its limit the same code with HTTP 431.
TOO_LARGE = ("APIGW.0201", "Request entity too large.")
HEADERS_TOO_LARGE = ("APIGW.0201", "Request header fields too large.")
INTERNAL = ("13000000", "Internal server error.")


def _answer(status: int, entry: tuple[str, str]) -> Answer:
    code, message = entry
    return Answer(status, message, code=code)


def refusal(status: int, entry: tuple[str, str], detail: str | None = None) -> ApiError:
    """An `ApiError` for one catalogue entry."""
    return _answer(status, entry).error(detail)


class KooDriveErrors(FailureAnswers):
    """`ErrorShape` for KooDrive."""

    answers: ClassVar[Mapping[Failure, Answer]] = {
        **answering(_answer(401, UNAUTHENTICATED), Failure.UNAUTHENTICATED, Failure.FORBIDDEN),
        # KooDrive validates every input the same way: one business code, HTTP 400.
        **answering(
            _answer(400, INVALID_PARAMETERS),
            Failure.INVALID_BODY,
            Failure.INVALID_PATH_PARAMETER,
            Failure.INVALID_QUERY_PARAMETER,
            Failure.INVALID_HEADER,
            Failure.UNSUPPORTED_MEDIA_TYPE,
            Failure.NOT_ACCEPTABLE,
        ),
        Failure.PAYLOAD_TOO_LARGE: _answer(413, TOO_LARGE),
        Failure.HEADERS_TOO_LARGE: _answer(431, HEADERS_TOO_LARGE),
        Failure.ROUTE_NOT_FOUND: _answer(404, NO_SUCH_API),
        # The gateway knows an API by method and path: same words, but HTTP's own status.
        Failure.METHOD_NOT_ALLOWED: _answer(405, NO_SUCH_API),
        Failure.INTERNAL: _answer(500, INTERNAL),
    }

    def body(self, error: ApiError) -> dict[str, Any]:
        return {"code": error.code or INTERNAL[0], "msg": error.message}
