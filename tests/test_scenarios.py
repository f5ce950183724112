"""Scenarios: each file loads, and applied to the stored state (or overlaid on it for one
request) makes the real request answer what the scenario's name says."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import connexion
import pytest
from starlette.testclient import TestClient

from sharemock.controls.scenarios import (
    DEFAULT_SCENARIOS,
    Scenario,
    ScenarioError,
    apply,
    load_scenarios,
    overlay,
)
from sharemock.errors import ApiError
from sharemock.providers import PROVIDERS
from sharemock.providers.defdrive import rules as defdrive_rules
from sharemock.state import export_state
from tests.filerobot.conftest import FILE_A, FILE_B
from tests.koodrive.conftest import API as KOODRIVE_API
from tests.koodrive.conftest import DEMO_SHARE
from tests.oracle.conftest import LINK_PATH

# Applying a scenario is an import: the same on every backend.
pytestmark = pytest.mark.backends

SCENARIOS = load_scenarios(DEFAULT_SCENARIOS, PROVIDERS)
LINK_456 = "0c2a8e5b9f6d4e1a8b7c3d2e1f0a9b8c"
SEED_PUID = "sY6mkuRLxuhXh81YccsLSwE0fu"
PUBLIC_SHAREBOX = f"/filerobot/demo/v4/share/{SEED_PUID}"
A_VISITOR = {"X-Forwarded-For": "203.0.113.7"}


@dataclass(frozen=True)
class Shows:
    """The request that shows a scenario, as `(provider, user)` credentials send it (None:
    anonymous), and the answer it gets."""

    method: str
    path: str
    user: tuple[str, str] | None
    status: int
    body: dict[str, Any]
    json: dict[str, Any] | None = None


def _defdrive_refusal(message: str) -> Shows:
    return Shows("GET", f"/defdrive/link/{LINK_456}", None, 403, {"error": message})


ORACLE_LINK_NOT_FOUND = {
    "errorCode": "-16",
    "errorKey": "!csPublicLinkNotFound",
    "errorMessage": "Link ID is not found.",
}
SHOWN = {
    "link-expired": [_defdrive_refusal("Access link has expired")],
    "one-time-link-used": [_defdrive_refusal("Access link has already been used")],
    "file-private": [_defdrive_refusal("Access denied: file or access is not public")],
    "sharebox-expired": [
        Shows(
            "GET", PUBLIC_SHAREBOX, None, 410, {"status": "error", "msg": "This share has expired"}
        )
    ],
    "password-protected": [
        Shows(
            "GET",
            PUBLIC_SHAREBOX,
            None,
            401,
            {"status": "error", "msg": "This share is protected by a password"},
        ),
        Shows(
            "GET",
            f"{PUBLIC_SHAREBOX}?password=wrong",
            None,
            401,
            {"status": "error", "msg": "Wrong password"},
        ),
    ],
    "link-deleted": [
        Shows("GET", LINK_PATH, ("oracle", "useraa"), 404, ORACLE_LINK_NOT_FOUND),
        Shows(
            "PUT", LINK_PATH, ("oracle", "useraa"), 404, ORACLE_LINK_NOT_FOUND, {"role": "viewer"}
        ),
    ],
    "share-cancelled": [
        Shows(
            "GET",
            f"{KOODRIVE_API}/{DEMO_SHARE}",
            ("koodrive", "demo"),
            400,
            {"code": "13000309", "msg": "The resource does not exist."},
        )
    ],
}


def _send(client: TestClient, credential: Callable[[str, str], str], shows: Shows) -> Any:
    headers = dict(A_VISITOR)
    if shows.user is not None:
        provider, user = shows.user
        headers["Authorization"] = f"Bearer {credential(provider, user)}"
    return client.request(shows.method, shows.path, headers=headers, json=shows.json)


def _others(app: connexion.FlaskApp, scenario: Scenario) -> dict[str, Any]:
    """The state of every provider but the scenario's."""
    providers = export_state(app.runtime.database, PROVIDERS)["providers"]
    return {name: rows for name, rows in providers.items() if name != scenario.provider}


def test_the_scenarios_are_the_documented_set_each_of_one_provider() -> None:
    assert {name: s.provider for name, s in SCENARIOS.items()} == {
        "file-private": "defdrive",
        "link-deleted": "oracle",
        "link-expired": "defdrive",
        "one-time-link-used": "defdrive",
        "password-protected": "filerobot",
        "share-cancelled": "koodrive",
        "sharebox-expired": "filerobot",
    }
    assert set(SHOWN) == set(SCENARIOS)
    assert "open-sesame" in SCENARIOS["password-protected"].description


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_an_applied_scenario_answers_what_its_name_says(
    name: str,
    app: connexion.FlaskApp,
    client: TestClient,
    credential: Callable[[str, str], str],
) -> None:
    scenario = SCENARIOS[name]
    others = _others(app, scenario)
    apply(app.runtime.database, PROVIDERS, scenario)
    stored = export_state(app.runtime.database, PROVIDERS, only=scenario.provider)
    assert stored["providers"] == scenario.document["providers"]

    for shows in SHOWN[name]:
        response = _send(client, credential, shows)
        assert (response.status_code, response.json()) == (shows.status, shows.body)
    assert _others(app, scenario) == others
    # Applying it again leaves the same state (the refusals above wrote nothing).
    apply(app.runtime.database, PROVIDERS, scenario)
    assert export_state(app.runtime.database, PROVIDERS, only=scenario.provider) == stored


def test_the_password_opens_the_protected_sharebox(
    app: connexion.FlaskApp, client: TestClient
) -> None:
    apply(app.runtime.database, PROVIDERS, SCENARIOS["password-protected"])
    response = client.get(f"{PUBLIC_SHAREBOX}?password=open-sesame")
    assert response.status_code == 200, response.text
    assert [entry["uuid"] for entry in response.json()["files"]] == [FILE_A, FILE_B]


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_an_overlay_holds_the_scenario_and_nothing_else(name: str) -> None:
    scenario = SCENARIOS[name]
    database = overlay(scenario, PROVIDERS)
    try:
        exported = export_state(database, PROVIDERS, only=scenario.provider)
    finally:
        database.close()
    assert exported["providers"] == scenario.document["providers"]


def test_a_request_on_an_overlay_sees_the_scenario_and_leaves_the_stored_state(
    app: connexion.FlaskApp,
) -> None:
    stored = app.runtime.database
    before = export_state(stored, PROVIDERS)
    now = datetime.now(UTC)
    first = overlay(SCENARIOS["link-expired"], PROVIDERS)
    try:
        with pytest.raises(ApiError, match="Access link has expired"):
            defdrive_rules.use_link(first, LINK_456, "203.0.113.7", now)
        # A request may write its overlay: the stored state and the next overlay don't see it.
        defdrive_rules.delete_access(first, 15, 456)
    finally:
        first.close()
    second = overlay(SCENARIOS["link-expired"], PROVIDERS)
    try:
        assert defdrive_rules.get_access(second, 15, 456).settings.expires
    finally:
        second.close()
    with pytest.raises(ApiError, match="Access denied: file or access is not public"):
        defdrive_rules.use_link(stored, LINK_456, "203.0.113.7", now)
    assert export_state(stored, PROVIDERS) == before


def _scenario_file(directory: Path, name: str, document: Any) -> Path:
    path = directory / f"{name}.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


GOOD = SCENARIOS["link-expired"].document
TWO_PROVIDERS = {**GOOD["providers"], **SCENARIOS["link-deleted"].document["providers"]}
UNDESCRIBED = {key: value for key, value in GOOD.items() if key != "description"}
STRAY_COLUMN = {"defdrive": {"defdrive_users": [{"nick": "x"}]}}


@pytest.mark.parametrize(
    ("name", "document", "reason"),
    [
        ("broken", "{", "Expecting property name"),
        ("two", {**GOOD, "providers": TWO_PROVIDERS}, "exactly one provider, not 2"),
        ("none", {**GOOD, "providers": {}}, "exactly one provider, not 0"),
        ("undescribed", UNDESCRIBED, '"description" must be one line'),
        ("null", {**GOOD, "description": None}, '"description" is null, not a string'),
        ("blank", {**GOOD, "description": " "}, '"description" must be one line'),
        ("two-lines", {**GOOD, "description": "one\ntwo"}, '"description" must be one line'),
        ("Capitals", GOOD, "not lower-case words joined by hyphens"),
        ("old", {**GOOD, "sharemock": "state/0"}, "\"sharemock\" is 'state/0'"),
        ("stray", {**GOOD, "providers": STRAY_COLUMN}, "no column 'nick'"),
    ],
)
def test_a_bad_scenario_file_is_refused_naming_the_file(
    tmp_path: Path, name: str, document: Any, reason: str
) -> None:
    _scenario_file(tmp_path, "fine", SCENARIOS["link-expired"].document)
    path = _scenario_file(tmp_path, name, document)
    with pytest.raises(ScenarioError) as refused:
        load_scenarios(tmp_path, PROVIDERS)
    assert str(refused.value).startswith(f"{path}: not a scenario:\n- ")
    assert reason in str(refused.value)
