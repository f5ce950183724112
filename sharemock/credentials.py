"""Development credentials for fixture users (`sharemock token PROVIDER --user NAME`)."""

from __future__ import annotations

from sharemock.config import Settings
from sharemock.providers import provider_named


def dev_credential(provider_name: str, user: str, settings: Settings) -> str:
    """What a fixture user sends to authenticate with the provider; LookupError if unknown."""
    return provider_named(provider_name).dev_credential(user, settings)
