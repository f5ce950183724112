"""schemathesis.toml: valid, and one project per provider, matched by the contract's title."""

from __future__ import annotations

import tomllib

from schemathesis.config import SchemathesisConfig

from sharemock.providers import PROVIDERS
from sharemock.spec import load_document
from tests.conftest import REPO

CONFIG_FILE = REPO / "schemathesis.toml"


def test_config_loads() -> None:
    SchemathesisConfig.from_path(str(CONFIG_FILE))


def test_every_provider_has_a_project() -> None:
    titles = {project["title"] for project in tomllib.loads(CONFIG_FILE.read_text())["project"]}
    for provider in PROVIDERS:
        document = load_document(REPO / "openapi" / provider.spec_file)
        assert document["info"]["title"] in titles, provider.name


def test_koodrive_dictionaries_name_demos_fixtures() -> None:
    from sharemock.providers.koodrive import fixtures

    dictionaries = tomllib.loads(CONFIG_FILE.read_text())["dictionaries"]
    assert dictionaries["demo-space"]["values"] == [fixtures.DEMO_SPACE]
    assert dictionaries["demo-files"]["values"] == [
        file.id for file in fixtures.FILES if file.container_id == fixtures.DEMO_SPACE
    ]
