"""Connexion's security handlers, with each info function's signature read once.

Connexion's `_generic_check` asks `inspect.signature` of the provider's info function twice on
every request (does it take `required_scopes`? `request`?): about 5 % of the mock's CPU per
request. The answer cannot change after start-up, so these subclasses decide it when the
handler is built. Everything else (headers, 401s, token_info) is Connexion's own code.
"""

from __future__ import annotations

import asyncio
import typing as t

from connexion.security import (
    NO_VALUE,
    SECURITY_HANDLERS,
    AbstractSecurityHandler,
    OAuthResponseProblem,
)


class _SignatureReadOnce(AbstractSecurityHandler):
    def _generic_check(self, func: t.Callable[..., t.Any], exception_msg: str) -> t.Any:
        takes_scopes = self._accepts_kwarg(func, self.required_scopes_kw)
        takes_request = self._accepts_kwarg(func, self.request_kw)

        async def wrapper(request: t.Any, *args: t.Any, required_scopes: t.Any = None) -> t.Any:
            kwargs: dict[str, t.Any] = {}
            if takes_scopes:
                kwargs[self.required_scopes_kw] = required_scopes
            if takes_request:
                kwargs[self.request_kw] = request
            token_info = func(*args, **kwargs)
            while asyncio.iscoroutine(token_info):
                token_info = await token_info
            if token_info is NO_VALUE:
                return NO_VALUE
            if token_info is None:
                raise OAuthResponseProblem(detail=exception_msg)
            return token_info

        return wrapper


def security_map() -> dict[str, type[AbstractSecurityHandler]]:
    """Connexion's scheme handlers, each with its signature checks decided at start-up."""
    return {
        scheme: type(handler.__name__, (_SignatureReadOnce, handler), {})
        for scheme, handler in SECURITY_HANDLERS.items()
    }
