"""The mocked providers and their dialects, in the order the index page lists them."""

from sharemock.provider import Provider
from sharemock.providers.defdrive import DEPLOYED as DEFDRIVE_DEPLOYED
from sharemock.providers.defdrive import PROVIDER as DEFDRIVE
from sharemock.providers.filerobot import PROVIDER as FILEROBOT
from sharemock.providers.koodrive import PROVIDER as KOODRIVE
from sharemock.providers.oracle import PROVIDER as ORACLE

PROVIDERS: tuple[Provider, ...] = (DEFDRIVE, DEFDRIVE_DEPLOYED, FILEROBOT, ORACLE, KOODRIVE)


def provider_named(name: str) -> Provider:
    """The provider called `name`; LookupError naming the known ones otherwise."""
    for provider in PROVIDERS:
        if provider.name == name:
            return provider
    known = ", ".join(p.name for p in PROVIDERS)
    raise LookupError(f"unknown provider {name!r} (known: {known})")


__all__ = ["PROVIDERS", "provider_named"]
