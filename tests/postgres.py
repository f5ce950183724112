"""A PostgreSQL server for tests and the bench, and a fresh schema on it per use.

Where the server comes from: `SHAREMOCK_TEST_DATABASE_URL` if set; else a throwaway cluster of
the machine's PostgreSQL server binaries (Debian's `postgresql`: `/usr/lib/postgresql/*/bin`)
in a temporary folder, listening on a free loopback port only, stopped by its PID afterwards;
else none, and the tests that need one skip saying why.

`.ci/run` starts the cluster once for the whole run:

    python -m tests.postgres start DIR     # prints SHAREMOCK_TEST_DATABASE_URL=...
    python -m tests.postgres stop DIR
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tests.serving import free_port

ENV_URL = "SHAREMOCK_TEST_DATABASE_URL"
USER = "sharemock"
# initdb refuses to run as root; the cluster then belongs to Debian's `postgres` account.
SERVICE_ACCOUNT = "postgres"


class Unavailable(Exception):
    """No PostgreSQL server can be had here; the message says why."""


def server_binaries() -> Path | None:
    """The folder of `initdb` and `pg_ctl`: Debian's newest version, else the PATH's."""
    debian = [Path(path).parent for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    debian.sort(key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0)
    on_path = shutil.which("initdb")
    candidates = [*reversed(debian), *([Path(on_path).parent] if on_path else [])]
    return next((folder for folder in candidates if (folder / "pg_ctl").exists()), None)


@dataclass(frozen=True)
class Cluster:
    directory: Path
    port: int

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def pid(self) -> int | None:
        """The postmaster's PID, from its PID file."""
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None


def _as_service_account() -> list[str]:
    """The command prefix that runs a server binary as a user initdb accepts."""
    if os.geteuid() != 0:
        return []
    try:
        account = pwd.getpwnam(SERVICE_ACCOUNT)
    except KeyError:
        raise Unavailable(f"running as root and there is no {SERVICE_ACCOUNT!r} user") from None
    if shutil.which("runuser"):
        return ["runuser", "-u", account.pw_name, "--"]
    raise Unavailable("running as root without runuser to drop to the postgres user")


def start_cluster(directory: Path, timeout_s: float = 120) -> Cluster:
    """initdb and start a cluster in `directory` (created), on 127.0.0.1 and a free port."""
    binaries = server_binaries()
    if binaries is None:
        raise Unavailable(
            "no PostgreSQL server binaries (initdb, pg_ctl); `make pg-deps` installs Debian's"
            f" postgresql, or set {ENV_URL}"
        )
    prefix = _as_service_account()
    directory.mkdir(parents=True, exist_ok=True)
    if prefix:
        shutil.chown(directory, SERVICE_ACCOUNT, SERVICE_ACCOUNT)
    cluster = Cluster(directory, free_port())
    initdb = [str(binaries / "initdb"), "-D", str(cluster.data), "-U", USER, "-A", "trust"]
    initdb += ["-E", "UTF8", "--locale=C", "--no-sync"]
    _run("initdb", [*prefix, *initdb], directory / "initdb.log", timeout_s)
    # Loopback only, socket in the cluster's folder; durability off: it is thrown away.
    options = f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {directory}"
    options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    options += " -c max_connections=200"
    start = [str(binaries / "pg_ctl"), "-D", str(cluster.data), "-l", str(directory / "server.log")]
    start += ["-w", "-t", str(int(timeout_s)), "-o", options, "start"]
    _run("pg_ctl start", [*prefix, *start], directory / "pg_ctl.log", timeout_s + 10)
    return cluster


def _run(name: str, command: Sequence[str], log: Path, timeout_s: float) -> None:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Unavailable(f"{name}: {error}") from error
    log.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        tail = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()][-2:]
        raise Unavailable(f"{name} failed: {' / '.join(tail)}")


def stop_cluster(cluster: Cluster, timeout_s: float = 30) -> None:
    """Stop the postmaster by its PID (fast shutdown, then immediate), then remove its files."""
    pid = cluster.pid()
    if pid is not None:
        for sig in (signal.SIGINT, signal.SIGQUIT):
            with suppress(ProcessLookupError):
                os.kill(pid, sig)
            deadline = time.monotonic() + timeout_s
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if not _alive(pid):
                break
    shutil.rmtree(cluster.directory, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def with_schema(url: str, schema: str) -> str:
    """`url` with its connections in `schema` (first on the search path), named after it."""
    joiner = "&" if "?" in url else "?"
    options = quote(f"-csearch_path={schema}")
    return f"{url}{joiner}options={options}&application_name={schema}"


@contextmanager
def fresh_schema(server_url: str, prefix: str = "test") -> Iterator[str]:
    """A new, empty schema on the server for the block; yields the URL that uses it. Dropped
    afterwards, with the connections to it closed."""
    import psycopg

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(server_url, schema)
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s AND pid <> pg_backend_pid()",
                (schema,),
            )
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tests.postgres", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    if args.action == "start":
        try:
            cluster = start_cluster(args.directory)
        except Unavailable as reason:
            print(f"# no PostgreSQL server: {reason}")
            return 1
        (args.directory / "port").write_text(str(cluster.port))
        print(f"{ENV_URL}={cluster.url}")
        return 0
    port = (args.directory / "port").read_text().strip() if args.directory.exists() else "0"
    stop_cluster(Cluster(args.directory, int(port or 0)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
