"""Connexion's validation and Swagger UI middlewares with their lookups made once
(sharemock/decided.py): in Connexion's places, answering as Connexion's own, memory bounded."""

from __future__ import annotations

from typing import Any

import pytest
from connexion.middleware import MiddlewarePosition
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from sharemock.app import create_app
from sharemock.config import Settings
from sharemock.decided import (
    _KEPT,
    DecidedRequestValidation,
    DecidedResponseValidation,
    DecidedSwaggerUI,
)


def _built(app: Any, cls: type) -> Any:
    return next(m for m in app.middleware.middleware_stack if isinstance(m, cls))


def _operation(app: Any, cls: type, operation_id: str) -> Any:
    middleware = _built(app, cls)
    return next(
        api.operations[operation_id]
        for apis in middleware.apis.values()
        for api in apis
        if operation_id in api.operations
    )


class _Seen:
    """A middleware noting that it was reached."""

    reached = 0

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        _Seen.reached += 1
        await self.app(scope, receive, send)


def test_the_decided_middlewares_take_connexions_places_and_positions_still_work() -> None:
    app = create_app(Settings(db_path=":memory:"))
    # Added after create_app, by Connexion's position (its class), as a user of the app would.
    app.add_middleware(_Seen, position=MiddlewarePosition.BEFORE_VALIDATION)
    with TestClient(app) as client:
        assert client.get("/__admin/").status_code == 200
    kinds = [type(m) for m in app.middleware.middleware_stack]
    for cls in (DecidedSwaggerUI, DecidedRequestValidation, DecidedResponseValidation):
        assert kinds.count(cls) == 1
    assert kinds.index(_Seen) < kinds.index(DecidedRequestValidation)
    assert _Seen.reached >= 1


@pytest.fixture(scope="module")
def served() -> Any:
    app = create_app(Settings(db_path=":memory:"))
    with TestClient(app) as client:
        yield app, client


def test_a_body_under_any_content_type_parameters_is_validated_and_the_memo_stays_bounded(
    served: Any,
) -> None:
    app, client = served
    for n in range(_KEPT + 8):
        response = client.post(
            "/__admin/rules",
            content=b'{"match": 1}',
            headers={"Content-Type": f"application/json; n={n}"},
        )
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"
    operation = _operation(app, DecidedRequestValidation, "handlers.admin.create_rule")
    assert 1 <= len(operation._bodies) <= _KEPT


def test_an_unsupported_media_type_is_refused_each_time_never_remembered(served: Any) -> None:
    app, client = served
    for _ in range(3):
        response = client.post(
            "/__admin/rules", content=b"<rule/>", headers={"Content-Type": "application/xml"}
        )
        assert response.status_code == 415, response.text
    operation = _operation(app, DecidedRequestValidation, "handlers.admin.create_rule")
    assert b"application/xml" not in operation._bodies


def test_answers_are_still_checked_against_the_contract(served: Any) -> None:
    app, client = served
    assert client.get("/__admin/clock").status_code == 200
    operation = _operation(app, DecidedResponseValidation, "handlers.admin.get_clock")
    assert [status for status, _ in operation._answers] == [200]
    answer = next(iter(operation._answers.values()))
    assert answer.validator_cls is not None and answer.schema  # the body is validated


@pytest.mark.parametrize("prefix", ["/defdrive", "/filerobot", "/__admin"])
def test_swagger_ui_is_still_served_and_other_paths_pass_it_by(served: Any, prefix: str) -> None:
    _, client = served
    page = client.get(f"{prefix}/ui/")
    assert page.status_code == 200 and "swagger-ui" in page.text
    assert client.get(f"{prefix}/ui", follow_redirects=False).status_code in (301, 307, 308)
    assert client.get(f"{prefix}/no-such-ui/").status_code == 404
