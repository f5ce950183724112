"""How Connexion reaches Flask, with what Connexion redoes on every request done once.

Connexion's FlaskApp puts two costs on every request that a mock with fast handlers feels
more than anything else (measured in bench/README.md):

- **a2wsgi's thread hop.** Every request runs on a worker thread and each response message
  comes back through `run_coroutine_threadsafe`: a hand-off, a queue, futures and GIL switches
  per request, more than half of the mock's CPU per request. `InlineWSGI` runs Flask where the
  request already is, on the event loop's thread: the body is read (the validators have
  buffered it already), Flask answers, the answer is sent whole. A handler does a few
  milliseconds of SQLite work at most and its answers are small; throughput comes from worker
  processes (`sharemock serve --workers`), not threads.
- **Decorators rebuilt per request.** `FlaskOperation.fn` builds the parameter and response
  decorators, inspects the handler's signature and makes a URI parser on every call, and
  turns each parameter name into its Python name with regular expressions each time.
  `_DecidedApi` routes every operation to a view whose decorators were built once.
"""

from __future__ import annotations

import functools
import io
import typing as t

import connexion
from a2wsgi.wsgi import build_environ
from connexion.apps.flask import FlaskApi, FlaskOperation
from connexion.decorators import FlaskDecorator
from connexion.decorators.parameter import (
    SyncParameterDecorator,
    inspect_function_arguments,
    prep_kwargs,
    unwrap_decorators,
)
from connexion.http_facts import FORM_CONTENT_TYPES
from starlette.types import Message, Receive, Scope, Send

WSGIApp = t.Callable[[dict[str, t.Any], t.Callable[..., t.Any]], t.Iterable[bytes]]


class InlineWSGI:
    """An ASGI app running a WSGI app synchronously, one buffered answer per request."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        if body is None:  # the client went away before the body arrived
            return
        environ = build_environ(scope, io.BytesIO(body))  # type: ignore[arg-type]
        answer: dict[str, t.Any] = {}
        chunks: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
        ) -> t.Callable[[bytes], None]:
            if exc_info is not None:  # an error page replaces the answer: nothing is sent yet
                chunks.clear()
            answer["status"] = int(status.split(" ", 1)[0])
            answer["headers"] = [
                (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers
            ]
            return chunks.append

        iterable = self.app(t.cast(dict[str, t.Any], environ), start_response)
        try:
            chunks.extend(iterable)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        await send(
            {
                "type": "http.response.start",
                "status": answer["status"],
                "headers": answer["headers"],
            }
        )
        await send({"type": "http.response.body", "body": b"".join(chunks)})


async def _read_body(receive: Receive) -> bytes | None:
    parts: list[bytes] = []
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            return None
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return parts[0] if len(parts) == 1 else b"".join(parts)


async def _lifespan(receive: Receive, send: Send) -> None:
    """Flask has no lifespan: acknowledge start-up and shut-down."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class _Parameters(SyncParameterDecorator):
    """Connexion's parameter decorator, its signature read and names converted once, and the
    form parsed only for a form body: for any other body werkzeug's `files` is always empty,
    and reading it costs 5 % of a request."""

    def __call__(self, function: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        arguments, has_kwargs = inspect_function_arguments(unwrap_decorators(function))
        sanitize = functools.lru_cache(maxsize=None)(self.sanitize_fn)  # a pure function

        @functools.wraps(function)
        def wrapper(request: t.Any) -> t.Any:
            body = self._maybe_get_body(request, arguments=arguments, has_kwargs=has_kwargs)
            files = request.files() if request.mimetype in FORM_CONTENT_TYPES else {}
            kwargs = prep_kwargs(
                request,
                request_body=body,
                files=files,
                arguments=arguments,
                has_kwargs=has_kwargs,
                sanitize=sanitize,
            )
            return function(**kwargs)

        return wrapper


class _DecidedDecorator(FlaskDecorator):
    """Connexion's Flask decorator, with the decorated handler built once.

    The URI parser needs the routed operation, which Connexion's context holds only during a
    request, so it is made on the first request and kept: a view always serves one operation.
    """

    def __call__(self, function: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        decorated = self.decorate(function)
        uri_parser: t.Any = None

        @functools.wraps(function)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            nonlocal uri_parser
            if uri_parser is None:
                uri_parser = self.uri_parser
            return decorated(self.framework.get_request(uri_parser=uri_parser))

        return wrapper

    @property
    def _parameter_decorator_cls(self) -> type[SyncParameterDecorator]:
        return _Parameters


class _DecidedOperation(FlaskOperation):
    """A routed view whose decorators were built when it was."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        decorator = _DecidedDecorator(
            pythonic_params=self.pythonic_params, jsonifier=self.jsonifier
        )
        self._decided = decorator(self._fn)

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        return self._decided(*args, **kwargs)


class _DecidedApi(FlaskApi):
    def make_operation(self, operation: t.Any) -> FlaskOperation:
        return _DecidedOperation.from_operation(
            operation, pythonic_params=self.pythonic_params, jsonifier=self.jsonifier
        )


def glue(app: connexion.FlaskApp) -> None:
    """Make `app` reach Flask inline, through views decorated once (both above).

    Connexion 3.3 (pinned) builds its Flask side in `FlaskASGIApp`, which offers no hook for
    either: its ASGI adapter and `add_api` are replaced on the instance, before any API is
    added (Connexion adds them when it builds its middleware stack, at the first request).
    """
    flask_side = app._middleware_app
    flask_side.asgi_app = InlineWSGI(flask_side.app.wsgi_app)

    def add_api(specification: t.Any, *, name: str | None = None, **kwargs: t.Any) -> FlaskApi:
        api = _DecidedApi(specification, **kwargs)
        flask_side.app.register_blueprint(api.blueprint, **({"name": name} if name else {}))
        return api

    flask_side.add_api = add_api
