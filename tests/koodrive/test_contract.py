"""Schemathesis against the KooDrive contract: every default check, authenticated as `demo`.

KooDrive answers a business refusal with HTTP 400 and a business code, also for requests
the contract calls well formed: an unknown `shareId` (13000309), a space or file the caller
does not have (13000301/13000302/13000410). `positive_data_acceptance` would count those as
"valid data refused", so for the three operations that look something up it also expects 400.
The check stays on, with its defaults, everywhere else (list and cancel must accept any
schema-valid request).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from tests.conftest import REPO
from tests.contract import SETTINGS, contract_app, credentials_for, dev_headers, run_stateful

LOOKUP_OPERATIONS = ["createShare", "getShareByMeDetail", "updateShare"]
# The repository's Schemathesis configuration: the business-400 allowance for the lookups,
# and dictionaries steering creation toward demo's space and files (see schemathesis.toml).
CONFIG = SchemathesisConfig.from_path(str(REPO / "schemathesis.toml"))

DEMO = dev_headers("koodrive", "demo")


def koodrive_schema(app: Any) -> Any:
    """The KooDrive contract as served by `app`, with the business-400 allowance above."""
    return schemathesis.openapi.from_asgi("/koodrive/openapi.json", app, config=CONFIG)


schema = koodrive_schema(contract_app())


@pytest.mark.contract
@schema.parametrize()
@SETTINGS
def test_every_operation_honours_the_contract(case: Any) -> None:
    case.call_and_validate(headers=credentials_for(case, DEMO))


@pytest.mark.contract
def test_stateful_links() -> None:
    app = contract_app()
    # From the fixtures every scenario: the list's first share is then the same on a replay.
    run_stateful(koodrive_schema(app), DEMO, app)


def test_lookups_alone_expect_the_business_400() -> None:
    """The allowance applies to the three lookups only, not to list and cancel."""
    for result in schema.get_all_operations():
        operation = result.ok()
        statuses = schema.config.checks_config_for(
            operation=operation
        ).positive_data_acceptance.expected_statuses
        assert ("400" in statuses) is (operation.definition.raw["operationId"] in LOOKUP_OPERATIONS)
