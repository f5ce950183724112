"""One provider's contract as the proxy checks an exchange against it.

The contract is loaded from the package's spec files (`Settings().spec_dir`, the provider's
`spec_file`), its `$ref`s inlined once (Connexion's `resolve_refs`, as Connexion itself reads
it). The checks are the mock's own wherever it has them:

- parameters: `validation.TypedParameterValidator` with Connexion's URI parser (the same
  coercion of path, query and header strings, every failing parameter a `Reason`);
- bodies: Connexion's Draft 4 request and response validators (OpenAPI 3.0's `nullable`,
  `writeOnly` in answers) behind `fast_verdicts`' jsonschema_rs first pass, each error a
  `Reason` as `validation.schema_reason` words it; XML bodies read by `xml_bodies` as the
  schema describes them, as the mock reads them;
- the operation: `spec.ProviderSpec`'s templates, literal segments first.

What the mock's validation cannot see because it is the server, the proxy adds: a status the
operation does not document, a response's media type and required headers, a request that
broke the contract yet was not refused (`negative_data_rejection`), and an answer given
without the credentials the operation requires (`ignored_auth`). Check names follow
Schemathesis's where they mean the same.
"""

from __future__ import annotations

import json
import re
import typing as t
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

from connexion.exceptions import BadRequestProblem, ExtraParameterProblem
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator, resolve_refs
from connexion.lifecycle import ConnexionRequest
from connexion.uri_parsing import OpenAPIURIParser
from jsonschema import Draft4Validator

from sharemock.config import Settings
from sharemock.errors import Reason
from sharemock.fast_verdicts import Verdict, compile_verdict
from sharemock.negotiation import is_json_media_type, media_type
from sharemock.provider import Provider
from sharemock.spec import HTTP_METHODS, PathTemplate, ProviderSpec, load_document
from sharemock.validation import (
    BodyProblem,
    ParameterProblem,
    TypedParameterValidator,
    schema_reason,
)
from sharemock.xml_bodies import is_xml_media_type, parse_xml, xml_to_json

_FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER
_PARAMETER = re.compile(r"\{([^}/]+)\}")
TEXT = "text/plain"

# The checks, by side. Request: what the client sent; response: what the server answered.
OPERATION = "operation"
PARAMETERS = "parameters"
REQUEST_BODY = "request_body"
STATUS = "status_code_conformance"
CONTENT_TYPE = "content_type_conformance"
HEADERS = "response_headers_conformance"
RESPONSE_BODY = "response_schema_conformance"
REJECTION = "negative_data_rejection"
IGNORED_AUTH = "ignored_auth"


@dataclass(frozen=True)
class Violation:
    """One way an exchange broke the contract: its side, the check, and the reason."""

    side: str  # "request" or "response"
    check: str
    reason: Reason

    def to_json(self) -> dict[str, t.Any]:
        return {"side": self.side, "check": self.check, **self.reason.to_json()}

    def summary(self) -> str:
        where = f" {self.reason.pointer}" if self.reason.pointer else ""
        return f"{self.side} {self.check}{where}: {self.reason.message}"


@dataclass
class CheckedRequest:
    """What the request check found, kept for the response's check."""

    method: str
    path: str
    operation: Operation | None = None
    violations: list[Violation] = field(default_factory=list)
    credentials: bool = True  # the request carries a credential the operation accepts

    @property
    def operation_id(self) -> str | None:
        return None if self.operation is None else self.operation.operation_id


def _media_for(content: t.Mapping[str, t.Any], content_type: str | None) -> str | None:
    """The documented media type a `Content-Type` falls under (exact, `type/*`, `*/*`)."""
    kind = media_type(content_type)
    if kind in content:
        return kind
    major = kind.split("/")[0]
    for candidate in (f"{major}/*", "*/*"):
        if candidate in content:
            return candidate
    return None


class _Schemas:
    """A body schema's compiled checks: the fast verdict first, jsonschema's words after."""

    def __init__(self, *, answer: bool) -> None:
        self._answer = answer
        self._entries: dict[int, tuple[t.Any, Verdict | None, Draft4Validator]] = {}

    def reasons(self, schema: t.Any, value: t.Any) -> list[Reason]:
        entry = self._entries.get(id(schema))
        if entry is None or entry[0] is not schema:
            kind = Draft4ResponseValidator if self._answer else Draft4RequestValidator
            entry = (
                schema,
                compile_verdict(schema, answer=self._answer),
                kind(schema, format_checker=_FORMAT_CHECKER),
            )
            self._entries[id(schema)] = entry
        _, verdict, validator = entry
        if verdict is not None and verdict(value):
            return []
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        return [schema_reason(error) for error in errors]


class Operation:
    """One operation of the contract, with what checking it needs made once."""

    def __init__(
        self,
        contract: Contract,
        template: PathTemplate,
        method: str,
        item: dict[str, t.Any],
    ) -> None:
        self.template = template
        self.method = method
        self.definition: dict[str, t.Any] = item[method]
        self.operation_id: str = self.definition.get("operationId") or f"{method} {template}"
        self.names = tuple(_PARAMETER.findall(template.template))
        merged = {(p["name"], p["in"]): p for p in item.get("parameters", [])}
        merged.update({(p["name"], p["in"]): p for p in self.definition.get("parameters", [])})
        self.parameters = list(merged.values())
        body = self.definition.get("requestBody") or {}
        self.body_required = bool(body.get("required"))
        self.body_content: dict[str, t.Any] = body.get("content", {})
        body_definition: dict[str, t.Any] = next(iter(self.body_content.values()), {})
        self.uri_parser = OpenAPIURIParser(self.parameters, body_definition)
        self.parameter_validator = TypedParameterValidator(
            self.parameters,
            uri_parser=self.uri_parser,
            strict_validation=contract.provider.strict_validation,
        )
        security = self.definition.get("security", contract.document.get("security", []))
        self.security: list[dict[str, t.Any]] = list(security or [])
        self.responses: dict[str, t.Any] = self.definition.get("responses", {})

    def response_for(self, status: int) -> dict[str, t.Any] | None:
        responses = self.responses
        found = responses.get(str(status)) or responses.get(f"{status // 100}XX")
        return found or responses.get("default")


class Contract:
    """A provider's contract, its operations found by method and path below the prefix."""

    def __init__(self, provider: Provider, document: dict[str, t.Any]) -> None:
        self.provider = provider
        self.document: dict[str, t.Any] = resolve_refs(document)
        self.spec = ProviderSpec(self.document)
        self._schemes: dict[str, t.Any] = self.document.get("components", {}).get(
            "securitySchemes", {}
        )
        paths = self.document.get("paths", {})
        self._operations = [
            Operation(self, template, method, paths[template.template])
            # Literal segments win over parameters, as in the router (`/a/b` before `/a/{x}`).
            for template in sorted(self.spec.templates, key=lambda t: t.arity)
            for method in template.methods
        ]
        self._request_schemas = _Schemas(answer=False)
        self._response_schemas = _Schemas(answer=True)

    @classmethod
    def load(cls, provider: Provider, settings: Settings | None = None) -> Contract:
        settings = settings or Settings()
        return cls(provider, load_document(settings.spec_dir / provider.spec_file))

    # -- the request --------------------------------------------------------------------

    def check_request(
        self,
        method: str,
        path: str,
        query_string: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
    ) -> CheckedRequest:
        """Check a request (`path` below the prefix; `body` None: not read, too big)."""
        checked = CheckedRequest(method.upper(), path)
        found = self._find(method, path)
        if found is None:
            if method.lower() in HTTP_METHODS:
                failure = self.spec.explain_miss(path, method)
                reason = Reason("route", failure.kind.value, failure.detail)
            else:
                reason = Reason("route", "method", f"{method} is not an OpenAPI method")
            checked.violations.append(Violation("request", OPERATION, reason))
            return checked
        operation, values = found
        checked.operation = operation
        scope = {
            "type": "http",
            "method": method.upper(),
            "path": path,
            "query_string": query_string,
            "headers": headers,
            "path_params": values,
        }
        for reason in self._parameter_reasons(operation, scope):
            checked.violations.append(Violation("request", PARAMETERS, reason))
        content_type = _header(headers, b"content-type")
        for reason in self._body_reasons(operation, content_type, body):
            checked.violations.append(Violation("request", REQUEST_BODY, reason))
        checked.credentials = self._has_credentials(operation, headers, query_string)
        return checked

    def _find(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        method = method.lower()
        for operation in self._operations:
            if operation.method != method:
                continue
            match = operation.template.pattern.fullmatch(path)
            if match is not None:
                return operation, dict(zip(operation.names, match.groups(), strict=True))
        return None

    @staticmethod
    def _parameter_reasons(operation: Operation, scope: dict[str, t.Any]) -> tuple[Reason, ...]:
        request = ConnexionRequest(scope, uri_parser=operation.uri_parser)
        try:
            operation.parameter_validator.validate_request(request)
        except ParameterProblem as problem:
            return problem.reasons
        except ExtraParameterProblem as problem:
            return (Reason("query", "additionalProperties", str(problem.detail)),)
        except BadRequestProblem as problem:
            return (Reason("query", "schema", str(problem.detail)),)
        return ()

    def _body_reasons(
        self, operation: Operation, content_type: str | None, body: bytes | None
    ) -> list[Reason]:
        if body is None:  # too big to read: not checked (the caller says so)
            return []
        content = operation.body_content
        if not body:
            if operation.body_required:
                return [Reason("body", "required", "the operation requires a request body")]
            return []
        if not content:
            return []
        documented = _media_for(content, content_type)
        if documented is None and content_type is None and TEXT in content:
            documented = TEXT  # Oracle's toolkit posts JSON unlabelled, as the mock reads it
        if documented is None:
            listed = ", ".join(content)
            message = f"Content-Type {content_type or '(none)'} is not documented ({listed})"
            return [Reason("media", "media_type", message)]
        schema = content[documented].get("schema")
        if schema is None:
            return []
        try:
            value = _read(documented, content_type, body, schema)
        except _Unreadable as exc:
            return [Reason("body", "readable", f"request body {exc}")]
        except _NotChecked:
            return []
        return self._request_schemas.reasons(schema, value)

    def _has_credentials(
        self, operation: Operation, headers: list[tuple[bytes, bytes]], query_string: bytes
    ) -> bool:
        """Whether the request carries a credential of some accepted alternative (its
        presence only: whether it is good is the server's to say)."""
        if not operation.security or any(not alt for alt in operation.security):
            return True
        query = {name for name, _ in parse_qsl(query_string.decode("latin-1"))}
        cookies = SimpleCookie(_header(headers, b"cookie") or "")
        authorization = (_header(headers, b"authorization") or "").strip()

        def present(name: str) -> bool:
            scheme = self._schemes.get(name, {})
            kind = scheme.get("type")
            if kind == "http":
                word = str(scheme.get("scheme", "")).lower()
                return authorization.lower().startswith(word + " ")
            if kind == "apiKey":
                where, key = scheme.get("in"), str(scheme.get("name", ""))
                if where == "header":
                    return bool(_header(headers, key.lower().encode("latin-1")))
                if where == "query":
                    return key in query
                if where == "cookie":
                    return key in cookies
            return bool(authorization)  # oauth2, openIdConnect: some Authorization

        return any(all(present(name) for name in alt) for alt in operation.security)

    # -- the response -------------------------------------------------------------------

    def check_response(
        self,
        request: CheckedRequest,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
    ) -> list[Violation]:
        """Check the answer to `request` (`body` None: not read, too big)."""
        operation = request.operation
        if operation is None:
            return []
        found: list[Violation] = []
        refused = [v for v in request.violations if v.check in (PARAMETERS, REQUEST_BODY)]
        if refused and not 400 <= status < 500:
            first = refused[0].summary()
            message = f"the request broke the contract ({first}) and was answered {status}"
            message += ", not refused with a 4xx"
            found.append(Violation("response", REJECTION, Reason("status", "refusal", message)))
        if not request.credentials and 200 <= status < 300:
            schemes = " or ".join(" + ".join(alt) for alt in operation.security)
            message = f"answered {status} to a request without the credential it requires"
            found.append(
                Violation(
                    "response", IGNORED_AUTH, Reason("auth", "security", f"{message} ({schemes})")
                )
            )
        response = operation.response_for(status)
        if response is None:
            listed = ", ".join(operation.responses)
            message = f"{status} is not documented for {operation.operation_id} ({listed})"
            found.append(Violation("response", STATUS, Reason("status", "status", message)))
            return found
        found.extend(self._header_violations(response, headers))
        found.extend(self._body_violations(request, status, response, headers, body))
        return found

    @staticmethod
    def _header_violations(
        response: dict[str, t.Any], headers: list[tuple[bytes, bytes]]
    ) -> list[Violation]:
        found = []
        for name, definition in response.get("headers", {}).items():
            if name.lower() == "content-type":
                continue  # OpenAPI: described by `content`, not here
            value = _header(headers, name.lower().encode("latin-1"))
            if value is None:
                if definition.get("required"):
                    reason = Reason("header", "required", f"missing header {name}", "/" + name)
                    found.append(Violation("response", HEADERS, reason))
                continue
            schema = definition.get("schema")
            if not isinstance(schema, dict):
                continue
            coerced: t.Any = value
            try:
                if schema.get("type") == "integer":
                    coerced = int(value)
                elif schema.get("type") == "number":
                    coerced = float(value)
            except ValueError:
                pass
            error = next(
                iter(Draft4Validator(schema, format_checker=_FORMAT_CHECKER).iter_errors(coerced)),
                None,
            )
            if error is not None:
                message = f"header {name}: {error.message}"
                reason = Reason("header", str(error.validator), message, "/" + name)
                found.append(Violation("response", HEADERS, reason))
        return found

    def _body_violations(
        self,
        request: CheckedRequest,
        status: int,
        response: dict[str, t.Any],
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
    ) -> list[Violation]:
        content: dict[str, t.Any] = response.get("content", {})
        if body is None or not content:
            return []
        content_type = _header(headers, b"content-type")
        if not body:
            no_body = request.method == "HEAD" or status in (204, 304)
            if no_body or not all(is_json_media_type(kind) for kind in content):
                return []
            message = f"the answer has no body; the contract documents {', '.join(content)}"
            return [Violation("response", RESPONSE_BODY, Reason("body", "readable", message))]
        documented = _media_for(content, content_type)
        if documented is None:
            listed = ", ".join(content)
            message = f"Content-Type {content_type or '(none)'} is not documented ({listed})"
            return [Violation("response", CONTENT_TYPE, Reason("media", "media_type", message))]
        schema = content[documented].get("schema")
        if schema is None:
            return []
        try:
            value = _read(documented, content_type, body, schema)
        except _Unreadable as exc:
            reason = Reason("body", "readable", f"response body {exc}")
            return [Violation("response", RESPONSE_BODY, reason)]
        except _NotChecked:
            return []
        return [
            Violation("response", RESPONSE_BODY, reason)
            for reason in self._response_schemas.reasons(schema, value)
        ]


class _Unreadable(Exception):
    """A body that does not parse as its media type."""


class _NotChecked(Exception):
    """A body of a media type the proxy does not read (binary, forms)."""


def _read(documented: str, content_type: str | None, body: bytes, schema: t.Any) -> t.Any:
    """The JSON value a body stands for, as its media type is read."""
    if is_json_media_type(documented) or (documented == TEXT and schema.get("type") != "string"):
        try:
            return json.loads(body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise _Unreadable(f"is not valid JSON: {exc}") from exc
    if is_xml_media_type(documented) or is_xml_media_type(content_type):
        try:
            return xml_to_json(parse_xml(body), schema, lambda node: node)
        except BodyProblem as exc:
            raise _Unreadable(str(exc.detail).removeprefix("request body ")) from exc
    if documented.startswith("text/"):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Unreadable(f"is not UTF-8 text: {exc}") from exc
    raise _NotChecked(documented)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    """The first value of header `name` (lower case), if any."""
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None
