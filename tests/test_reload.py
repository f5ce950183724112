"""`sharemock serve --reload`: a changed contract is served without losing state, and the
reloader says which operations were added, removed or changed."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
import yaml

from sharemock.cli import main
from sharemock.config import ENV_DATABASE_URL, Settings
from sharemock.credentials import dev_credential
from sharemock.reload import differences, operations
from tests.conftest import REPO
from tests.serving import Server, request, spawn, stop, wait_until_serving

DEADLINE_S = 30


class Output:
    """The server's merged stdout and stderr, read as it comes by a thread."""

    def __init__(self, server: Server) -> None:
        self.lines: list[str] = []
        assert server.process.stdout is not None
        stream = server.process.stdout
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: Any) -> None:
        with suppress(ValueError, OSError):  # `stop` may close the pipe as a line is read
            for raw in iter(stream.readline, b""):
                self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, needle: str) -> str:
        """The first line holding `needle`, once it is written (bounded)."""
        return until(lambda: next((line for line in self.lines if needle in line), None), self)


def until(probe: Callable[[], Any], output: Output) -> Any:
    """Poll `probe` until it gives something truthy; fail with the server's output if not."""
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting after {DEADLINE_S}s; server said:\n{output.text()}")


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "openapi"
    shutil.copytree(REPO / "openapi", copy)
    return copy


@pytest.fixture
def reloading(tmp_path: Path, spec_dir: Path, settings: Settings) -> Iterator[tuple[str, Output]]:
    """`sharemock serve --reload` on the copied contracts and the test's backend; its base URL
    and output."""
    env = {ENV_DATABASE_URL: settings.database_url} if settings.database_url else None
    server = spawn(tmp_path, "--reload", "--spec-dir", str(spec_dir), env=env)
    wait_until_serving(server)  # it reads the output itself if the server does not start
    output = Output(server)  # what was written meanwhile waits in the pipe
    try:
        yield server.base, output
    finally:
        stop(server)
        output.thread.join(timeout=10)


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def _bearer() -> dict[str, str]:
    token = dev_credential("defdrive", "johndoe", Settings())
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def _summary(base: str, operation_path: str) -> str | None:
    status, _, body = request(base + "/defdrive/openapi.json")
    if status != 200:
        return None
    return str(json.loads(body)["paths"][operation_path]["put"]["summary"])


@pytest.mark.backends
def test_a_changed_contract_is_served_with_the_state_kept(
    reloading: tuple[str, Output], spec_dir: Path
) -> None:
    base, output = reloading
    edit = json.dumps({"name": "Kept across the reload"})
    status, _, body = request(base + "/defdrive/api/access/456", "PUT", edit, **_bearer())
    assert status == 200, body
    assert request(base + "/defdrive/api/files", **_bearer())[0] == 200

    def change(document: dict[str, Any]) -> None:
        paths = document["paths"]
        paths["/api/access/{accessID}"]["put"]["summary"] = "Edit an access record (reloaded)"
        del paths["/api/files"]  # listFiles: the path's only operation
        paths["/api/thing"] = {
            "get": {
                "operationId": "getThing",
                "summary": "Not implemented by the mock yet",
                "responses": {"200": {"description": "A thing."}},
            }
        }

    _edit(spec_dir / "defdrive.yaml", change)

    line = output.wait_for("reloaded openapi/defdrive.yaml")
    assert "+ getThing (GET /api/thing, no handler: answers 500)" in line
    assert "~ updateAccess" in line
    assert "- listFiles" in line
    assert "deployed" not in output.text().split("reloaded", 1)[1]  # other files: no line
    until(
        lambda: _summary(base, "/api/access/{accessID}") == "Edit an access record (reloaded)",
        output,
    )

    status, _, body = request(base + "/defdrive/api/accesses/456", **_bearer())
    assert status == 200, body
    assert json.loads(body)["access"]["name"] == "Kept across the reload"
    assert request(base + "/defdrive/api/files", **_bearer())[0] == 404
    # A new operation without a handler is routed; the provider's 500 says what is missing.
    status, headers, _ = request(base + "/defdrive/api/thing", **_bearer())
    assert status == 500
    assert "has no attribute 'get_thing'" in headers["x-sharemock-detail"]


def test_a_broken_contract_keeps_the_last_good_one_serving(
    reloading: tuple[str, Output], spec_dir: Path
) -> None:
    base, output = reloading
    contract = spec_dir / "defdrive.yaml"
    good = contract.read_text(encoding="utf-8")
    contract.write_text(good.replace("openapi: 3", "openapi: [3", 1), encoding="utf-8")

    line = output.wait_for("not reloaded")
    assert "defdrive.yaml: did not find expected ',' or ']' (line 2)" in line
    assert request(base + "/defdrive/api/files", **_bearer())[0] == 200  # the old worker

    # Well-formed YAML, but not OpenAPI: refused the same way, saying where.
    contract.write_text(good.replace("      responses:", "      responzes:", 1), encoding="utf-8")
    output.wait_for("defdrive.yaml: 'responses' is a required property (at $.paths['/api/login']")
    assert request(base + "/defdrive/api/files", **_bearer())[0] == 200

    contract.write_text(
        good.replace("summary: Update Access", "summary: Update an access", 1), encoding="utf-8"
    )
    assert "~ updateAccess" in output.wait_for("reloaded openapi/defdrive.yaml")
    until(lambda: request(base + "/defdrive/api/files", **_bearer())[0] == 200, output)


def test_reload_refuses_a_memory_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--reload", "--db", ":memory:"]) == 2
    assert "--db :memory: would not survive" in capsys.readouterr().err


def _document(path: str = "/things/{id}", schema_type: str = "object") -> dict[str, Any]:
    ok = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
        }
    }
    return {
        "paths": {
            path: {"get": {"operationId": "getThing", "responses": ok}},
            "/others": {
                "get": {"operationId": "listOthers", "responses": {"200": {"description": "ok"}}}
            },
        },
        "components": {"schemas": {"Thing": {"type": schema_type}}},
    }


def test_differences_follow_refs_and_name_a_moved_route() -> None:
    before = {"x.yaml": operations(_document())}
    assert differences(before, {"x.yaml": operations(_document())}) == {}
    # A schema the operation reaches through $ref changed: the operation changed.
    assert differences(before, {"x.yaml": operations(_document(schema_type="array"))}) == {
        "x.yaml": ["~ getThing"]
    }
    assert differences(before, {"x.yaml": operations(_document("/thing/{id}"))}) == {
        "x.yaml": ["~ getThing (GET /thing/{id})"]
    }
