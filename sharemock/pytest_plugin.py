"""The `sharemock` pytest fixture: the mock in the test's own process, over real HTTP.

Installed with sharemock (entry point `pytest11`), so a client's test suite needs no
conftest::

    def test_files(sharemock):
        response = httpx.get(
            sharemock.url_for("defdrive") + "/api/files",
            headers=sharemock.credentials("defdrive"),
        )
        assert response.status_code == 200
        assert sharemock.admin.requests()[0]["operation"] == "listFiles"

- `sharemock`: fresh state for each test. One server a session (started by the first test
  that asks, on a free loopback port, in a background thread), brought back before each
  test to what a new server holds: the fixtures' rows and identities, no rules, the real
  clock, no snapshots, an empty journal.
- `sharemock_module`: one server for the test module, whose state carries from one test to
  the next (tests that build on each other). It is a server of its own: a test in the module
  that uses `sharemock` does not reset it.
- `sharemock_settings` (session scope): the `Settings` both use, an in-memory database by
  default; override the fixture in a conftest.py for others (`latency`, `chaos`, `seed`,
  `scenarios_dir`, `spec_dir`, `validate_responses`, `journal_size`, `jwt_secret`).

Nothing of the mock is imported or started until a test asks for one of these fixtures: a
suite that has sharemock installed but does not use it only loads this module.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from sharemock.config import Settings

if TYPE_CHECKING:
    import uvicorn
    from connexion import FlaskApp

    from sharemock.provider import Provider

ADMIN_PREFIX = "/__admin"  # sharemock.app.ADMIN_PREFIX, without importing the app here
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


class MockServer:
    """The mock app (`create_app`) served by uvicorn in a daemon thread, on a loopback port
    bound before it starts (no race for the port)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app: FlaskApp | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.url = ""

    def start(self) -> None:
        # Connexion, jsonschema and Starlette warn of their own deprecations on import: not
        # the test's to see, nor to fail on in a suite that turns warnings into errors.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import uvicorn

            from sharemock.app import create_app
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self.app = create_app(self.settings)
        listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(("127.0.0.1", 0))
        listening.listen(128)
        self._socket = listening
        host, port = listening.getsockname()
        self.url = f"http://{host}:{port}"
        config = uvicorn.Config(
            self.app,
            log_config=None,  # the test process's logging is left as it is
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,  # a client's open stream does not hold the teardown
        )
        self._server = server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [listening]}, name="sharemock", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("sharemock did not start (see the captured log)")
            time.sleep(0.005)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_S)
        if self._socket is not None:
            self._socket.close()
        if self.app is not None:
            runtime = self.app.runtime
            if runtime.journal is not None:
                runtime.journal.close()
            runtime.database.close()
        self._server = self._thread = self._socket = self.app = None


class AdminError(Exception):
    """An admin API call the mock refused: its status and problem body."""

    def __init__(self, status: int, problem: Any) -> None:
        detail = problem.get("detail") if isinstance(problem, dict) else problem
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.problem = problem


def _json_request(method: str, url: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    outgoing = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(outgoing, timeout=10) as response:
            text = response.read()
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            problem: Any = json.loads(raw)
        except ValueError:
            problem = raw.decode(errors="replace")
        raise AdminError(error.code, problem) from None
    return json.loads(text) if text else None


def _query(values: Mapping[str, Any]) -> str:
    chosen = {key: value for key, value in values.items() if value is not None}
    return "?" + urllib.parse.urlencode(chosen) if chosen else ""


class Admin:
    """The mock's controls and journal (`/__admin`, `openapi/admin.yaml`), as Python calls."""

    def __init__(self, base_url: str) -> None:
        self.url = base_url + ADMIN_PREFIX

    def call(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        """Any admin operation: `call("GET", "/rules")`; the decoded JSON answer (None for
        204); `AdminError` for a refusal."""
        return _json_request(method, f"{self.url}{path}{_query(query)}", body)

    # The controls -------------------------------------------------------------------------

    def controls(self) -> dict[str, Any]:
        """Server-wide latency and chaos, how many rules, the clock, how many scenarios."""
        result: dict[str, Any] = self.call("GET", "/")
        return result

    def rule(self, answer: Mapping[str, Any], **when: Any) -> dict[str, Any]:
        """Make a rule: `rule({"code": 403}, provider="defdrive", operation="updateAccess",
        times=1)`; `when` takes `provider`, `operation`, `path`, `body`, `times`,
        `probability`, `session`. The rule as it holds (with its `id`)."""
        result: dict[str, Any] = self.call("POST", "/rules", {**when, "answer": dict(answer)})
        return result

    def force(
        self,
        provider: str,
        operation: str | None = None,
        *,
        times: int | None = 1,
        **answer: Any,
    ) -> dict[str, Any]:
        """The next `times` requests (None: every one) to `provider`'s `operation` (None: any)
        are answered as `answer` says: `force("defdrive", "createAccess", code=403)`,
        `force("koodrive", fault="reset", times=None)`, `delay="800"`, `example=...`."""
        when: dict[str, Any] = {"provider": provider}
        if operation is not None:
            when["operation"] = operation
        if times is not None:
            when["times"] = times
        return self.rule(answer, **when)

    def rules(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("GET", "/rules")["rules"]
        return result

    def delete_rule(self, rule_id: str) -> None:
        self.call("DELETE", f"/rules/{urllib.parse.quote(rule_id, safe='')}")

    def clear_rules(self) -> None:
        self.call("DELETE", "/rules")

    def clock(self) -> dict[str, Any]:
        """The mock's time (`now`), the real one, and the offset between them."""
        result: dict[str, Any] = self.call("GET", "/clock")
        return result

    def advance(self, by: timedelta | str) -> dict[str, Any]:
        """Move the mock's clock on: a `timedelta`, or an ISO 8601 duration (`PT25H`)."""
        duration = by if isinstance(by, str) else f"PT{by.total_seconds():g}S"
        result: dict[str, Any] = self.call("POST", "/clock", {"advance": duration})
        return result

    def set_clock(self, moment: datetime | str) -> dict[str, Any]:
        """The mock's time becomes `moment` (an aware datetime, or ISO 8601 text) and ticks on."""
        instant = moment if isinstance(moment, str) else moment.isoformat()
        result: dict[str, Any] = self.call("POST", "/clock", {"set": instant})
        return result

    def real_clock(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/clock", {"real": True})
        return result

    def scenarios(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("GET", "/scenarios")["scenarios"]
        return result

    def scenario(self, name: str) -> dict[str, Any]:
        """Apply a scenario: its provider's state becomes the scenario's."""
        result: dict[str, Any] = self.call("POST", f"/scenarios/{urllib.parse.quote(name)}")
        return result

    # The state ----------------------------------------------------------------------------

    def reset(self, provider: str | None = None, *, keep_controls: bool = False) -> dict[str, Any]:
        """Every provider's rows (or `provider`'s) back to the fixtures; unless
        `keep_controls`, no rules and the real clock."""
        keep = "controls" if keep_controls else None
        result: dict[str, Any] = self.call("POST", "/reset", provider=provider, keep=keep)
        return result

    def state(self, provider: str | None = None) -> dict[str, Any]:
        """The stored rows, as a state document (`sharemock state export` writes the same)."""
        result: dict[str, Any] = self.call("GET", "/state", provider=provider)
        return result

    def import_state(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the state of the providers `document` names by its rows."""
        result: dict[str, Any] = self.call("PUT", "/state", dict(document))
        return result

    def snapshot(self, name: str | None = None) -> dict[str, Any]:
        """Keep the state under an id (the answer's `id`) to `restore` later."""
        result: dict[str, Any] = self.call("POST", "/snapshots", {"name": name} if name else None)
        return result

    def snapshots(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("GET", "/snapshots")["snapshots"]
        return result

    def restore(self, snapshot_id: str) -> dict[str, Any]:
        quoted = urllib.parse.quote(snapshot_id, safe="")
        result: dict[str, Any] = self.call("POST", f"/snapshots/{quoted}/restore")
        return result

    def delete_snapshot(self, snapshot_id: str) -> None:
        self.call("DELETE", f"/snapshots/{urllib.parse.quote(snapshot_id, safe='')}")

    # The journal --------------------------------------------------------------------------

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """The requests the mock served, newest first, each with every reason it was refused;
        filters: `provider`, `operation`, `status`, `session`, `since`, `until`, `limit`."""
        result: list[dict[str, Any]] = self.call("GET", "/requests", **filters)["requests"]
        return result

    def request(self, request_id: int) -> dict[str, Any]:
        """One request in full: headers, bodies, near-misses."""
        result: dict[str, Any] = self.call("GET", f"/requests/{int(request_id)}")
        return result

    def clear_requests(self) -> None:
        self.call("DELETE", "/requests")

    # --------------------------------------------------------------------------------------

    def fresh(self) -> None:
        """What a new server holds: the fixtures, no rules, the real clock, no snapshots, an
        empty journal (cleared last: the calls before it are journaled)."""
        self.reset()
        for snapshot in self.snapshots():
            self.delete_snapshot(snapshot["id"])
        try:
            self.clear_requests()
        except AdminError as exc:
            if exc.status != 404:  # 404: the journal is off (journal_size=0)
                raise


class Sharemock:
    """What a test gets from the `sharemock` fixture: where the mock is, how to sign in to
    each provider, and its controls and journal (`admin`)."""

    def __init__(self, server: MockServer) -> None:
        self.server = server
        self.url: str = server.url
        self.settings: Settings = server.settings
        self.admin = Admin(server.url)

    def __repr__(self) -> str:
        return f"<sharemock at {self.url}>"

    @property
    def app(self) -> FlaskApp:
        """The in-process app (its `runtime` holds the database), for what HTTP cannot do."""
        assert self.server.app is not None, "the mock is stopped"
        return self.server.app

    @property
    def providers(self) -> list[str]:
        """The mounted providers' names (dialects too: `defdrive-deployed`)."""
        from sharemock.providers import PROVIDERS

        return [provider.name for provider in PROVIDERS]

    def _provider(self, name: str) -> Provider:
        from sharemock.providers import provider_named

        return provider_named(name)

    def url_for(self, provider: str) -> str:
        """The base URL of `provider`'s API: `http://127.0.0.1:PORT/defdrive`."""
        return self.url + self._provider(provider).prefix

    def token(self, provider: str, user: str | None = None) -> str:
        """The credential a fixture user sends (DefDrive: a fresh JWT, as its login issues;
        Filerobot: the project's key), `user` defaulting to the one the docs sign in as."""
        found = self._provider(provider)
        return found.dev_credential(user or found.docs_user, self.settings)

    def credentials(self, provider: str, user: str | None = None) -> dict[str, str]:
        """The request headers a fixture user authenticates with (`Authorization: Bearer
        ...`, or the provider's own header)."""
        found = self._provider(provider)
        return found.dev_headers(user or found.docs_user, self.settings)

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """The journal, newest first (`admin.requests`)."""
        return self.admin.requests(**filters)


def _started(settings: Settings) -> MockServer:
    server = MockServer(settings)
    server.start()
    return server


@pytest.fixture(scope="session")
def sharemock_settings() -> Settings:
    """How the plugin's servers run; override for other settings (an in-memory database by
    default, so each server starts from the fixtures and leaves no file behind)."""
    return Settings(db_path=":memory:")


@pytest.fixture(scope="session")
def _sharemock_session_server(sharemock_settings: Settings) -> Iterator[MockServer]:
    server = _started(sharemock_settings)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sharemock(_sharemock_session_server: MockServer) -> Sharemock:
    """The mock for this test, in this process, at `sharemock.url`, with fresh state."""
    mock = Sharemock(_sharemock_session_server)
    mock.admin.fresh()
    return mock


@pytest.fixture(scope="module")
def sharemock_module(sharemock_settings: Settings) -> Iterator[Sharemock]:
    """A mock for this test module, whose state carries from one test to the next."""
    server = _started(sharemock_settings)
    try:
        yield Sharemock(server)
    finally:
        server.stop()
