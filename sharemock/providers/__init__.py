"""The mocked providers, in the order the index page lists them."""

from sharemock.provider import Provider
from sharemock.providers.defdrive import PROVIDER as DEFDRIVE

PROVIDERS: tuple[Provider, ...] = (DEFDRIVE,)

__all__ = ["PROVIDERS"]
