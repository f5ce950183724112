"""The framework's floor: stock Connexion with nothing of sharemock's.

The workload's contracts mounted under the mock's prefixes on a stock Connexion app (FlaskApp,
or AsyncApp when `BENCH_FLOOR_APP=async`): Connexion's routing and request validation, no
security, no response validation, no state, no access log; every operation answers the
example of its first 2xx response. What this serves is the most any app built on Connexion can
serve here, so it tells which targets Connexion can reach at all (bench/README.md).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from typing import Any

import connexion
from connexion.resolver import Resolver

from sharemock.config import REPO_SPEC_DIR
from sharemock.providers import provider_named
from sharemock.spec import HTTP_METHODS, load_document

ENV_APP = "BENCH_FLOOR_APP"
ENV_PROVIDERS = "BENCH_FLOOR_PROVIDERS"


def _answer(operation: dict[str, Any]) -> tuple[Any, int, dict[str, str]]:
    """The JSON example of the operation's first 2xx response, its status and media type."""
    for status, response in operation.get("responses", {}).items():
        if str(status).startswith("2"):
            for media_type, media in response.get("content", {}).items():
                if "json" not in media_type:
                    continue
                examples: list[Any] = [e.get("value") for e in media.get("examples", {}).values()]
                example = media.get("example", examples[0] if examples else None)
                return example, int(status), {"Content-Type": media_type}
            return None, int(status), {}
    return None, 200, {}


def _stubs(document: dict[str, Any], asynchronous: bool) -> dict[str, Callable[..., Any]]:
    stubs: dict[str, Callable[..., Any]] = {}
    for item in document["paths"].values():
        for method in HTTP_METHODS:
            if method in item:
                answer = _answer(item[method])

                def stub(answer: Any = answer, **_: Any) -> Any:
                    return answer

                async def async_stub(answer: Any = answer, **_: Any) -> Any:
                    return answer

                stubs[item[method]["operationId"]] = async_stub if asynchronous else stub
    return stubs


def _without_security(document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document.pop("security", None)
    document.get("components", {}).pop("securitySchemes", None)
    for item in document["paths"].values():
        for method in HTTP_METHODS:
            if method in item:
                item[method].pop("security", None)
    return document


def create_floor() -> Any:
    asynchronous = os.environ.get(ENV_APP) == "async"
    app = connexion.AsyncApp(__name__) if asynchronous else connexion.FlaskApp(__name__)
    for name in os.environ.get(ENV_PROVIDERS, "defdrive").split(","):
        provider = provider_named(name)
        document = _without_security(load_document(REPO_SPEC_DIR / provider.spec_file))
        stubs = _stubs(document, asynchronous)
        app.add_api(
            document,
            base_path=provider.prefix,
            name=provider.name,
            resolver=Resolver(function_resolver=stubs.__getitem__),
        )
    return app
