"""Schemathesis against both DefDrive contracts (the documented one and the deployed Go
server's): every default check, authenticated as johndoe."""

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
JOHN = dev_headers("defdrive", "johndoe")
schema = schema_of(APP, "/defdrive")
deployed = schema_of(contract_app(), "/defdrive-deployed")  # its own state: it deletes files


@pytest.mark.contract
@schema.parametrize()
@SETTINGS
def test_every_operation_honours_the_contract(case: Any) -> None:
    case.call_and_validate(headers=credentials_for(case, JOHN))


@pytest.mark.contract
@deployed.parametrize()
@SETTINGS
def test_every_deployed_operation_honours_its_contract(case: Any) -> None:
    case.call_and_validate(headers=credentials_for(case, JOHN))


@pytest.mark.contract
def test_stateful_links() -> None:
    run_stateful(schema_of(contract_app(), "/defdrive"), JOHN)


@pytest.mark.contract
def test_stateful_links_of_the_deployed_contract() -> None:
    app = contract_app()
    run_stateful(schema_of(app, "/defdrive-deployed"), JOHN, app)
