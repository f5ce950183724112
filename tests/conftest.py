"""Shared fixtures: a fresh mock app per test, an HTTP client for it, fixture credentials."""

from __future__ import annotations

import os
import shutil
import tempfile
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


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `backends` that use the state run once per backend."""
    if metafunc.definition.get_closest_marker("backends") and "settings" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Where the test's state is: SQLite unless the test runs on every backend."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server's URL for the session (tests/postgres.py); skips without one."""
    from tests import postgres  # it imports tests.serving, which imports this module

    url = os.environ.get(postgres.ENV_URL)
    if url:
        yield url
        return
    # Short (a Unix socket path has a length limit); start_cluster hands it to the server.
    cluster_dir = Path(tempfile.mkdtemp(prefix="sharemock-pg-"))
    try:
        cluster = postgres.start_cluster(cluster_dir)
    except postgres.Unavailable as reason:
        shutil.rmtree(cluster_dir, ignore_errors=True)
        pytest.skip(f"no PostgreSQL server: {reason}")
    try:
        yield cluster.url
    finally:
        postgres.stop_cluster(cluster)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty schema on the PostgreSQL server, for one test."""
    from tests import postgres

    with postgres.fresh_schema(postgres_server) as url:
        yield url


@pytest.fixture
def settings(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Settings:
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
        return Settings(db_path=str(tmp_path / "state.db"), database_url=url)
    return Settings(db_path=str(tmp_path / "state.db"))


@pytest.fixture
def app(settings: Settings, clock: FrozenClock) -> Iterator[connexion.FlaskApp]:
    app = create_app(settings, clock=clock)
    yield app
    app.runtime.database.close()


@pytest.fixture
def client(app: connexion.FlaskApp) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def credential(settings: Settings) -> Callable[[str, str], str]:
    """`credential(provider, user)`: what that fixture user authenticates with."""
    return lambda provider, user: dev_credential(provider, user, settings)
