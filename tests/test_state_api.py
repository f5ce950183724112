"""The state as a file (issue 11, "Observe"): exported and imported through the admin API and
the CLI, snapshots shared by every app on the database, and `sharemock serve --state`."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from sharemock.app import create_app
from sharemock.cli import main
from sharemock.config import Settings
from sharemock.controls import snapshots
from sharemock.controls.scenarios import DEFAULT_SCENARIOS
from tests.serving import request, serve, spawn

EXPIRED = DEFAULT_SCENARIOS / "link-expired.json"
LINK = "/defdrive/link/0c2a8e5b9f6d4e1a8b7c3d2e1f0a9b8c"
OWNERS = ["defdrive", "filerobot", "oracle", "koodrive"]


def _state(client: TestClient, provider: str | None = None) -> Any:
    answer = client.get("/__admin/state", params={"provider": provider} if provider else None)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _expire_the_link(client: TestClient) -> None:
    """A change away from the fixtures: DefDrive's access 456 has expired."""
    assert client.post("/__admin/scenarios/link-expired").status_code == 200
    assert client.get(LINK).json() == {"error": "Access link has expired"}


@pytest.mark.backends
def test_an_export_imports_back_after_a_reset(client: TestClient) -> None:
    _expire_the_link(client)
    exported = _state(client)
    assert exported["sharemock"] == "state/1"
    assert list(exported["providers"]) == OWNERS

    assert client.post("/__admin/reset").status_code == 200
    assert _state(client) != exported
    answer = client.put("/__admin/state", json=exported)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"providers": OWNERS}
    assert _state(client) == exported
    assert client.get(LINK).json() == {"error": "Access link has expired"}


@pytest.mark.backends
def test_a_bad_import_is_refused_with_every_reason_and_changes_nothing(
    client: TestClient,
) -> None:
    before = _state(client)
    document = copy.deepcopy(before)
    document["providers"]["defdrive"] = {}  # would empty DefDrive: not imported either
    document["providers"]["oracle"]["oracle_users"][0]["display_name"] = 7
    document["providers"]["dropbox"] = {}

    answer = client.put("/__admin/state", json=document)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["reasons"] == [
        "oracle.oracle_users[0].display_name: the column holds a string (TEXT), not an integer",
        "dropbox: no such provider owns state (known: defdrive, filerobot, oracle, koodrive)",
    ]
    assert all(reason in problem["detail"] for reason in problem["reasons"])
    assert _state(client) == before


@pytest.mark.backends
def test_rows_the_database_refuses_are_reasons_too(client: TestClient) -> None:
    before = _state(client)
    document = {"sharemock": "state/1", "providers": copy.deepcopy(before["providers"])}
    document["providers"]["koodrive"]["koodrive_containers"] = []  # files in no space

    answer = client.put("/__admin/state", json=document)
    assert answer.status_code == 400
    (reason,) = answer.json()["reasons"]
    assert reason.startswith("koodrive.koodrive_files[0]: ")
    assert _state(client) == before


def test_a_body_that_is_no_document_is_refused_with_its_reasons(client: TestClient) -> None:
    for body in ("[]", "not json"):
        answer = client.put(
            "/__admin/state", content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 400
        problem = answer.json()
        assert problem["reasons"] and problem["reasons"][0] in problem["detail"]


@pytest.mark.backends
def test_one_providers_state_exports_and_imports_alone(client: TestClient) -> None:
    koodrive = _state(client, "koodrive")
    assert list(koodrive["providers"]) == ["koodrive"]
    _expire_the_link(client)
    assert client.post("/__admin/scenarios/share-cancelled").status_code == 200
    defdrive = _state(client, "defdrive")

    assert client.put("/__admin/state", json=koodrive).json() == {"providers": ["koodrive"]}
    assert _state(client, "koodrive") == koodrive
    assert _state(client, "defdrive") == defdrive  # untouched
    assert client.get("/__admin/state", params={"provider": "dropbox"}).status_code == 400


@pytest.mark.backends
def test_a_snapshot_restores_the_state_it_kept(client: TestClient) -> None:
    before = _state(client)
    answer = client.post("/__admin/snapshots", json={"name": "fixtures"})
    assert answer.status_code == 201, answer.text
    kept = answer.json()
    assert (kept["name"], kept["providers"]) == ("fixtures", OWNERS)
    unnamed = client.post("/__admin/snapshots").json()
    assert unnamed["name"] is None
    listed = client.get("/__admin/snapshots").json()["snapshots"]
    assert [snapshot["id"] for snapshot in listed] == [unnamed["id"], kept["id"]]  # newest first

    _expire_the_link(client)
    client.post("/__admin/clock", json={"advance": "PT1H"})
    answer = client.post(f"/__admin/snapshots/{kept['id']}/restore")
    assert answer.status_code == 200
    assert answer.json() == kept
    assert _state(client) == before
    assert client.get("/__admin/clock").json()["offsetSeconds"] >= 3600  # a state, not controls

    assert client.delete(f"/__admin/snapshots/{kept['id']}").status_code == 204
    assert client.post(f"/__admin/snapshots/{kept['id']}/restore").status_code == 404
    assert client.delete(f"/__admin/snapshots/{kept['id']}").status_code == 404
    assert [s["id"] for s in client.get("/__admin/snapshots").json()["snapshots"]] == [
        unnamed["id"]
    ]


def test_snapshots_are_shared_by_every_app_on_the_database(tmp_path: Path) -> None:
    settings = Settings(db_path=str(tmp_path / "state.db"))
    first, second = create_app(settings), create_app(settings)
    try:
        with TestClient(first) as one, TestClient(second) as other:
            before = _state(one)
            kept = one.post("/__admin/snapshots", json={"name": "shared"}).json()
            assert other.get("/__admin/snapshots").json()["snapshots"] == [kept]
            _expire_the_link(other)
            assert other.post(f"/__admin/snapshots/{kept['id']}/restore").status_code == 200
            assert _state(one) == before
    finally:
        first.runtime.database.close()
        second.runtime.database.close()


def test_the_oldest_snapshots_are_dropped_past_the_bound(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshots, "KEPT", 3)
    made = [client.post("/__admin/snapshots").json()["id"] for _ in range(5)]
    listed = client.get("/__admin/snapshots").json()["snapshots"]
    assert [snapshot["id"] for snapshot in listed] == made[:1:-1]


def test_a_snapshot_that_no_longer_fits_is_refused_with_its_reasons(
    client: TestClient, app: Any
) -> None:
    before = _state(client)
    kept = client.post("/__admin/snapshots").json()
    stale = copy.deepcopy(before)
    stale["providers"]["defdrive"]["defdrive_files"][0]["colour"] = "red"  # an older schema's
    with app.runtime.database.transaction() as conn:
        conn.execute("UPDATE sharemock_snapshots SET document = ?", (json.dumps(stale),))
    _expire_the_link(client)
    changed = _state(client)

    answer = client.post(f"/__admin/snapshots/{kept['id']}/restore")
    assert answer.status_code == 409
    (reason,) = answer.json()["reasons"]
    assert reason.startswith("defdrive.defdrive_files[0]: no column 'colour'")
    assert _state(client) == changed


# --- The command line -----------------------------------------------------------------------


def _cli_export(db: Path, *extra: str) -> Any:
    out = db.parent / "export.json"
    assert main(["state", "export", "--db", str(db), "-o", str(out), *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_cli_exports_and_imports_a_state_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine, colleagues = tmp_path / "mine.db", tmp_path / "colleague.db"
    assert main(["state", "import", str(EXPIRED), "--db", str(mine)]) == 0
    shared = tmp_path / "bug.json"
    assert main(["state", "export", "--db", str(mine), "-o", str(shared)]) == 0
    assert json.loads(shared.read_text(encoding="utf-8")) == _cli_export(mine)

    assert main(["state", "import", str(shared), "--db", str(colleagues)]) == 0
    assert "defdrive, filerobot, oracle, koodrive imported" in capsys.readouterr().err
    assert _cli_export(colleagues) == _cli_export(mine)

    capsys.readouterr()
    assert main(["state", "export", "--db", str(mine), "--provider", "oracle"]) == 0
    assert list(json.loads(capsys.readouterr().out)["providers"]) == ["oracle"]


def test_the_cli_refuses_a_bad_file_with_every_reason_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "state.db"
    before = _cli_export(db)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"sharemock": "state/0", "providers": {"dropbox": {}}}))

    assert main(["state", "import", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "\"sharemock\" is 'state/0'" in err
    assert "dropbox: no such provider owns state" in err
    assert main(["state", "import", str(tmp_path / "missing.json"), "--db", str(db)]) == 2
    assert _cli_export(db) == before


@pytest.fixture
def expired_server(tmp_path: Path) -> Iterator[str]:
    yield from serve(tmp_path, "--state", str(EXPIRED))


def test_serve_state_answers_from_the_files_state(expired_server: str) -> None:
    status, _, body = request(expired_server + LINK)
    assert (status, json.loads(body)) == (403, {"error": "Access link has expired"})


def _refused_at_start(tmp_path: Path, *extra: str) -> bytes:
    """What `sharemock serve` said before exiting 2."""
    server = spawn(tmp_path, *extra)
    output, _ = server.process.communicate(timeout=30)
    assert server.process.returncode == 2, output
    return output


def test_serve_state_stops_on_a_bad_file_with_its_reasons(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"sharemock": "state/1", "providers": {"dropbox": {}}}))
    assert b"dropbox: no such provider owns state" in _refused_at_start(
        tmp_path, "--state", str(bad)
    )


def test_serve_state_needs_a_database_the_workers_share(tmp_path: Path) -> None:
    output = _refused_at_start(tmp_path, "--state", str(EXPIRED), "--db", ":memory:")
    assert b"--state needs a --db file or --database-url" in output
