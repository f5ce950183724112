"""sharemock from a built wheel, with no checkout: the contracts (`openapi/`, shipped as
`sharemock/openapi/`) and every other file it reads at run time are inside the package.

The wheel is built from a copy of the sources (so nothing is written into the checkout) and
installed, without its dependencies, into a fresh venv that sees this interpreter's
site-packages through a `.pth` file: the dependencies are not downloaded again, and the
checkout's own sharemock (an editable install's finder, a `.pth` file of that directory, is
not read from a path a `.pth` file adds) is not on the path. Only the build backend,
setuptools, is fetched by pip's isolated build; without a registry the tests skip, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import time
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from setuptools import find_packages

from sharemock.config import DEFAULT_SPEC_DIR, REPO_SPEC_DIR, Settings
from tests.conftest import REPO
from tests.serving import Server, free_port, request, stop, wait_until_serving

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
SOURCES = ("pyproject.toml", "README.md", "sharemock", "handlers", "openapi")
# What pip says when it cannot fetch the build backend: no registry, not a broken build.
OFFLINE = ("Could not find a version that satisfies", "NewConnectionError", "No matching dist")


def test_every_package_is_listed_in_pyproject() -> None:
    # Packages are listed, not found (a found list cannot take the mapped `sharemock.openapi`):
    # a new package must be added there, or the wheel would go without it.
    found = find_packages(where=str(REPO), include=["sharemock*", "handlers*"])
    listed = PYPROJECT["tool"]["setuptools"]["packages"]
    assert sorted(listed) == sorted([*found, "sharemock.openapi"])
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"sharemock.openapi": "openapi"}


def test_a_checkout_serves_its_own_contracts() -> None:
    # Editable installs and the source tree on the path: the files people edit, which
    # `serve --reload` watches.
    assert DEFAULT_SPEC_DIR == REPO_SPEC_DIR == Settings().spec_dir
    assert (DEFAULT_SPEC_DIR / "defdrive.yaml").is_file()


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    env: dict[str, str]
    elsewhere: Path  # a working directory outside any checkout

    @property
    def bin(self) -> Path:
        return self.venv / "bin"


def _run(*command: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


# What uses the built wheel: about 15-25 s, most of it the build.
slow = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)

    venv = root / "venv"
    # Nothing of the checkout on the path (PYTHONPATH, or the working directory, would show
    # its sources and metadata): every command runs outside it, without PYTHONPATH.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
        and not key.startswith("SHAREMOCK_")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"

    started = time.monotonic()
    quiet = ("--disable-pip-version-check", "-q")
    built = _run(
        sys.executable, "-m", "pip", "wheel", *quiet, "--no-deps", "-w", root / "dist", source,
        env=env, cwd=root,
    )  # fmt: skip
    if built.returncode != 0:
        output = built.stdout + built.stderr
        if any(sign in output for sign in OFFLINE):
            pytest.skip(f"cannot fetch the build backend (setuptools) to build the wheel: {output}")
        pytest.fail(f"the wheel did not build:\n{output}")
    (wheel,) = (root / "dist").glob("sharemock-*.whl")

    created = _run(sys.executable, "-m", "venv", "--without-pip", venv, env=env, cwd=root)
    assert created.returncode == 0, created.stderr
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    # The dependencies: this interpreter's site-packages, after the venv's own.
    (purelib / "sharemock-test-dependencies.pth").write_text(
        "".join(f"{path}\n" for path in site.getsitepackages()), encoding="utf-8"
    )
    # --ignore-installed: the sharemock the `.pth` file shows (the checkout's) is another.
    pip_install = _run(
        sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", *quiet,
        "--ignore-installed", "--no-deps", "--no-index", wheel,
        env=env, cwd=root,
    )  # fmt: skip
    assert pip_install.returncode == 0, pip_install.stdout + pip_install.stderr
    print(f"wheel built and installed in {time.monotonic() - started:.1f} s")

    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    assert not elsewhere.is_relative_to(REPO)
    return Installed(wheel, venv, env, elsewhere)


@slow
def test_the_wheel_carries_the_contracts_and_every_file_read_at_run_time(
    installed: Installed,
) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    contracts = {f"sharemock/openapi/{path.name}" for path in REPO_SPEC_DIR.glob("*.yaml")}
    assert contracts and contracts <= names
    sources = {
        path.relative_to(REPO).as_posix()
        for package in ("sharemock", "handlers")
        for path in (REPO / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    # Python modules, py.typed, observe.js, the scenarios, the Swagger UI template.
    assert sorted(sources - names) == []
    entry_points = wheel_text(installed.wheel, "entry_points.txt")
    assert "sharemock = sharemock.cli:main" in entry_points
    assert "[pytest11]\nsharemock.pytest_plugin = sharemock.pytest_plugin" in entry_points


def wheel_text(wheel_path: Path, name: str) -> str:
    with zipfile.ZipFile(wheel_path) as wheel:
        (member,) = (m for m in wheel.namelist() if m.endswith(f".dist-info/{name}"))
        return wheel.read(member).decode()


@slow
def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    probe = _run(
        installed.bin / "python",
        "-c",
        "import json, sharemock, handlers; from sharemock.config import Settings;"
        "print(json.dumps([sharemock.__file__, handlers.__file__, str(Settings().spec_dir)]))",
        cwd=installed.elsewhere,
        env=installed.env,
    )
    assert probe.returncode == 0, probe.stderr
    package, handlers, spec_dir = (Path(p) for p in json.loads(probe.stdout))
    for path in (package, handlers, spec_dir):
        assert path.is_relative_to(installed.venv.resolve()), path
    assert spec_dir.name == "openapi" and (spec_dir / "defdrive.yaml").is_file()


@slow
def test_help_lists_the_subcommands(installed: Installed) -> None:
    shown = _run(installed.bin / "sharemock", "--help", cwd=installed.elsewhere, env=installed.env)
    assert shown.returncode == 0, shown.stderr
    for command in ("serve", "reset", "state", "tail", "token"):
        assert command in shown.stdout


@pytest.fixture
def served(installed: Installed) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(installed.bin / "sharemock"),
            *f"serve --port {port} --db :memory: --workers 1 --log-level warning".split(),
        ],
        cwd=installed.elsewhere,
        env=installed.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    server = Server(process, f"http://127.0.0.1:{port}")
    wait_until_serving(server)
    try:
        yield server.base
    finally:
        stop(server)


@slow
def test_serve_answers_with_no_checkout(served: str) -> None:
    status, _, index = request(served + "/")
    assert status == 200 and b"DefDrive" in index

    status, _, body = request(served + "/defdrive/openapi.json")
    assert status == 200 and "/api/login" in json.loads(body)["paths"]
    # The docs' copy of the contract is the packaged file, as written.
    status, _, body = request(served + "/__docs/contracts/defdrive.yaml")
    assert status == 200 and body == (REPO_SPEC_DIR / "defdrive.yaml").read_bytes()

    login = json.dumps({"username": "johndoe", "password": "password123"})
    status, _, body = request(
        served + "/defdrive/api/login", "POST", login, **{"Content-Type": "application/json"}
    )
    assert status == 200, body
    token = json.loads(body)["token"]
    status, _, body = request(served + "/defdrive/api/files", Authorization=f"Bearer {token}")
    assert status == 200 and json.loads(body), body

    # Swagger UI's template and assets (flask-swagger-ui's wheel), the scenarios.
    status, _, page = request(served + "/defdrive/ui/")
    assert status == 200 and b"swagger-ui" in page
    status, _, _ = request(served + "/__docs/swagger-ui/swagger-ui-bundle.js")
    assert status == 200
    status, _, body = request(served + "/__admin/scenarios")
    assert status == 200 and "link-expired" in body.decode()


@slow
def test_a_client_suite_gets_the_fixture_from_the_entry_point(installed: Installed) -> None:
    # No `-p`, no conftest: pytest autoloads the plugin the wheel declares.
    suite = installed.elsewhere / "client_suite"
    suite.mkdir()
    (suite / "test_client.py").write_text(
        "import json, urllib.request\n"
        "\n"
        "def test_files(sharemock):\n"
        "    url = sharemock.url_for('defdrive') + '/api/files'\n"
        "    request = urllib.request.Request(url, headers=sharemock.credentials('defdrive'))\n"
        "    with urllib.request.urlopen(request) as response:\n"
        "        assert json.load(response)['files']\n"
        "    assert sharemock.requests()[0]['operation'] == 'listFiles'\n",
        encoding="utf-8",
    )
    ran = _run(
        installed.bin / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error",
        cwd=suite, env=installed.env,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout
