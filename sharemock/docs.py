"""What the docs show and pre-fill: Swagger UI 5, the development sign-in, the seed requests.

Swagger UI's assets come from the `flask-swagger-ui` wheel (it tracks Swagger UI's releases
and ships the built `dist/`), so the docs need no network at run time. Connexion renders our
own `swagger_ui/index.j2`, which loads those assets from `/__docs/swagger-ui/` and, once the
document is in, signs in with what `/__docs/credentials/<provider>.json` says: minted when
the page asks, so DefDrive's JWT is always fresh.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from connexion.options import SwaggerUIOptions

from sharemock.config import Settings
from sharemock.mounts import MountedProvider
from sharemock.spec import HTTP_METHODS

DOCS_PREFIX = "/__docs"
TEMPLATE_DIR = Path(__file__).with_name("swagger_ui")


def swagger_ui_dist() -> Path:
    """The directory of Swagger UI 5's built assets."""
    return Path(str(files("flask_swagger_ui") / "dist"))


def swagger_ui_options(name: str) -> SwaggerUIOptions:
    """Connexion's options for one API's Swagger UI: our template, told whose docs it shows.
    Connexion serves no document of its own: `sharemock/served.py` serves the file's."""
    return SwaggerUIOptions(
        serve_spec=False,
        swagger_ui_template_dir=str(TEMPLATE_DIR),
        swagger_ui_template_arguments={"docs": f"../..{DOCS_PREFIX}", "provider": name},
    )


def authorizations(mounted: MountedProvider, settings: Settings) -> list[dict[str, Any]]:
    """Swagger UI's pre-authorizations for the docs user: the contract's first security
    alternative that the user can fill (Oracle's Basic before its bearer), each scheme as
    `{"scheme", "value"}` (an API key or bearer token) or `{"scheme", "user", "password"}`."""
    provider, document = mounted.provider, mounted.spec.document
    if not provider.docs_user:
        return []
    schemes = document.get("components", {}).get("securitySchemes", {})
    for requirement in document.get("security", []):
        filled = [
            _authorization(name, schemes.get(name, {}), mounted, settings) for name in requirement
        ]
        if filled and all(filled):
            return [entry for entry in filled if entry]
    return []


def _authorization(
    name: str, scheme: Mapping[str, Any], mounted: MountedProvider, settings: Settings
) -> dict[str, Any] | None:
    provider = mounted.provider
    user = provider.docs_user
    if scheme.get("type") == "http" and scheme.get("scheme") == "basic":
        if provider.dev_password is None:
            return None
        return {"scheme": name, "user": user, "password": provider.dev_password(user)}
    if scheme.get("type") == "http" and scheme.get("scheme") == "bearer":
        return {"scheme": name, "value": provider.dev_credential(user, settings)}
    if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
        value = provider.dev_headers(user, settings).get(scheme.get("name", ""))
        return {"scheme": name, "value": value} if value else None
    return None


@dataclass(frozen=True)
class SeedRequest:
    """One seed operation as the contract's examples spell it."""

    operation_id: str
    summary: str
    method: str
    template: str  # below the prefix, as the contract has it
    path: str  # below the prefix, the examples filled in
    body: Any

    def curl(
        self, base_url: str, authorization: Sequence[Mapping[str, Any]], schemes: Mapping[str, Any]
    ) -> str:
        """A copy-ready curl of this request against `base_url` (the provider's mount)."""
        lines = [f"curl -X {self.method} {shlex.quote(base_url + self.path)}"]
        for entry in authorization:
            if "user" in entry:
                lines.append(f"-u {shlex.quote(entry['user'] + ':' + entry['password'])}")
                continue
            scheme = schemes.get(entry["scheme"], {})
            if scheme.get("type") == "http":
                header = f"Authorization: Bearer {entry['value']}"
            else:
                header = f"{scheme.get('name')}: {entry['value']}"
            lines.append(f"-H {shlex.quote(header)}")
        if self.body is not None:
            lines.append("-H 'Content-Type: application/json'")
            lines.append(f"-d {shlex.quote(json.dumps(self.body, ensure_ascii=False, indent=2))}")
        return " \\\n  ".join(lines)


def seed_requests(mounted: MountedProvider) -> list[SeedRequest]:
    """The provider's seed operations, in the provider's order, with their examples."""
    spec = mounted.spec
    found: dict[str, SeedRequest] = {}
    for template, item in spec.document.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not operation or operation.get("operationId") not in mounted.provider.seeds:
                continue
            path = template
            for raw in [*item.get("parameters", []), *operation.get("parameters", [])]:
                parameter = spec.resolve(raw)
                if parameter.get("in") == "path" and "example" in parameter:
                    path = path.replace("{" + parameter["name"] + "}", str(parameter["example"]))
            content = spec.resolve(operation.get("requestBody", {})).get("content", {})
            body = content.get("application/json", {}).get("example")
            found[operation["operationId"]] = SeedRequest(
                operation["operationId"],
                operation.get("summary", ""),
                method.upper(),
                template,
                path,
                body,
            )
    return [found[seed] for seed in mounted.provider.seeds if seed in found]


def add_docs_routes(
    app: Any, mounted: Sequence[MountedProvider], settings: Settings, own_specs: Mapping[str, str]
) -> None:
    """Serve Swagger UI's assets, the docs' sign-in per provider and the contracts' source
    files (`own_specs`: the mock's own APIs' names and spec files) under `/__docs`."""
    from flask import abort, jsonify, send_from_directory

    by_name = {m.provider.name: m for m in mounted}
    spec_files = {
        **{m.provider.name: m.provider.spec_file for m in mounted},
        **own_specs,
    }
    dist = swagger_ui_dist()

    def asset(name: str) -> Any:
        return send_from_directory(dist, name, max_age=3600)

    def credentials(name: str) -> Any:
        if name not in by_name and name not in own_specs:
            abort(404)
        found = by_name.get(name)
        signed_in = authorizations(found, settings) if found else []
        user = found.provider.docs_user if found and signed_in else None
        response = jsonify({"user": user, "authorizations": signed_in})
        response.headers["Cache-Control"] = "no-store"  # a fresh token per visit
        return response

    def contract(name: str) -> Any:
        if name not in spec_files:
            abort(404)
        return send_from_directory(settings.spec_dir, spec_files[name], mimetype="text/yaml")

    app.add_url_rule(f"{DOCS_PREFIX}/swagger-ui/<path:name>", "docs_asset", asset)
    app.add_url_rule(f"{DOCS_PREFIX}/credentials/<name>.json", "docs_credentials", credentials)
    app.add_url_rule(f"{DOCS_PREFIX}/contracts/<name>.yaml", "docs_contract", contract)
