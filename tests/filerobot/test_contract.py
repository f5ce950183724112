"""Schemathesis against the Filerobot contract: every default check, authenticated as `demo`.

Three rules of the API tie one part of a request to another, which JSON Schema cannot say:
the key only opens the project its path names, an update's body `uuid` must be its path's
`sharebox_uuid`, and a create body's `token` must be its path's `{token}`. `conform` makes
generated requests follow them (replacing a well-formed value by another well-formed one, so a
case stays as valid or invalid as it was generated); the refusals when they are broken are
tested in test_auth.py, test_errors.py and test_widget.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.contract import (
    SETTINGS,
    STATEFUL_SETTINGS,
    contract_app,
    credentials_for,
    dev_headers,
    schema_of,
)

APP = contract_app()
DEMO = dev_headers("filerobot", "demo")
schema = schema_of(APP, "/filerobot")

_TOKEN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def _well_formed(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def conform(case: Any) -> None:
    """Aim a generated request at the key's project, and its body `uuid` at its path."""
    path = case.path_parameters
    if not path:
        return
    if _well_formed(_TOKEN, path.get("token")):
        path["token"] = "demo"
    body = case.body
    # A create body's `token` (the widget sends it) must be the path's project too.
    if isinstance(body, dict) and _well_formed(_TOKEN, body.get("token")):
        body["token"] = "demo"
    uuid = path.get("sharebox_uuid")
    if (
        isinstance(body, dict)
        and _well_formed(_UUID, uuid)
        and _well_formed(_UUID, body.get("uuid"))
    ):
        body["uuid"] = uuid


@pytest.mark.contract
@schema.parametrize()
@SETTINGS
def test_every_operation_honours_the_contract(case: Any) -> None:
    conform(case)
    case.call_and_validate(headers=credentials_for(case, DEMO))


@pytest.mark.contract
def test_stateful_links() -> None:
    """create -> get -> update -> delete through the contract's OpenAPI links, as `demo`."""
    machine = schema_of(contract_app(), "/filerobot").as_state_machine()

    class DemoMachine(machine):  # type: ignore[misc, valid-type]
        def before_call(self, case: Any) -> None:
            conform(case)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": credentials_for(case, DEMO)}

    DemoMachine.run(settings=STATEFUL_SETTINGS)
