"""App assembly: mount every provider's contract on one Connexion FlaskApp.

This is the only module that knows all the layers: it loads each provider's OpenAPI file,
mounts it under the provider's prefix with routing to `handlers.<provider>`, plugs in the
typed validators, the runtime and the error edge, and serves the index page.
"""

from __future__ import annotations

import copy
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import connexion
from connexion.exceptions import ProblemException
from connexion.jsonifier import Jsonifier
from connexion.middleware import MiddlewarePosition
from connexion.resolver import Resolver
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from sharemock.access_log import AccessLog
from sharemock.admin_access import IGNORED_HEADER, AdminGuard, guarded
from sharemock.config import Settings
from sharemock.controls import Controls, desk_for
from sharemock.controls.delivery import DELIVERY, Delivery
from sharemock.controls.faults import WIRE
from sharemock.controls.middleware import APPLIED_HEADER, RULE_HEADER
from sharemock.decided import decide_once
from sharemock.docs import add_docs_routes, swagger_ui_options
from sharemock.edge import DETAIL_HEADER, ErrorEdge
from sharemock.flask_glue import glue
from sharemock.guards import RealPathAlias, UnroutedGuard
from sharemock.index import index_page
from sharemock.journal import Journaling, journal_for
from sharemock.json_keys import CaseInsensitiveKeys, foldings
from sharemock.limits import Limits
from sharemock.mounts import MountedProvider, Mounts
from sharemock.provider import Provider, snake_case
from sharemock.providers import PROVIDERS
from sharemock.runtime import Runtime, RuntimeMiddleware, utc_now
from sharemock.security import security_map
from sharemock.served import ServedContracts
from sharemock.spec import ProviderSpec, load_document
from sharemock.spec_validation import install as validate_each_document_once
from sharemock.state import open_database
from sharemock.validation import validator_map
from sharemock.xml_bodies import XmlBodies, needs_xml_bodies

# Compact JSON in the order handlers build it (Flask's default sorts and indents).
_JSONIFIER = Jsonifier(json, separators=(",", ":"))


ADMIN_PREFIX = "/__admin"
ADMIN_SPEC = "admin.yaml"
ADMIN_HANDLERS = "handlers.admin"


class HandlerResolver(Resolver):
    """Route operationId `updateAccess` to `<handlers module>.update_access`."""

    def __init__(self, module: str) -> None:
        super().__init__()
        self.module = module

    def resolve_operation_id(self, operation: Any) -> str:
        return f"{self.module}.{snake_case(operation.operation_id)}"


class SharemockApp(connexion.FlaskApp):
    """The FlaskApp, with the server's own `send` kept in the scope (a fault,
    `sharemock/controls/faults.py`, breaks the connection it writes to) and wrapped in the
    request's `Delivery` (which holds back, marks or trickles the answer the controls say)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope[WIRE] = send
            send = scope[DELIVERY] = Delivery(send)
        await self.middleware(scope, receive, send)


def create_app(
    settings: Settings | None = None,
    *,
    providers: Sequence[Provider] = PROVIDERS,
    clock: Callable[[], datetime] = utc_now,
) -> connexion.FlaskApp:
    """Build the mock server (an ASGI app) for `settings` (default: from the environment)."""
    settings = settings or Settings.from_env()
    database = open_database(settings, providers)
    runtime = Runtime(settings=settings, database=database, clock=clock)
    desk = desk_for(runtime, providers)  # the frontend controls (sharemock/controls/)

    # Connexion's operations logger has one warning, "this operation accepts multiple content
    # types", made on every request to such an operation (Oracle's JSON, XML and text/plain).
    # It is right but expected: XmlBodies serves the other media types, so Connexion only reads
    # the JSON one. Raising the level skips the record itself, which a filter would still make.
    logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)
    validate_each_document_once()  # sharemock/spec_validation.py
    app = SharemockApp(__name__, security_map=security_map())
    glue(app)  # Flask reached inline, views decorated once (sharemock/flask_glue.py says why)
    decide_once(app)  # validation and Swagger UI's lookups made once (sharemock/decided.py)
    if settings.access_log:  # outermost but Starlette's error page: every answer, preflights too
        app.add_middleware(
            AccessLog, stream=sys.stderr, position=MiddlewarePosition.BEFORE_EXCEPTION
        )
    app.add_middleware(
        RuntimeMiddleware, runtime=runtime, position=MiddlewarePosition.BEFORE_EXCEPTION
    )
    # Frontends call the mock from their own dev origin. Like DefDrive's CORS middleware, echo
    # any Origin, allow credentials, and answer preflights before routing.
    app.add_middleware(
        CORSMiddleware,
        position=MiddlewarePosition.BEFORE_EXCEPTION,
        allow_origin_regex=".*",
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=[DETAIL_HEADER, APPLIED_HEADER, RULE_HEADER, IGNORED_HEADER],
    )
    mounted = []
    as_written: dict[str, dict[str, Any]] = {}  # prefix -> the document as its file has it
    for provider in providers:
        document = load_document(settings.spec_dir / provider.spec_file)
        as_written[provider.prefix] = copy.deepcopy(document)  # none of the rest can change it
        mounted.append(MountedProvider(provider, ProviderSpec(document)))
        app.add_api(
            document,
            base_path=provider.prefix,
            name=provider.name,
            resolver=HandlerResolver(provider.handlers_module),
            pythonic_params=True,
            jsonifier=_JSONIFIER,
            validate_responses=settings.validate_responses,
            strict_validation=provider.strict_validation,
            validator_map=validator_map(),
            swagger_ui_options=swagger_ui_options(provider.name),
            # An operation added to a contract before its handler exists (`serve --reload`)
            # is routed, to Connexion's 501 (the edge's 500, naming the missing function),
            # instead of stopping the worker.
            resolver_error=501,
        )

    admin = load_document(settings.spec_dir / ADMIN_SPEC)
    as_written[ADMIN_PREFIX] = copy.deepcopy(admin)
    app.add_api(
        admin,
        base_path=ADMIN_PREFIX,
        name="admin",
        resolver=HandlerResolver(ADMIN_HANDLERS),
        pythonic_params=True,
        jsonifier=_JSONIFIER,
        validate_responses=settings.validate_responses,
        strict_validation=True,
        validator_map=validator_map(),
        swagger_ui_options=swagger_ui_options("admin"),
    )

    aliases = [(p.real_path_root, p.prefix) for p in providers if p.real_path_root]
    if aliases:
        app.add_middleware(
            RealPathAlias, aliases=aliases, position=MiddlewarePosition.BEFORE_EXCEPTION
        )
    # Header and body sizes (sharemock/limits.py): inside the edge, so a 413 or a 431 is the
    # provider's; outside everything that reads a body.
    app.add_middleware(
        Limits, max_body=settings.max_body, position=MiddlewarePosition.BEFORE_SWAGGER
    )
    # The documents as written, at `<prefix>/openapi.json` and `.yaml` (sharemock/served.py).
    app.add_middleware(
        ServedContracts, documents=as_written, position=MiddlewarePosition.BEFORE_SWAGGER
    )
    mounts = Mounts(mounted)
    admin_spec = (ADMIN_PREFIX, ProviderSpec(admin))
    if guarded(settings.host, settings.admin_token):  # beyond loopback: sharemock/admin_access.py
        app.add_middleware(
            AdminGuard,
            prefix=ADMIN_PREFIX,
            token=settings.admin_token,
            open_paths=[f"{ADMIN_PREFIX}/{doc}" for doc in ("openapi.json", "openapi.yaml", "ui")],
            position=MiddlewarePosition.BEFORE_EXCEPTION,
        )
    if settings.journal_size > 0:  # inside the alias (paths as mounted), outside the edge
        journal = journal_for(runtime, mounts, admin_spec)
        app.add_middleware(
            Journaling, journal=journal, position=MiddlewarePosition.BEFORE_EXCEPTION
        )
    app.add_middleware(
        UnroutedGuard,
        mounts=mounts,
        own=(ADMIN_PREFIX,),
        position=MiddlewarePosition.BEFORE_SECURITY,
    )
    # After routing (it acts per operation), before security and validation (a forced answer
    # needs neither, and `__` query parameters must not reach validation).
    app.add_middleware(
        Controls,
        board=desk.board,
        mounts=mounts,
        server_wide=desk.server_wide,
        overlay=desk.staged,
        position=MiddlewarePosition.BEFORE_SECURITY,
    )
    key_foldings = foldings(mounts)
    if key_foldings:
        app.add_middleware(
            CaseInsensitiveKeys,
            foldings=key_foldings,
            max_body=settings.max_body,
            position=MiddlewarePosition.BEFORE_VALIDATION,
        )
    # Outside routing, security and both validations: they only ever see JSON bodies (XML, and
    # text/plain where a contract declares it, are read as JSON there).
    if any(needs_xml_bodies(mount) for mount in mounts):
        app.add_middleware(
            XmlBodies,
            mounts=mounts,
            max_body=settings.max_body,
            position=MiddlewarePosition.BEFORE_ROUTING,
        )

    edge = ErrorEdge(mounts, own=admin_spec)
    for exception_class in (ProblemException, HTTPException, Exception):
        app.add_error_handler(exception_class, edge.handle)

    add_docs_routes(app, mounted, settings, {"admin": ADMIN_SPEC})

    def index() -> tuple[str, int, dict[str, str]]:
        from flask import request

        base = request.host_url.rstrip("/")  # the curls address the mock as the reader does
        return index_page(mounted, settings, admin_prefix=ADMIN_PREFIX, base=base)

    app.add_url_rule("/", "index", index)
    app.runtime = runtime  # for tests and the CLI
    return app


def create_app_from_env() -> connexion.FlaskApp:
    """uvicorn factory: one app per worker process, configured by SHAREMOCK_* variables."""
    return create_app()
