"""Errors as data: failure tables answer every kind, path parameters by name."""

from __future__ import annotations

from typing import ClassVar

import pytest

from sharemock.errors import Answer, Failure, FailureAnswers, FrameworkFailure, answering
from sharemock.providers import PROVIDERS

EVERY_KIND = answering(Answer(400, "bad"), *Failure)


def test_a_table_missing_a_kind_is_refused_when_defined() -> None:
    with pytest.raises(TypeError, match="ROUTE_NOT_FOUND"):

        class Incomplete(FailureAnswers):
            answers: ClassVar = {
                k: v for k, v in EVERY_KIND.items() if k is not Failure.ROUTE_NOT_FOUND
            }


def test_path_parameters_are_answered_by_name_then_by_kind() -> None:
    class Table(FailureAnswers):
        answers: ClassVar = EVERY_KIND
        path_parameters: ClassVar = {"fileID": Answer(400, "Invalid file ID")}

    named = FrameworkFailure(Failure.INVALID_PATH_PARAMETER, "x", parameter="fileID")
    other = FrameworkFailure(Failure.INVALID_PATH_PARAMETER, "x", parameter="other")
    assert Table().from_failure(named).message == "Invalid file ID"
    assert Table().from_failure(other).message == "bad"


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_each_answer_is_a_fresh_error(provider: object) -> None:
    """The edge adds details and headers to what it gets; the table must not change."""
    errors = provider.errors  # type: ignore[attr-defined]
    failure = FrameworkFailure(Failure.METHOD_NOT_ALLOWED, "x")
    first = errors.from_failure(failure)
    first.headers["Allow"] = "GET"
    first.detail = "mutated"
    second = errors.from_failure(failure)
    assert "Allow" not in second.headers and second.detail is None
