"""`make bench`'s harness, without load: its scripts, its request set, the documents Prism is
given, the ceiling app and the table; and, where wrk is installed, one short run at the ceiling."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bench import ceiling, prism_spec, run, servers, table, wrk
from bench.workload import Request, workloads
from sharemock.providers import provider_named
from tests.conftest import REPO

SEEDS = {"000", "001", "002", "003", "004"}


def test_the_lua_script_counts_answers_and_reports_figures() -> None:
    script = wrk.REPLAY.read_text()
    for hook in ("function request()", "function response(", "function done("):
        assert hook in script
    printed = set(re.findall(r'"BENCH (\w+) ', script))
    assert {"requests", "duration_us", "p50_us", "p99_us", "non2xx"} <= printed


def test_the_mix_updates_all_five_seeds_and_reads_each_back() -> None:
    mix = workloads()["mix"].requests
    updates = [r for r in mix if r.seed]
    assert {r.seed for r in updates} == SEEDS and all(r.method == "PUT" for r in updates)
    gets = {r.path for r in mix if r.method == "GET"}
    # Each update's item is read back (DefDrive reads an access at `accesses`, lists files).
    assert {r.path for r in updates if r.provider != "defdrive"} <= gets
    assert {"/defdrive/api/accesses/456", "/defdrive/api/files"} <= gets
    assert workloads()["put"].requests == tuple(r for r in updates if r.seed == "000")


def test_every_request_carries_its_providers_credential() -> None:
    for request in workloads()["mix"].requests:
        header = provider_named(request.provider).credential_header
        assert request.headers.get(header), request.path


def _template(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_prism_is_given_every_request_path_and_no_dangling_reference() -> None:
    mix = workloads()["mix"]
    document = prism_spec.joined_document(REPO / "openapi", mix.providers)
    for request in mix.requests:
        assert any(
            _template(path).match(request.path) and request.method.lower() in item
            for path, item in document["paths"].items()
        ), request.path
    for ref in _refs(document):
        kind, name = ref.removeprefix("#/components/").split("/", 1)
        assert name in document["components"][kind], ref
    schemes = document["components"]["securitySchemes"]
    operation = document["paths"]["/koodrive/koodrive/ose/v1/share/{shareId}"]["put"]
    assert all(scheme in schemes for need in operation["security"] for scheme in need)


def test_the_ceiling_answers_every_method_with_its_fixed_body() -> None:
    with TestClient(ceiling.app) as client:
        for method in ("GET", "PUT"):
            response = client.request(method, "/defdrive/api/access/456", content=b"{}")
            assert response.status_code == 200
            assert response.content == ceiling.BODY
            assert response.headers["content-type"] == "application/json"


def test_lua_strings_escape_everything_but_printable_ascii() -> None:
    assert wrk.lua_string('a"b\\c\n\té') == '"a\\034b\\092c\\010\\009\\195\\169"'


def _summary() -> dict[str, Any]:
    def result(server: str, rate: float, p99: float, bad: int = 0) -> dict[str, Any]:
        return run._result(
            server, "put", [wrk.Run(rate, 10.0, p99, 100, bad, 3 * bad, "500 x", 2**26, 2**25)]
        )

    results = [
        result("mock", 400, 300, bad=2),
        result("prism", 1600, 150),
        result("ceiling", 16e3, 4),
    ]
    return {
        "date": "2026-12-01 18:00 UTC",
        "rounds": 3,
        "seconds": 8.0,
        "wrk": "-t2 -c32 --latency",
        "machine": {"cores": 2},
        "results": results,
        "ratios": run.ratios(results),
        "startup_s": {"mock": 0.75},
        "startup_workload": "mix",
        "contract": {"wall_s": 61.2, "exit": 0},
    }


def test_the_table_shows_every_figure_and_the_ratios() -> None:
    text = table.render(_summary())
    for header in table.COLUMNS:
        assert header in text
    assert "| put      | sharemock (make serve: a worker per core) | 400" in text
    assert "300 ms" in text and "| 64 MiB   | 32 MiB" in text and "2 (+6 socket errors)" in text
    assert re.search(r"mock / prism \(req/s\)\s*\| 0\.25", text)
    assert re.search(r"mock / ceiling \(req/s\)\s*\| 0\.03", text)
    assert re.search(r"mock / prism \(p99\)\s*\| 2\.00", text)
    assert "until each contract of the mix had answered 2xx: 0.75 s" in text
    assert "pytest -m contract -q): 61 s wall, exit 0" in text


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make bench does)")
def test_one_second_at_the_ceiling_counts_the_answers_that_are_not_2xx(tmp_path: Path) -> None:
    mix = workloads()["mix"]
    # The ceiling routes no OPTIONS: one request in eleven is answered 405.
    requests = (*mix.requests, Request("OPTIONS", "/not-a-2xx"))
    data = tmp_path / "requests.lua"
    data.write_text(wrk.lua_requests(requests))
    server = servers.start("ceiling", mix, tmp_path)
    try:
        with servers.PeakRss(server.process.pid) as rss:
            figures = wrk.run(server.base, data, seconds=1, connections=8)
    finally:
        servers.stop(server)
    assert figures.requests_per_s > 0 and figures.socket_errors == 0
    assert 0 < figures.non2xx < figures.responses / 5
    assert figures.first_bad.startswith("405")
    assert 0 < figures.p50_ms <= figures.p99_ms
    assert rss.peak >= rss.peak_process > 10 * 2**20


def test_the_store_layer_measure_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import store_layer

    assert store_layer.main(["--queries", "5", "--runs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "SQLite     sqlite3" in printed and "SQLite     adapter" in printed


def test_the_mock_on_postgresql_is_run_only_when_asked_for(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert "mock-pg" not in servers.SERVERS
    assert servers.known(["mock", "mock-pg"]) == ["mock", "mock-pg"]
    monkeypatch.setattr(servers, "fresh_postgres_schema", lambda: "postgresql://db/x")
    argv = servers.command("mock-pg", 8123, workloads()["put"], tmp_path)
    assert argv[argv.index("--database-url") + 1] == "postgresql://db/x"


def test_the_in_process_measure_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import inprocess

    assert inprocess.main(["--workload", "mix", "--requests", "20", "--repeat", "1"]) == 0
    assert "µs of CPU per request" in capsys.readouterr().out


def test_the_floor_is_stock_connexion_answering_examples(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from starlette.testclient import TestClient

    from bench import floor
    from tests.defdrive.test_seed_replay import SEED_000_BODY

    argv = servers.command("floor-async", 8123, workloads()["mix"], tmp_path)
    assert "BENCH_FLOOR_APP=async" in argv and "--workers" in argv
    assert "BENCH_FLOOR_PROVIDERS=defdrive,filerobot,oracle,koodrive" in argv
    monkeypatch.setenv(floor.ENV_PROVIDERS, "defdrive")
    with TestClient(floor.create_floor()) as client:
        json = {"Content-Type": "application/json"}  # no credential: the floor has no security
        response = client.put("/defdrive/api/access/456", content=SEED_000_BODY, headers=json)
        assert response.status_code == 200 and "access" in response.json()
        assert client.put("/defdrive/api/access/456", content="{", headers=json).status_code == 400
