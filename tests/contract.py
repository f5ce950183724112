"""Helpers for the Schemathesis contract runs against the in-process app."""

from __future__ import annotations

import os
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck
from schemathesis.config import SchemathesisConfig

from sharemock.app import create_app
from sharemock.config import Settings
from sharemock.providers import PROVIDERS, provider_named
from sharemock.state import reset_all

# Examples per operation; `make test-deep` raises them.
EXAMPLES = int(os.environ.get("SHAREMOCK_CONTRACT_EXAMPLES", "30"))
STATEFUL_STEPS = int(os.environ.get("SHAREMOCK_STATEFUL_STEPS", "12"))
STATEFUL_EXAMPLES = int(os.environ.get("SHAREMOCK_STATEFUL_EXAMPLES", "15"))

SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run: CI gates must not flake
    database=None,
    suppress_health_check=list(HealthCheck),
)

STATEFUL_SETTINGS = hypothesis.settings(
    max_examples=STATEFUL_EXAMPLES,
    stateful_step_count=STATEFUL_STEPS,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def schema_of(app: Any, prefix: str) -> Any:
    """The provider's contract as served by the app, with the app as transport.

    An explicit config: the repository's schemathesis.toml is for CLI runs over HTTP (its
    DefDrive login path is relative to the served base URL), and these tests pass their
    credentials themselves. Like it, no NUL in generated strings: every provider refuses one
    (docs/decisions.md, "Hostile input"; tests/test_hostile_input.py tests it).
    """
    return schemathesis.openapi.from_asgi(f"{prefix}/openapi.json", app, config=NO_NUL)


NO_NUL = SchemathesisConfig.from_dict({"generation": {"allow-x00": False}})


def contract_app() -> Any:
    """A mock app on a private in-memory database, for one contract module."""
    return create_app(Settings(db_path=":memory:"))


def dev_headers(provider: str, user: str) -> dict[str, str]:
    """The headers a fixture user authenticates with."""
    return dict(provider_named(provider).dev_headers(user, Settings()))


def credentials_for(case: Any, headers: dict[str, str]) -> dict[str, str]:
    """`headers`, unless Schemathesis left the credentials out of `case` on purpose.

    Negative cases may drop or corrupt the security parameter to check that it is enforced;
    adding valid credentials back would make the mock accept them and fail ST201.
    """
    return {} if case.operation.schema.is_security_param_negated(case) else headers


def run_stateful(schema: Any, headers: dict[str, str], app: Any = None) -> None:
    """Walk the contract's OpenAPI links (create -> get -> update -> delete) as `headers`.

    With `app`, every scenario starts from the fixtures: a provider whose answers depend on
    earlier writes (a name already taken...) then answers a replayed scenario the same way,
    as Hypothesis requires when it re-runs and shrinks one.
    """
    machine = schema.as_state_machine()

    class AuthenticatedMachine(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": credentials_for(case, headers)}

    if app is None:
        AuthenticatedMachine.run(settings=STATEFUL_SETTINGS)
        return

    # A subclass, so that the machine of a run without `app` (and its walk) stays as it was.
    class FromFixturesMachine(AuthenticatedMachine):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            reset_all(app.runtime.database, PROVIDERS)

    FromFixturesMachine.run(settings=STATEFUL_SETTINGS)
