"""ASGI middleware that puts a request where the routers can place it, or refuses it as a miss."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from sharemock.mounts import Mounts


class UnroutedGuard:
    """ASGI middleware: a request below a provider's prefix that Connexion could not route
    stops here as a 404 for the edge to explain.

    Connexion's router (Starlette) and Flask's disagree on some paths: Starlette's mount does
    not match a path segment holding a newline (`%0A`), Flask's rule does. Let through, such a
    request reaches the handler without its operation context, which is a 500.

    A path parameter that is a fixed choice (an `enum`, such as Oracle's API `{version}`) is
    routed whatever its value; a value outside the choice is a path the API does not have, so
    it is a miss too, before security and validation (never a 401 or a 400).
    """

    def __init__(self, app: ASGIApp, mounts: Mounts, own: Sequence[str] = ()) -> None:
        self.app = app
        self._mounts = mounts
        # The prefixes of the mock's own APIs (the admin API), guarded alike.
        self._own = tuple(prefix + "/" for prefix in own)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            mounted = self._mounts.owner(path)
            if mounted is not None or path.startswith(self._own):
                routing = scope.get("extensions", {}).get("connexion_routing", {})
                if routing.get("operation_id") is None or (
                    mounted is not None and not mounted.spec.serves(mounted.local_path(path))
                ):
                    raise HTTPException(404)
        await self.app(scope, receive, send)


class RealPathAlias:
    """Answer a provider's real path as sent when that path already begins with the prefix.

    KooDrive's API lives at `/koodrive/ose/v1/...`, so below the mock's `/koodrive` prefix it
    is `/koodrive/koodrive/ose/v1/...`; a client whose base URL is the mock's host sends the
    real path, `/koodrive/ose/v1/...`, which this rewrites to the mounted one.
    """

    def __init__(self, app: ASGIApp, aliases: Sequence[tuple[str, str]]) -> None:
        self.app = app
        self.aliases = tuple(aliases)  # (real path root, mounted prefix)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            for root, prefix in self.aliases:
                if path.startswith(root):
                    scope = {**scope, "path": prefix + path}
                    if "raw_path" in scope:
                        scope["raw_path"] = prefix.encode() + scope["raw_path"]
                    break
        await self.app(scope, receive, send)
