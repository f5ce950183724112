"""The providers as mounted: each with its loaded contract, found by the path it owns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sharemock.provider import Provider
from sharemock.spec import ProviderSpec


class MountedProvider:
    """A provider as served: its descriptor and its loaded contract."""

    def __init__(self, provider: Provider, spec: ProviderSpec) -> None:
        self.provider = provider
        self.spec = spec

    def local_path(self, path: str) -> str:
        """`path` below the provider's prefix."""
        return path[len(self.provider.prefix) :]


class Mounts:
    """Every mounted provider; `owner` finds the one a request path belongs to."""

    def __init__(self, mounted: Iterable[MountedProvider]) -> None:
        # Longest prefix first, so nested prefixes could never shadow each other.
        self._mounted = sorted(mounted, key=lambda m: len(m.provider.prefix), reverse=True)

    def __iter__(self) -> Iterator[MountedProvider]:
        return iter(self._mounted)

    def owner(self, path: str) -> MountedProvider | None:
        for mounted in self._mounted:
            prefix = mounted.provider.prefix
            if path == prefix or path.startswith(prefix + "/"):
                return mounted
        return None
