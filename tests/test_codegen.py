"""A client generated from each served contract with openapi-python-client works, fully typed.

As a new user would: the document from `<prefix>/openapi.json`, `openapi-python-client
generate`, then the seed's request through the generated client against the app (in process:
the generated client's httpx client is a Starlette test client). The generated models must
parse the answer with no field left untyped (no `Any`, nothing in `additional_properties`),
and the generator may warn only about what it cannot do at all (XML and `text/plain` bodies).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from starlette.testclient import TestClient

from sharemock.app import ADMIN_PREFIX, create_app
from sharemock.config import Settings
from sharemock.docs import SeedRequest, seed_requests
from sharemock.mounts import MountedProvider
from sharemock.provider import Provider, snake_case
from sharemock.providers import PROVIDERS
from sharemock.spec import ProviderSpec, load_document
from tests.oracle.conftest import AA_FILE, AA_FOLDER

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "sharemock_codegen_"
# What openapi-python-client cannot generate at all, and says so: Oracle's XML and text/plain
# request bodies (the JSON one of each operation is generated).
_CANNOT = re.compile(r"Unsupported content type (application/xml|text/plain)")
_ANY = re.compile(r"\bAny\b")


def _package(prefix: str) -> str:
    return PACKAGE + prefix.strip("/").replace("-", "_")


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app(Settings(db_path=":memory:"))


@pytest.fixture(scope="module")
def generated(
    app: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, ModuleType]]:
    """prefix -> the package generated from the contract the app serves there (all at once:
    the generators run side by side)."""
    root = tmp_path_factory.mktemp("codegen")
    config = root / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter: the code is imported, not read
    client = TestClient(app)
    runs = {}
    for prefix in [p.prefix for p in PROVIDERS] + [ADMIN_PREFIX]:
        document = root / f"{_package(prefix)}.json"
        document.write_text(client.get(f"{prefix}/openapi.json").text)
        command = [str(GENERATOR), "generate", "--path", str(document), "--meta", "none"]
        command += ["--output-path", str(root / _package(prefix)), "--config", str(config)]
        runs[prefix] = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    for prefix, run in runs.items():
        output, _ = run.communicate(timeout=120)
        assert run.returncode == 0, output
        warnings = [
            line
            for line in output.splitlines()
            if line.strip()
            and not line.startswith(("Generating ", "WARNING parsing ", "Warning(s) encountered"))
            and ("warn" in line.lower() or "unsupported" in line.lower() or "error" in line.lower())
        ]
        unexpected = [line for line in warnings if not _CANNOT.search(line)]
        assert not unexpected, f"{prefix}: {unexpected}\n{output}"
        if not warnings:
            assert "Warning(s) encountered" not in output, output
    sys.path.insert(0, str(root))
    try:
        yield {prefix: importlib.import_module(_package(prefix)) for prefix in runs}
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[name]


def _client(package: ModuleType, app: Any, prefix: str, headers: dict[str, str]) -> Any:
    client = package.Client(base_url=f"http://testserver{prefix}", raise_on_unexpected_status=True)
    return client.set_httpx_client(
        TestClient(app, base_url=f"http://testserver{prefix}", headers=headers)
    )


def _operation(package: ModuleType, operation_id: str) -> ModuleType:
    api = Path(package.__file__).parent / "api"
    (found,) = api.glob(f"*/{snake_case(operation_id)}.py")
    return importlib.import_module(f"{package.__name__}.api.{found.parent.name}.{found.stem}")


def _untyped_fields(package: ModuleType) -> list[str]:
    """Every generated model field whose annotation is `Any` or only `Unset`."""
    models = Path(package.__file__).parent / "models"
    found = []
    for module_file in sorted(models.glob("*.py")):
        module = importlib.import_module(f"{package.__name__}.models.{module_file.stem}")
        for value in vars(module).values():
            if not (attrs.has(value) and value.__module__ == module.__name__):
                continue
            for name, annotation in value.__annotations__.items():
                if name == "additional_properties":
                    continue
                if _ANY.search(str(annotation)) or str(annotation).strip() == "Unset":
                    found.append(f"{value.__name__}.{name}: {annotation}")
    return found


def _leftovers(parsed: Any, where: str = "") -> list[str]:
    """Where a parsed answer kept a field in `additional_properties`: one no model typed."""
    if isinstance(parsed, list):
        return [x for i, item in enumerate(parsed) for x in _leftovers(item, f"{where}/{i}")]
    if not attrs.has(type(parsed)):
        return []
    # A closed schema's model (`additionalProperties: false`) has none: `_call` compares keys.
    found = [f"{where}/{key}" for key in getattr(parsed, "additional_properties", {})]
    for field in attrs.fields(type(parsed)):
        if field.name != "additional_properties":
            found += _leftovers(getattr(parsed, field.name), f"{where}/{field.name}")
    return found


def _same(mine: Any, theirs: Any) -> bool:
    """The JSON the model writes back says what the answer said (an instant may be respelt:
    `Z` as `+00:00`)."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return mine.keys() == theirs.keys() and all(_same(mine[k], theirs[k]) for k in mine)
    if isinstance(mine, list) and isinstance(theirs, list):
        return len(mine) == len(theirs) and all(map(_same, mine, theirs))
    if isinstance(mine, str) and isinstance(theirs, str) and mine != theirs:
        try:
            return datetime.fromisoformat(mine) == datetime.fromisoformat(theirs)
        except ValueError:
            return False
    return bool(mine == theirs)


def _path_values(seed: SeedRequest) -> dict[str, str]:
    """The seed's path parameters, by name, as its path has them filled in."""
    names = re.findall(r"\{([^}]+)\}", seed.template)
    pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(seed.template))
    match = re.fullmatch(pattern, seed.path)
    assert match, (seed.template, seed.path)
    return dict(zip(names, match.groups(), strict=True))


def _kind(annotation: Any, module: ModuleType) -> Any:
    """The type an annotation names (a string where the module postpones annotations)."""
    return eval(annotation, vars(module)) if isinstance(annotation, str) else annotation


def _arguments(operation: ModuleType, values: dict[str, str]) -> dict[str, Any]:
    """The generated function's path arguments for `values`, as the types it asks for."""
    flat = {name.replace("_", "").lower(): value for name, value in values.items()}
    parameters = operation.sync_detailed.__annotations__
    arguments = {}
    for name, annotation in parameters.items():
        if name in ("client", "body", "return") or name.replace("_", "").lower() not in flat:
            continue
        arguments[name] = _kind(annotation, operation)(flat[name.replace("_", "").lower()])
    assert len(arguments) == len(values), (parameters, values)
    return arguments


def _call(operation: ModuleType, client: Any, body: Any = None, **arguments: Any) -> Any:
    if body is not None:
        model = _kind(operation.sync_detailed.__annotations__["body"], operation).from_dict(body)
        assert _leftovers(model) == []  # every field of the seed's body is typed
        assert set(model.to_dict()) == set(body)  # and sent
        arguments["body"] = model
    response = operation.sync_detailed(client=client, **arguments)
    assert response.status_code == 200, response.content
    parsed = response.parsed
    assert attrs.has(type(parsed)) and not isinstance(parsed, Enum), parsed
    assert _leftovers(parsed) == []
    assert _same(parsed.to_dict(), json.loads(response.content))
    return parsed


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_a_generated_client_sends_the_seed_and_reads_the_answer_fully_typed(
    app: Any, generated: dict[str, ModuleType], provider: Provider
) -> None:
    package = generated[provider.prefix]
    assert _untyped_fields(package) == []
    document = load_document(Settings().spec_dir / provider.spec_file)
    seeds = seed_requests(MountedProvider(provider, ProviderSpec(document)))
    assert [s.operation_id for s in seeds] == list(provider.seeds)
    headers = provider.dev_headers(provider.docs_user, Settings())
    client = _client(package, app, provider.prefix, headers)
    for seed in seeds:
        operation = _operation(package, seed.operation_id)
        _call(operation, client, seed.body, **_arguments(operation, _path_values(seed)))


@pytest.mark.parametrize(
    ("operation_id", "item"), [("listFileLinks", AA_FILE), ("listFolderLinks", AA_FOLDER)]
)
def test_oracles_link_lists_keep_their_200(
    app: Any, generated: dict[str, ModuleType], operation_id: str, item: str
) -> None:
    """Generated from an inlined copy, these lost their 200 ("conflicting enums")."""
    package = generated["/oracle"]
    oracle = next(p for p in PROVIDERS if p.prefix == "/oracle")
    client = _client(package, app, "/oracle", oracle.dev_headers(oracle.docs_user, Settings()))
    operation = _operation(package, operation_id)
    arguments = _arguments(operation, {"version": "1.1", operation_id[4:-5].lower() + "Id": item})
    parsed = _call(operation, client, **arguments)
    assert type(parsed).__name__ == operation_id[4:-5] + "LinksResponse"


def test_the_admin_api_generates_typed_too(app: Any, generated: dict[str, ModuleType]) -> None:
    package = generated[ADMIN_PREFIX]
    assert _untyped_fields(package) == []
    client = _client(package, app, ADMIN_PREFIX, {})
    assert type(_call(_operation(package, "getControls"), client)).__name__ == "Controls"
