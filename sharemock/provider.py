"""What sharemock needs to know about one mocked provider."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sharemock.config import Settings
from sharemock.database import Connection
from sharemock.errors import ApiError, FrameworkFailure


class ErrorShape(Protocol):
    """A provider's error catalogue for framework refusals, and its error body."""

    def from_failure(self, failure: FrameworkFailure) -> ApiError:
        """The provider's answer to a refusal the framework made before any handler ran."""
        ...

    def body(self, error: ApiError) -> dict[str, Any]:
        """The provider's error body for `error`."""
        ...


@dataclass(frozen=True)
class Provider:
    """One mocked API: where it is mounted, its contract, its errors, its tables."""

    name: str
    title: str
    prefix: str
    spec_file: str
    handlers_module: str
    errors: ErrorShape
    schema_sql: str
    tables: tuple[str, ...]  # children first, so they can be cleared in order
    load_fixtures: Callable[[Connection], None]
    # The credential a fixture user sends (a token, a key...); LookupError for unknown users.
    dev_credential: Callable[[str, Settings], str]
    # The header a credential travels in, and what precedes it there.
    credential_header: str = "Authorization"
    credential_prefix: str = "Bearer "
    # The root element of an XML body, for providers that speak XML as well as JSON.
    xml_root: str | None = None
    # Refuse query parameters the contract does not declare (Connexion's strict_validation).
    strict_validation: bool = False
    # Where the real API's own paths already begin with the prefix (KooDrive's `/koodrive/ose/`),
    # that path is also answered as sent, as if the mock were the provider's host.
    real_path_root: str | None = None
    # A dialect: a second contract (its own paths, shaping and error words) over the store and
    # rules of the provider named here, which owns the tables and fixtures.
    dialect_of: str | None = None
    # For the docs (the `/` page and Swagger UI): the seed operations (operationIds), the
    # fixture user the docs sign in as, and that user's password where the provider has Basic.
    seeds: tuple[str, ...] = ()
    docs_user: str = ""
    dev_password: Callable[[str], str] | None = None

    def dev_headers(self, user: str, settings: Settings) -> dict[str, str]:
        """The request headers with which a fixture user authenticates."""
        credential = self.dev_credential(user, settings)
        return {self.credential_header: f"{self.credential_prefix}{credential}"}

    def handler_name(self, operation_id: str) -> str:
        """The handler an operation routes to: `updateAccess` -> `<handlers>.update_access`."""
        return f"{self.handlers_module}.{snake_case(operation_id)}"


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(operation_id: str) -> str:
    """A handler's name for an operationId: `updateAccess` -> `update_access`."""
    return _CAMEL_BOUNDARY.sub("_", operation_id).lower()


Fixture = TypeVar("Fixture")


def fixture_named(kind: str, fixtures: Mapping[str, Fixture], name: str) -> Fixture:
    """The fixture called `name`; LookupError naming the known ones (`kind`: "KooDrive user")."""
    try:
        return fixtures[name]
    except KeyError:
        known = ", ".join(fixtures)
        raise LookupError(f"no {kind} {name!r} (known: {known})") from None
