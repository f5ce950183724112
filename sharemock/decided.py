"""Connexion's validation and Swagger UI middlewares, with what they work out on every request
worked out once.

Connexion 3.3 (pinned) makes, on every request, what depends only on the operation:

- **request validation** builds a URI parser and a parameter validator, a `MediaTypeDict` of
  the media types the operation takes (matched by a glob per entry), and the body validator
  with the schema lookups behind it;
- **response validation** builds a `MediaTypeDict` of what the operation produces and looks
  the response's definition up twice;
- **Swagger UI's middleware** copies the scope and routes every request through a router of
  every API's docs routes before passing it on, although only a path under `<prefix>/ui` can
  be one of them (the documents themselves are `sharemock/served.py`'s).

Here each is made once: per operation, and per Content-Type header value it meets (a client
sends a handful; past `_KEPT` the rest are worked out each time, so no client grows the
memory). What is checked, and every answer and error, stay Connexion's own. The three classes
take Connexion's places just before Connexion builds its middleware stack (`decide_once`), so
the `MiddlewarePosition`s, which name Connexion's classes, keep working until then.
"""

from __future__ import annotations

import typing as t

from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.middleware.response_validation import (
    ResponseValidationAPI,
    ResponseValidationMiddleware,
    ResponseValidationOperation,
)
from connexion.middleware.swagger_ui import SwaggerUIAPI, SwaggerUIMiddleware
from connexion.utils import is_nullable, split_content_type
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if t.TYPE_CHECKING:
    import connexion

_KEPT = 32  # Content-Type values remembered per operation
_CONTENT_TYPE = b"content-type"


def _content_type(headers: t.Iterable[tuple[bytes, bytes]]) -> bytes | None:
    """The first Content-Type header's value, as Connexion's `extract_content_type` finds it."""
    for name, value in headers:
        if name.lower() == _CONTENT_TYPE:
            return value
    return None


def _split(raw: bytes | None, default: t.Sequence[str]) -> tuple[str, str]:
    """(media type, charset) as Connexion's operations work them out from the header."""
    mime_type, encoding = split_content_type(None if raw is None else raw.decode("latin-1"))
    if mime_type is None:  # no header: Connexion guesses the operation's first media type
        mime_type = default[0] if default else "application/octet-stream"
    return mime_type, encoding or "utf-8"


class _Body(t.NamedTuple):
    validator: t.Any  # the body validator, or None when this media type has none


class _DecidedRequestOperation(RequestValidationOperation):
    """Connexion's request validation of one operation, its validators made once."""

    def __init__(self, next_app: ASGIApp, **kwargs: t.Any) -> None:
        super().__init__(next_app, **kwargs)
        operation = self._operation
        self._parameters = self._validator_map["parameter"](
            operation.parameters,
            uri_parser=operation._uri_parser_class(
                operation.parameters, operation.body_definition()
            ),
            strict_validation=self.strict_validation,
            security_query_params=self.security_query_params,
        )
        self._bodies: dict[bytes | None, _Body] = {}

    def _body(self, raw: bytes | None) -> _Body:
        """What validates a body sent with this Content-Type (raises as Connexion does)."""
        operation = self._operation
        mime_type, encoding = _split(raw, operation.consumes)
        self.validate_mime_type(mime_type)
        schema = operation.body_schema(mime_type)
        validator_cls = self._validator_map["body"].get(mime_type) if schema else None
        if validator_cls is None:
            return _Body(None)
        return _Body(
            validator_cls(
                schema=schema,
                required=operation.request_body.get("required", False),
                nullable=is_nullable(operation.body_definition(mime_type)),
                encoding=encoding,
                strict_validation=self.strict_validation,
                uri_parser=operation.uri_parser_class(
                    operation.parameters, operation.body_definition()
                ),
            )
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._parameters.validate(scope)
        raw = _content_type(scope["headers"])
        body = self._bodies.get(raw)
        if body is None:
            body = self._body(raw)
            if len(self._bodies) < _KEPT:
                self._bodies[raw] = body
        if body.validator is not None:
            receive, scope = await body.validator.wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class _DecidedRequestAPI(RequestValidationAPI):
    def make_operation(self, operation: t.Any) -> RequestValidationOperation:
        return _DecidedRequestOperation(
            self.next_app,
            operation=operation,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class DecidedRequestValidation(RequestValidationMiddleware):
    api_cls = _DecidedRequestAPI


class _Answer(t.NamedTuple):
    definition: dict[str, t.Any]  # the response's definition in the contract
    requires_headers: bool  # whether it makes any header required
    validator_cls: t.Any  # the body validator's class, or None
    schema: t.Any
    nullable: bool
    encoding: str


class _DecidedResponseOperation(ResponseValidationOperation):
    """Connexion's response validation of one operation, its lookups made once per status and
    Content-Type. The body validator itself is made per answer: it keeps the request's scope."""

    def __init__(self, next_app: ASGIApp, **kwargs: t.Any) -> None:
        super().__init__(next_app, **kwargs)
        self._answers: dict[tuple[int, bytes | None], _Answer] = {}

    def _answer(self, status: int, raw: bytes | None) -> _Answer:
        operation = self._operation
        mime_type, encoding = _split(raw, operation.produces)
        if status < 400:
            self.validate_mime_type(mime_type)
        definition = operation.response_definition(str(status), mime_type)
        requires_headers = any(
            header.get("required", False) for header in definition.get("headers", {}).values()
        )
        validator_cls = self._validator_map["response"].get(mime_type)
        schema = operation.response_schema(str(status), mime_type) if validator_cls else None
        return _Answer(
            definition, requires_headers, validator_cls, schema, is_nullable(definition), encoding
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def wrapped_send(message: Message) -> None:
            nonlocal send
            if message["type"] == "http.response.start":
                headers = message["headers"]
                key = (message["status"], _content_type(headers))
                answer = self._answers.get(key)
                if answer is None:
                    answer = self._answer(*key)
                    if len(self._answers) < _KEPT:
                        self._answers[key] = answer
                if answer.requires_headers:
                    self.validate_required_headers(headers, answer.definition)
                if answer.validator_cls is not None:
                    send = answer.validator_cls(
                        scope,
                        schema=answer.schema,
                        nullable=answer.nullable,
                        encoding=answer.encoding,
                    ).wrap_send(send)
            await send(message)

        await self.next_app(scope, receive, wrapped_send)


class _DecidedResponseAPI(ResponseValidationAPI):
    def make_operation(self, operation: t.Any) -> ResponseValidationOperation:
        if self.validate_responses:
            return _DecidedResponseOperation(
                self.next_app, operation=operation, validator_map=self.validator_map
            )
        return super().make_operation(operation)


class DecidedResponseValidation(ResponseValidationMiddleware):
    api_cls = _DecidedResponseAPI


class DecidedSwaggerUI(SwaggerUIMiddleware):
    """Swagger UI's middleware, reached only by paths under an API's `<prefix>/ui`."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._ui_paths: tuple[str, ...] = ()

    def add_api(
        self,
        specification: t.Any,
        base_path: str | None = None,
        arguments: dict[str, t.Any] | None = None,
        **kwargs: t.Any,
    ) -> None:
        # Connexion's own two lines, keeping where the API's docs live.
        api = SwaggerUIAPI(
            specification,
            base_path=base_path,
            arguments=arguments,
            default=self.default_fn,
            **kwargs,
        )
        self.router.mount(api.base_path, app=api.router)
        ui_path = api.options.swagger_ui_path.strip().rstrip("/")
        self._ui_paths += (api.base_path.rstrip("/") + ui_path,)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self._ui_paths):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


_DECIDED: dict[type, type] = {
    RequestValidationMiddleware: DecidedRequestValidation,
    ResponseValidationMiddleware: DecidedResponseValidation,
    SwaggerUIMiddleware: DecidedSwaggerUI,
}


def decide_once(app: connexion.FlaskApp) -> None:
    """Put the three classes above in Connexion's places when `app` builds its middleware
    stack (at its first request), after every `add_middleware` has found its position."""
    middleware = app.middleware
    build = middleware._build_middleware_stack

    def build_decided() -> t.Any:
        middleware.middlewares = [_DECIDED.get(m, m) for m in middleware.middlewares]
        return build()

    middleware._build_middleware_stack = build_decided
