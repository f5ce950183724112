"""Development credentials for fixture users (`sharemock token PROVIDER --user NAME`)."""

from __future__ import annotations

from sharemock.config import Settings
from sharemock.providers import PROVIDERS


def dev_credential(provider_name: str, user: str, settings: Settings) -> str:
    """What a fixture user sends to authenticate with the provider; LookupError if unknown."""
    for provider in PROVIDERS:
        if provider.name == provider_name:
            return provider.dev_credential(user, settings)
    known = ", ".join(p.name for p in PROVIDERS)
    raise LookupError(f"unknown provider {provider_name!r} (known: {known})")
