"""Schemathesis against the Oracle contract: every default check, authenticated as User AA.

Schemathesis sends every operation in JSON and in XML (both media types are documented).
"""

from __future__ import annotations

from typing import Any

import pytest
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from sharemock.contract_hooks import xml_body_is_valid_on_the_wire
from tests.contract import (
    SETTINGS,
    contract_app,
    credentials_for,
    dev_headers,
    run_stateful,
    schema_of,
)

APP = contract_app()
AA = dev_headers("oracle", "useraa")
schema = schema_of(APP, "/oracle")


@pytest.mark.contract
@schema.parametrize()
@SETTINGS
def test_every_operation_honours_the_contract(case: Any) -> None:
    # Judge XML cases on the body as the server reads it (see sharemock.contract_hooks).
    on_the_wire = xml_body_is_valid_on_the_wire(case)
    excluded = {True: [negative_data_rejection], False: [positive_data_acceptance]}.get(
        on_the_wire, []
    )
    case.call_and_validate(headers=credentials_for(case, AA), excluded_checks=excluded)


@pytest.mark.contract
def test_stateful_links() -> None:
    app = contract_app()
    run_stateful(schema_of(app, "/oracle"), AA, app)
