"""`sharemock verify`: conforms on the mock, catches a faulty server by check, reports drift."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from sharemock.providers import PROVIDERS
from sharemock.spec import load_document
from sharemock.verify import Options, run
from sharemock.verify.profiles import PROFILES, Credentials, project_config
from tests.conftest import REPO
from tests.faulty_defdrive import TOKEN, faulty_defdrive
from tests.serving import free_port, serve


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory.mktemp("verify"))


def _verify(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HYPOTHESIS_STORAGE_DIRECTORY": str(cwd / "hyp"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sharemock", "verify", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployed_dialect_against_the_documented_contract_lists_the_drift(
    mock: str, tmp_path: Path
) -> None:
    # First in the module: the fixtures are as seeded (later runs create and delete).
    done = _verify(
        "defdrive", "--base-url", f"{mock}/defdrive-deployed", "--max-examples", "3",
        "--seed", "1", "--phase", "examples", "--phase", "fuzzing", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    drift = done.stdout.split("Differences from the contract", 1)[1]
    assert "route missing: PUT /api/access/{accessID} (updateAccess)" in drift
    assert re.search(r"File \(in [^)]*listFiles", drift)
    assert "id → ID" in drift and "user_id → UserID" in drift
    assert re.search(r"type changed: .*Subnets \(array documented, null sent\)", drift)


@pytest.mark.parametrize("provider", [p.name for p in PROVIDERS])
def test_the_mock_conforms_to_every_contract(mock: str, provider: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    options = Options(provider=provider, base_url=f"{mock}/{provider}", max_examples=2, seed=7)
    code = run(options, env={}, stdout=out, stderr=err)
    assert code == 0, out.getvalue() + err.getvalue()
    assert "Conforms:" in out.getvalue() and ", 0 failures." in out.getvalue()
    # Each phase said where it was, as plain lines (stderr is not a terminal here).
    assert "stateful:" in err.getvalue()


def test_from_another_directory_with_credentials_from_the_environment(
    mock: str, tmp_path: Path
) -> None:
    # KooDrive's business 400s and Oracle's XML hooks were what a run outside the repo failed.
    for provider, env in (("koodrive", {"SHAREMOCK_VERIFY_TOKEN": "demo-access-token"}),):
        done = _verify(
            provider, "--base-url", f"{mock}/{provider}", "--max-examples", "2",
            "--phase", "examples", "--phase", "coverage", cwd=tmp_path, env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    assert not (tmp_path / ".hypothesis").exists()


def test_a_faulty_server_fails_naming_each_defect_by_its_check(tmp_path: Path) -> None:
    reports = {kind: tmp_path / f"report.{kind}" for kind in ("junit", "markdown", "html")}
    args = ["--max-examples", "10", "--seed", "2", "--token", TOKEN]
    for kind, path in reports.items():
        args += ["--report", kind, str(path)]
    with faulty_defdrive() as base:
        done = _verify("defdrive", "--base-url", base, *args, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    failures = dict(re.findall(r"^\d+\. (\w+) \S+ \S+: (\w+)", done.stdout, re.M))
    found = set(re.findall(r"^\d+\. (\w+) \S+ \S+: (\w+)", done.stdout, re.M))
    assert failures
    for operation, check in (
        ("listFiles", "response_schema_conformance"),  # `size` as a string
        ("listFiles", "ignored_auth"),  # 200 without credentials
        ("listAccesses", "status_code_conformance"),  # 418
        ("createAccess", "not_a_server_error"),  # 500 on a bad body
        ("getAccess", "use_after_free"),  # readable after DELETE
    ):
        assert (operation, check) in found, done.stdout
    assert "curl -X GET" in done.stdout
    assert "type changed: size (integer documented, string sent)" in done.stdout
    junit = ElementTree.parse(reports["junit"]).getroot()
    assert int(junit.attrib["failures"]) >= 1
    assert "use_after_free" in reports["markdown"].read_text()
    assert "<table>" in reports["html"].read_text()


def test_a_seed_repeats_the_run(tmp_path: Path) -> None:
    outputs = []
    for _ in range(2):
        with faulty_defdrive() as base:
            done = _verify(
                "defdrive", "--base-url", base, "--token", TOKEN, "--max-examples", "3",
                "--seed", "5", "--phase", "stateful", "--operation", "createAccess",
                "--operation", "getAccess", "--operation", "deleteAccess", cwd=tmp_path,
            )  # fmt: skip
        outputs.append(re.sub(r"\d+\.\d s", "", done.stdout.replace(base, "BASE")))
    assert outputs[0] == outputs[1]


def test_an_unreachable_server_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/defdrive"
    done = _verify("defdrive", "--base-url", url, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"sharemock verify: cannot reach {url}: connection refused\n"


def test_a_dry_run_lists_operations_and_phases_and_sends_nothing() -> None:
    out = io.StringIO()
    url = f"http://127.0.0.1:{free_port()}/defdrive"  # nothing listens: nothing may be sent
    options = Options(
        provider="defdrive",
        base_url=url,
        dry_run=True,
        operations=("getAccess",),
        phases=("stateful",),
    )
    assert run(options, env={}, stdout=out) == 0
    text = out.getvalue()
    assert "getAccess" in text and "createAccess" not in text
    assert "phases: stateful (through 9 links)" in text
    assert "a fresh JWT from POST /api/login as johndoe" in text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"provider": "defdrive", "basic": "a:b"}, "--basic does not apply to defdrive"),
        ({"provider": "oracle", "basic": "nocolon"}, "--basic takes user:password"),
        ({"provider": "defdrive", "operations": ("nope",)}, "no operation 'nope'"),
        ({"provider": "dropbox"}, "unknown provider 'dropbox'"),
        ({"provider": "defdrive", "base_url": "ftp://x"}, "--base-url must be"),
    ],
)
def test_usage_errors_exit_2(options: dict[str, object], message: str) -> None:
    err = io.StringIO()
    settings = {"base_url": "http://127.0.0.1:1", "dry_run": True, **options}
    assert run(Options(**settings), env={}, stderr=err) == 2  # type: ignore[arg-type]
    assert message in err.getvalue()


def test_environment_credentials_apply_to_the_provider_that_takes_them() -> None:
    from sharemock.verify.options import credentials_for

    env = {"SHAREMOCK_VERIFY_LOGIN": "janedoe:password456", "SHAREMOCK_VERIFY_BASIC": "x:y"}
    options = Options(provider="defdrive", base_url="http://x")
    credentials = credentials_for(options, PROFILES["defdrive"], env)
    assert credentials.login == ("janedoe", "password456")  # BASIC is not DefDrive's: ignored
    given = credentials_for(Options("defdrive", "http://x", token="t"), PROFILES["defdrive"], env)
    assert PROFILES["defdrive"].auth(given) == {"openapi": {"bearerAuth": {"bearer": "t"}}}


def test_the_built_in_rules_are_schemathesis_toml_s() -> None:
    """The profiles and the repository's schemathesis.toml give one contract the same rules."""
    toml = tomllib.loads((REPO / "schemathesis.toml").read_text())
    projects = {project["title"]: project for project in toml["project"]}
    for provider in PROVIDERS:
        title = load_document(REPO / "openapi" / provider.spec_file)["info"]["title"]
        expected = {k: v for k, v in projects[title].items() if k not in ("title", "auth")}
        profile = PROFILES[provider.name]
        ours = project_config(profile, profile.defaults)
        ours.pop("auth")
        dictionaries = ours.pop("dictionaries", {})
        assert ours == expected, provider.name
        for name, table in dictionaries.items():
            assert toml["dictionaries"][name] == table
        assert isinstance(profile.defaults, Credentials)


@pytest.mark.parametrize("provider", [p.name for p in PROVIDERS])
def test_operation_selects_that_operation_alone_whatever_the_rules(provider: str) -> None:
    # Filerobot's and KooDrive's rules have `[[operations]]` sections, with which
    # Schemathesis ignores an `include(operation_id=…)`: every operation ran.
    from sharemock.verify import spec_path
    from sharemock.verify.options import credentials_for
    from sharemock.verify.profiles import profile_for
    from sharemock.verify.runner import build_config, contract_operations, load_schema

    base = Options(provider=provider, base_url="http://127.0.0.1:1").checked()
    path = spec_path(base)
    chosen = contract_operations(load_document(path))[-1][1]
    options = Options(
        provider=provider, base_url="http://127.0.0.1:1", operations=(chosen,), seed=1
    ).checked()
    profile = profile_for(provider)
    config = build_config(options, profile, credentials_for(options, profile, {}))
    schema = load_schema(options, path, config)
    found = [result.ok().definition.raw["operationId"] for result in schema.get_all_operations()]
    assert found == [chosen]
