"""The import arrows of ARCHITECTURE.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

ASSEMBLY = {
    "sharemock.app",
    "sharemock.cli",
    "sharemock.edge",
    "sharemock.index",
    "sharemock.docs",
    "sharemock.served",
    "sharemock.spec_validation",
    "sharemock.decided",
    "sharemock.guards",
    "sharemock.mounts",
    "sharemock.xml_bodies",
    "sharemock.json_keys",
    "sharemock.request_body",
    "sharemock.limits",
    "sharemock.contract_hooks",
    "sharemock.reload",
    "sharemock.tail",
    "sharemock.admin_access",
    # The validation proxy is the top layer, beside the CLI that starts it.
    "sharemock.proxy",
    "sharemock.proxy.app",
    "sharemock.proxy.contract",
    "sharemock.proxy.report",
    # `sharemock verify` (sharemock/verify/): a top layer like the assembly, a client of HTTP.
    "sharemock.verify",
    "sharemock.verify.command",
    "sharemock.verify.drift",
    "sharemock.verify.options",
    "sharemock.verify.outcome",
    "sharemock.verify.output",
    "sharemock.verify.profiles",
    "sharemock.verify.runner",
}
# The top layer: the pytest plugin starts the assembled app for a test; nothing imports it.
TOP = {"sharemock.pytest_plugin"}
VERIFY = "sharemock.verify"
CORE = {
    "sharemock.errors",
    "sharemock.provider",
    "sharemock.config",
    "sharemock.runtime",
    "sharemock.spec",
    "sharemock.database",
    "sharemock.postgres",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


SOURCES = {
    _module_name(path): _imports(path)
    for root in ("sharemock", "handlers")
    for path in sorted((REPO / root).rglob("*.py"))
}


def _violations(module: str, forbidden: set[str]) -> list[str]:
    return sorted(
        name
        for name in SOURCES[module]
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )


@pytest.mark.parametrize("module", sorted(m for m in SOURCES if m in CORE))
def test_core_imports_no_provider_handler_or_assembly(module: str) -> None:
    assert not _violations(module, {"sharemock.providers", "handlers", *ASSEMBLY})


@pytest.mark.parametrize(
    "module", sorted(m for m in SOURCES if m.startswith("sharemock.providers."))
)
def test_provider_imports_no_handler_assembly_or_other_provider(module: str) -> None:
    own = ".".join(module.split(".")[:3])
    others = {
        name
        for name in SOURCES
        if name.startswith("sharemock.providers.") and not name.startswith(own)
    }
    assert not _violations(module, {"handlers", *ASSEMBLY, *others})


@pytest.mark.parametrize("module", sorted(m for m in SOURCES if m.startswith("handlers")))
def test_handlers_do_not_reach_the_store_or_sql(module: str) -> None:
    store_modules = {name for name in SOURCES if name.endswith(".store")}
    assert not _violations(
        module,
        {
            "sqlite3",
            "psycopg",
            "sharemock.database",
            "sharemock.postgres",
            *store_modules,
            *ASSEMBLY,
        },
    )


CONTROLS = "sharemock.controls"


@pytest.mark.parametrize("module", sorted(m for m in SOURCES if m.startswith(CONTROLS)))
def test_controls_import_no_handler_provider_or_the_rest_of_the_assembly(module: str) -> None:
    # The controls act on any provider through its contract and error shape, never its code;
    # of the assembly they use only `mounts` (the contracts as served).
    assembly = ASSEMBLY - {"sharemock.mounts"}
    assert not _violations(module, {"handlers", "sharemock.providers", *assembly})


@pytest.mark.parametrize(
    "module", sorted(m for m in SOURCES if m.startswith("handlers") and m != "handlers.admin")
)
def test_provider_handlers_know_nothing_of_the_controls(module: str) -> None:
    assert not _violations(module, {CONTROLS})


JOURNAL = "sharemock.journal"


@pytest.mark.parametrize("module", sorted(m for m in SOURCES if m.startswith(JOURNAL)))
def test_journal_imports_no_handler_provider_or_the_rest_of_the_assembly(module: str) -> None:
    # Like the controls, the journal knows providers by their contracts only; of the
    # controls it reads the delivery's marks and a request's session.
    assembly = ASSEMBLY - {"sharemock.mounts"}
    assert not _violations(module, {"handlers", "sharemock.providers", *assembly})


@pytest.mark.parametrize("module", sorted(m for m in SOURCES if m.startswith(CONTROLS)))
def test_controls_know_nothing_of_the_journal(module: str) -> None:
    assert not _violations(module, {JOURNAL})


@pytest.mark.parametrize(
    "module", sorted(m for m in SOURCES if m.startswith("handlers") and m != "handlers.admin")
)
def test_provider_handlers_know_nothing_of_the_journal(module: str) -> None:
    assert not _violations(module, {JOURNAL})


PROXY = "sharemock.proxy"


@pytest.mark.parametrize(
    "module", sorted(m for m in SOURCES if not m.startswith(PROXY) and m != "sharemock.cli")
)
def test_only_the_cli_knows_the_proxy(module: str) -> None:
    # The proxy sits on top: it uses the contracts' checks, nothing serves through it.
    assert not _violations(module, {PROXY})


def test_every_proxy_module_is_in_the_top_layer() -> None:
    assert {m for m in SOURCES if m.startswith(PROXY)} <= ASSEMBLY


@pytest.mark.parametrize("module", sorted(m for m in SOURCES if m not in TOP))
def test_nothing_imports_the_pytest_plugin(module: str) -> None:
    assert not _violations(module, TOP)


@pytest.mark.parametrize("module", sorted(TOP))
def test_the_plugin_uses_the_assembly_s_entry_points_only(module: str) -> None:
    # The app as `create_app` assembles it, the settings, the provider descriptors; never a
    # layer's insides (a store, the handlers, the controls or the journal).
    allowed = {"sharemock.app", "sharemock.config", "sharemock.provider", "sharemock.providers"}
    used = {name for name in SOURCES[module] if name.startswith(("sharemock", "handlers"))}
    assert sorted(used - allowed) == []


@pytest.mark.parametrize("module", sorted(m for m in SOURCES if m.startswith(VERIFY)))
def test_verify_talks_http_only(module: str) -> None:
    # It checks any server over HTTP: never the app, handlers, stores, controls or journal.
    stores = {name for name in SOURCES if name.endswith(".store")}
    assert not _violations(
        module,
        {
            "handlers",
            "sharemock.app",
            "sharemock.database",
            "sharemock.state",
            "sharemock.controls",
            "sharemock.journal",
            *stores,
        },
    )


def test_every_verify_module_is_in_the_top_layer() -> None:
    assert {m for m in SOURCES if m.startswith(VERIFY)} <= ASSEMBLY
