"""Connexion validators that say *what* failed, and compile each schema only once.

Connexion's stock validators raise a bare `BadRequestProblem` with a message string, and
build a new jsonschema validator on every request. These subclasses raise typed problems
(which parameter, which body pointer) so the edge can answer in each provider's own words,
report every body error at once, and cache the compiled validators per schema.
"""

from __future__ import annotations

import json
import typing as t

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import (
    BadRequestProblem,
    ExtraParameterProblem,
    NonConformingResponseBody,
    UnsupportedMediaTypeProblem,
)
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator
from connexion.lifecycle import ConnexionRequest
from connexion.utils import is_null, is_nullable
from connexion.validators import (
    VALIDATOR_MAP,
    JSONRequestBodyValidator,
    JSONResponseBodyValidator,
    MultiPartFormDataValidator,
    ParameterValidator,
)
from jsonschema import Draft4Validator, ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.types import Scope

from sharemock.errors import Reason
from sharemock.fast_verdicts import Verdict, compile_verdict

_FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER


class ParameterProblem(BadRequestProblem):
    """A path, query, header or cookie parameter failed its schema (or is missing)."""

    def __init__(
        self, location: str, name: str, detail: str, reasons: tuple[Reason, ...] = ()
    ) -> None:
        super().__init__(detail=detail)
        self.location = location
        self.name = name
        # Every parameter that failed (the first is `name`), for the request journal.
        self.reasons = reasons or (Reason(location, "schema", detail, "/" + name),)


class BodyProblem(BadRequestProblem):
    """The request body is missing, unparseable or fails its schema."""

    def __init__(
        self, detail: str, errors: tuple[str, ...] = (), reasons: tuple[Reason, ...] = ()
    ) -> None:
        super().__init__(detail=detail)
        self.errors = errors or (detail,)
        # Each schema error with its pointer and keyword, for the request journal.
        self.reasons = reasons or (Reason("body", "readable", detail),)


_Compiled = t.TypeVar("_Compiled")


class _ValidatorCache(t.Generic[_Compiled]):
    """What `factory` compiles of a schema, keyed by the identity of the (long-lived) schema."""

    def __init__(self, factory: t.Callable[[dict[str, t.Any]], _Compiled]) -> None:
        self._factory = factory
        self._entries: dict[int, tuple[dict[str, t.Any], _Compiled]] = {}

    def get(self, schema: dict[str, t.Any]) -> _Compiled:
        entry = self._entries.get(id(schema))
        if entry is None or entry[0] is not schema:
            entry = (schema, self._factory(schema))
            self._entries[id(schema)] = entry
        return entry[1]


_parameter_validators = _ValidatorCache(
    lambda schema: Draft4Validator(schema, format_checker=_FORMAT_CHECKER)
)
_request_validators = _ValidatorCache(
    lambda schema: Draft4RequestValidator(schema, format_checker=_FORMAT_CHECKER)
)
_response_validators = _ValidatorCache(
    lambda schema: Draft4ResponseValidator(schema, format_checker=_FORMAT_CHECKER)
)
# A valid body or parameter is the common case: jsonschema_rs says so first
# (sharemock/fast_verdicts.py). Parameters are checked by plain Draft 4, which differs from the
# request translation only for `null`, a value a parameter never reaches the check with.
_request_verdicts = _ValidatorCache(lambda schema: compile_verdict(schema, answer=False))
_response_verdicts = _ValidatorCache(lambda schema: compile_verdict(schema, answer=True))


def _fast_accepts(verdicts: _ValidatorCache[Verdict | None], schema: t.Any, value: t.Any) -> bool:
    """True if `value` is valid against `schema`; False means "ask jsonschema"."""
    verdict = verdicts.get(schema)
    return verdict is not None and verdict(value)


def _pointer(error: ValidationError) -> str:
    return "/" + "/".join(str(part) for part in error.absolute_path)


def _describe(error: ValidationError) -> str:
    path = _pointer(error)
    return error.message if path == "/" else f"{path}: {error.message}"


def schema_reason(error: ValidationError) -> Reason:
    """A body error as the journal keeps it; a missing member's pointer names the member."""
    pointer = _pointer(error)
    if error.validator == "required" and isinstance(error.validator_value, list):
        missing = next(
            (m for m in error.validator_value if error.message.startswith(repr(m))), None
        )
        if missing is not None:
            escaped = str(missing).replace("~", "~0").replace("/", "~1")
            pointer = pointer.rstrip("/") + "/" + escaped
    return Reason("body", str(error.validator), error.message, pointer)


def _body_problem(errors: list[ValidationError]) -> BodyProblem:
    """Every schema error of a body, worded and as reasons (pointer, keyword, message)."""
    described = tuple(_describe(error) for error in errors)
    reasons = tuple(schema_reason(error) for error in errors)
    return BodyProblem("; ".join(described), described, reasons)


class TypedParameterValidator(ParameterValidator):
    """Parameter validation raising `ParameterProblem` with the parameter's name."""

    @staticmethod
    def _check(location: str, value: t.Any, param: dict[str, t.Any]) -> Reason | None:
        """Why `value` fails `param`, if it does (the reason's message is the detail)."""
        if is_nullable(param) and is_null(value):
            return None
        name = param["name"]
        if value is None:
            if param.get("required"):
                return Reason(
                    location, "required", f"missing {location} parameter {name!r}", "/" + name
                )
            return None
        schema = param.get("schema", param)
        if _fast_accepts(_request_verdicts, schema, value):
            return None
        error = next(iter(_parameter_validators.get(schema).iter_errors(value)), None)
        if error is None:
            return None
        message = f"{location} parameter {name!r}: {error.message}"
        return Reason(location, str(error.validator), message, "/" + name)

    def validate_request(self, request: ConnexionRequest) -> None:
        if self.strict_validation:
            extra = self.validate_query_parameter_list(
                request, security_params=self.security_query_params
            )
            if extra:
                raise ExtraParameterProblem(param_type="query", extra_params=sorted(extra))
        sources: tuple[tuple[str, t.Callable[[str], t.Any]], ...] = (
            ("path", lambda name: request.path_params.get(name.replace("-", "_"))),
            ("query", lambda name: request.query_params.get(name)),
            ("header", lambda name: request.headers.get(name)),
            ("cookie", lambda name: request.cookies.get(name)),
        )
        # Every failing parameter is found (the journal lists them all); the first is answered.
        # (Each source is read only if a parameter is there: cookies are parsed on first use.)
        reasons = [
            reason
            for location, read in sources
            for param in self.parameters.get(location, ())
            if (reason := self._check(location, read(param["name"]), param)) is not None
        ]
        if reasons:
            first = reasons[0]
            name = (first.pointer or "/")[1:]
            raise ParameterProblem(first.where, name, first.message, tuple(reasons))


# How deep a request body may nest (objects and arrays): no provider's body goes past 4.
MAX_DEPTH = 64
# The integers a body may hold as integers: 64-bit, as every store and decoder the providers
# use (Go's int, Java's long, SQLite's INTEGER). A longer literal is read as a number, as
# JavaScript reads it: where the contract wants an integer it is then refused by the schema
# (as Go refuses it for an int field), and in a member no operation reads it is ignored (as
# Go skips it). Never `int()` of it: Python refuses 4,300 digits, SQLite 64 bits.
INT64 = range(-(1 << 63), 1 << 63)


def _integer(text: str) -> int | float:
    if len(text) < 19:  # within int64 whatever its digits
        return int(text)
    value = int(text) if len(text) <= 20 else None
    if value is None or value not in INT64:
        return float(text)  # inf past ~309 digits: refused as any infinity is
    return value


_DECODER = json.JSONDecoder(parse_int=_integer)


def parse_json(raw: bytes, encoding: str = "utf-8") -> t.Any:
    """A request body's JSON, or `BodyProblem` saying why not.

    Refused: what is not JSON or not `encoding`, nesting past `MAX_DEPTH`, a lone surrogate,
    and a NUL character in a string or a key (see docs/decisions.md, "Hostile input"). An
    integer past 64 bits is read as a float (`_integer`). Duplicate keys: the last wins, as
    Go's and JavaScript's decoders do. The common body pays two `bytes.count` and a substring
    search.
    """
    try:
        body = _DECODER.decode(raw.decode(encoding))
    except (UnicodeDecodeError, LookupError, json.JSONDecodeError) as exc:
        raise BodyProblem(f"request body is not valid JSON: {exc}") from exc
    except RecursionError as exc:  # the decoder's own recursion, ~1,000 deep
        raise _too_deep() from exc
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth(body) > MAX_DEPTH:
        raise _too_deep()
    if b"\\u" in raw or b"\\U" in raw:
        # JSON may escape lone surrogates ("\ud800"), which no UTF-8 store can hold.
        try:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BodyProblem("request body holds an unpaired surrogate") from exc
        if b"\\u0000" in raw:
            pointer = _nul_at(body, "")
            if pointer is not None:
                message = f"{pointer or '/'}: a NUL character (\\u0000) is not allowed"
                reason = Reason("body", "noNul", message, pointer or "/")
                raise BodyProblem(message, reasons=(reason,))
    return body


def _too_deep() -> BodyProblem:
    return BodyProblem(f"request body nests deeper than {MAX_DEPTH} levels")


def _depth(value: t.Any) -> int:
    """How deep `value` nests (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _nul_at(value: t.Any, pointer: str) -> str | None:
    """The JSON pointer of the first string or key holding a NUL, if any (depth is bounded)."""
    if isinstance(value, str):
        return pointer if "\x00" in value else None
    if isinstance(value, dict):
        for key, child in value.items():
            escaped = key.replace("~", "~0").replace("/", "~1")
            if "\x00" in key:
                return f"{pointer}/{escaped}"
            found = _nul_at(child, f"{pointer}/{escaped}")
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found = _nul_at(child, f"{pointer}/{index}")
            if found is not None:
                return found
    return None


def _has_content_type(scope: Scope) -> bool:
    return any(name == b"content-type" for name, _ in scope["headers"])


class TypedJSONBodyValidator(JSONRequestBodyValidator):
    """JSON body validation raising `BodyProblem` listing every schema error."""

    @property
    def _validator(self) -> Draft4Validator:
        return _request_validators.get(self._schema)

    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        raw = b"".join([message async for message in stream])
        if not raw:
            return None
        if not _has_content_type(scope):
            # Connexion would guess JSON and pass the handler the bytes (a 500); a client that
            # says nothing about its body is refused as a wrong one is. (Oracle's operations
            # read an unlabelled body as JSON: XmlBodies labels it before this.)
            raise UnsupportedMediaTypeProblem(detail="request body has no Content-Type")
        return parse_json(raw, self._encoding)

    def _validate(self, body: t.Any) -> dict[str, t.Any] | None:
        if not self._nullable and body is None:
            raise BodyProblem("request body must not be empty")
        if _fast_accepts(_request_verdicts, self._schema, body):
            return None
        errors = sorted(self._validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            raise _body_problem(errors)
        return None


class _ClosingMultiPartParser(MultiPartParser):
    """Starlette's parser, refusing a malformed form as a `BodyProblem` and closing the
    spooled files it made once the form is read.

    Validation only needs the parts' names (Connexion replaces files by placeholders); the
    handler reads the replayed body itself. Left open, each upload's temporary file is
    finalised by the garbage collector with a ResourceWarning.
    """

    async def parse(self) -> FormData:
        try:
            form = await super().parse()
        except MultiPartException as exc:
            raise BodyProblem(f"request body is not a readable multipart form: {exc}") from exc
        for _, value in form.multi_items():
            if isinstance(value, UploadFile):
                await value.close()
        return form


class TypedMultiPartValidator(MultiPartFormDataValidator):
    """Multipart body validation raising `BodyProblem`, without leaking spooled files."""

    @property
    def _form_parser_cls(self) -> type[MultiPartParser]:
        return _ClosingMultiPartParser

    def _validate(self, body: t.Any) -> dict[str, t.Any] | None:
        if not isinstance(body, dict):
            raise BodyProblem("the form could not be read")
        errors = sorted(self._validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            raise _body_problem(errors)
        return None


class TypedJSONResponseValidator(JSONResponseBodyValidator):
    """Response validation with a cached validator (the mock checks its own answers)."""

    @property
    def validator(self) -> Draft4Validator:
        return _response_validators.get(self._schema)

    def _validate(self, body: t.Any) -> None:
        if _fast_accepts(_response_verdicts, self._schema, body):
            return
        error = next(iter(self.validator.iter_errors(body)), None)
        if error is not None:
            raise NonConformingResponseBody(
                detail=f"Response body does not conform to specification. {_describe(error)}"
            )


def validator_map() -> dict[str, t.Any]:
    """Connexion's validator map with sharemock's typed validators in place."""
    body = MediaTypeDict(
        {
            **VALIDATOR_MAP["body"],
            "*/*json": TypedJSONBodyValidator,
            "multipart/form-data": TypedMultiPartValidator,
        }
    )
    response = MediaTypeDict({**VALIDATOR_MAP["response"], "*/*json": TypedJSONResponseValidator})
    return {"parameter": TypedParameterValidator, "body": body, "response": response}
