"""Shared fixtures: a fresh mock app per test, an HTTP client for it, fixture credentials."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import connexion
import pytest
from starlette.testclient import TestClient

from sharemock.app import create_app
from sharemock.config import Settings
from sharemock.credentials import dev_credential

REPO = Path(__file__).resolve().parent.parent


class FrozenClock:
    """A settable clock, so time-based rules are tested without sleeping."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_path=str(tmp_path / "state.db"))


@pytest.fixture
def app(settings: Settings, clock: FrozenClock) -> connexion.FlaskApp:
    return create_app(settings, clock=clock)


@pytest.fixture
def client(app: connexion.FlaskApp) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def credential(settings: Settings) -> Callable[[str, str], str]:
    """`credential(provider, user)`: what that fixture user authenticates with."""
    return lambda provider, user: dev_credential(provider, user, settings)
