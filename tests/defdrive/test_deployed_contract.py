"""Schemathesis against the deployed DefDrive contract: every default check, as johndoe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract import (
    SETTINGS,
    contract_app,
    credentials_for,
    dev_headers,
    run_stateful,
    schema_of,
)

APP = contract_app()
JOHN = dev_headers("defdrive-deployed", "johndoe")
schema = schema_of(APP, "/defdrive-deployed")


@pytest.mark.contract
@schema.parametrize()
@SETTINGS
def test_every_operation_honours_the_contract(case: Any) -> None:
    case.call_and_validate(headers=credentials_for(case, JOHN))


@pytest.mark.contract
def test_stateful_links() -> None:
    app = contract_app()
    run_stateful(schema_of(app, "/defdrive-deployed"), JOHN, app)
