"""Schemathesis against the admin API (`openapi/admin.yaml`): every default check, in-process.

The admin API is validated like the providers' contracts; the repository's
`schemathesis.toml` knows its two schema-valid 400s (an unknown scenario, a clock past 200
years).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from tests.conftest import REPO
from tests.contract import SETTINGS, contract_app

CONFIG = SchemathesisConfig.from_path(str(REPO / "schemathesis.toml"))
schema = schemathesis.openapi.from_asgi("/__admin/openapi.json", contract_app(), config=CONFIG)


@pytest.mark.contract
@schema.parametrize()
@SETTINGS
def test_every_admin_operation_honours_its_contract(case: Any) -> None:
    case.call_and_validate()
