"""`sharemock` command line: serve the mock, reset, export and import its state, mint dev
credentials."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sharemock import __version__
from sharemock.config import (
    DEFAULT_DB_PATH,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_JWT_SECRET,
    DEFAULT_MAX_BODY,
    ENV_ACCESS_LOG,
    ENV_CHAOS,
    ENV_DATABASE_URL,
    ENV_DB,
    ENV_HOST,
    ENV_JOURNAL_SIZE,
    ENV_LATENCY,
    ENV_MAX_BODY,
    ENV_RESET,
    ENV_SCENARIOS,
    ENV_SEED,
    ENV_SPEC_DIR,
    ENV_VALIDATE_RESPONSES,
    Settings,
    is_postgres_url,
    parse_size,
    redacted,
)
from sharemock.controls.serverwide import ServerWide

# A shared mock on a big machine needs a few processes, not one per core of the host.
MAX_DEFAULT_WORKERS = 8


def default_workers(settings: Settings) -> int:
    """One worker per core this process may use: the mock is CPU-bound, one core a worker."""
    if settings.db_path == ":memory:" and not settings.database_url:
        return 1  # a private in-memory database cannot be shared
    return max(1, min(len(os.sched_getaffinity(0)), MAX_DEFAULT_WORKERS))


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = _settings(args)
    if settings is None:
        return 2
    if args.reload:
        if settings.db_path == ":memory:" and not settings.database_url:
            print(
                "sharemock: --reload restarts the worker, and --db :memory: would not survive it:"
                " use a file (the default) or --database-url",
                file=sys.stderr,
            )
            return 2
        if args.workers not in (None, 1):
            print(f"sharemock: --reload runs one worker, not {args.workers} (uvicorn restarts one)")
        args.workers = 1
    if args.workers is None:
        args.workers = default_workers(settings)
    # Workers are separate processes: they read their settings from the environment.
    os.environ[ENV_DB] = args.db
    os.environ[ENV_DATABASE_URL] = settings.database_url or ""
    os.environ[ENV_RESET] = "0"
    os.environ[ENV_SPEC_DIR] = str(settings.spec_dir)
    if args.no_response_validation:
        os.environ[ENV_VALIDATE_RESPONSES] = "0"
    # sharemock's own access log (sharemock/access_log.py) in place of uvicorn's, at the same
    # levels: shown at info and debug.
    quiet = args.no_access_log or args.log_level.lower() not in {"info", "debug", "trace"}
    os.environ[ENV_ACCESS_LOG] = "0" if quiet else "1"
    try:  # a malformed value stops here, not in every worker
        server_wide = ServerWide.parse(args.latency, args.chaos, args.seed)
    except ValueError as exc:
        print(f"sharemock: {exc}", file=sys.stderr)
        return 2
    os.environ[ENV_LATENCY] = args.latency or ""
    os.environ[ENV_CHAOS] = args.chaos or ""
    os.environ[ENV_SEED] = "" if args.seed is None else str(args.seed)
    os.environ[ENV_SCENARIOS] = args.scenarios or ""
    memory = args.db == ":memory:" and not settings.database_url
    if memory and args.workers > 1:
        print("sharemock: --db :memory: cannot be shared by several workers", file=sys.stderr)
        return 2
    if memory and args.state:
        # The import would fill this process's database, not the worker's.
        print(
            "sharemock: --state needs a --db file or --database-url, not :memory:", file=sys.stderr
        )
        return 2
    os.environ[ENV_JOURNAL_SIZE] = str(args.journal_size)
    os.environ[ENV_HOST] = args.host  # beyond loopback, the admin surface is closed
    os.environ[ENV_MAX_BODY] = str(args.max_body)
    if args.reset:
        _reset_database(settings)
    if args.state and not _import_file(settings, args.state):
        return 2
    workers = f"{args.workers} worker{'s' if args.workers != 1 else ''}"
    state = _state(settings)
    controls = server_wide.describe()
    reloading = f", reloading on changes to {settings.spec_dir}" if args.reload else ""
    print(
        f"sharemock {__version__}: http://{args.host}:{args.port}/"
        f" ({workers}, state: {state}{', ' + controls if controls else ''}{reloading})",
        flush=True,
    )
    _say_admin_surface(args.host)
    options: dict[str, Any] = {
        "factory": True,
        "host": args.host,
        "port": args.port,
        "workers": args.workers,
        "log_level": args.log_level,
        "access_log": False,
    }
    if not args.reload:
        uvicorn.run("sharemock.app:create_app_from_env", **options)
        return 0
    return _serve_reloading(settings, options)


def _say_admin_surface(host: str) -> None:
    """Beyond loopback: who may use the admin API and the controls, and a warning when the
    tokens are signed with the published development secret."""
    from sharemock.admin_access import describe

    settings = Settings.from_env()
    said = describe(host, settings.admin_token)
    if said is None:
        return
    print(said, flush=True)
    if settings.jwt_secret == DEFAULT_JWT_SECRET:
        print(
            f"sharemock: warning: on {host} with the development JWT secret, which is published:"
            " anyone who can reach the mock can sign a DefDrive token for any user; set"
            " SHAREMOCK_JWT_SECRET",
            file=sys.stderr,
            flush=True,
        )


def _serve_reloading(settings: Settings, options: dict[str, Any]) -> int:
    """uvicorn's reloader on the spec directory's YAML files only (sharemock/reload.py)."""
    import uvicorn

    from sharemock.app import ADMIN_HANDLERS, ADMIN_SPEC
    from sharemock.providers import PROVIDERS
    from sharemock.reload import ContractError, ContractReload

    config = uvicorn.Config(
        "sharemock.app:create_app_from_env",
        reload=True,
        reload_dirs=[str(settings.spec_dir)],
        reload_includes=["*.yaml", "*.yml"],
        **options,
    )
    files = {provider.spec_file: provider.handlers_module for provider in PROVIDERS}
    files[ADMIN_SPEC] = ADMIN_HANDLERS
    try:
        reloader = ContractReload(config, settings.spec_dir, files)
    except ContractError as exc:
        print(f"sharemock: {exc}", file=sys.stderr)
        return 2
    reloader.run()
    return 0


def _settings(args: argparse.Namespace) -> Settings | None:
    """Where the state is: `--database-url` (PostgreSQL), else `--db`; None after saying why
    a URL is refused."""
    url = args.database_url or None
    if url is not None and not is_postgres_url(url):
        print(
            f"sharemock: --database-url must be a postgresql:// URL, not {redacted(url)!r}",
            file=sys.stderr,
        )
        return None
    spec_dir = getattr(args, "spec_dir", None)
    if spec_dir is None:
        return Settings(db_path=args.db, database_url=url)
    return Settings(db_path=args.db, database_url=url, spec_dir=Path(spec_dir).resolve())


def _state(settings: Settings) -> str:
    return redacted(settings.database_url) if settings.database_url else settings.db_path


def _reset_database(settings: Settings) -> None:
    from sharemock.controls.board import Board
    from sharemock.providers import PROVIDERS
    from sharemock.state import open_database, reset_all

    database = open_database(settings, PROVIDERS)
    reset_all(database, PROVIDERS)
    Board(database, lambda _offset: None).reset()  # no rules, the real clock
    database.close()


def _reset(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings is None:
        return 2
    _reset_database(settings)
    print(f"sharemock: {_state(settings)} restored to the seeded fixtures (no rules, real clock)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from sharemock.providers import PROVIDERS
    from sharemock.state import export_state, open_database

    settings = _settings(args)
    if settings is None:
        return 2
    database = open_database(settings, PROVIDERS)
    try:
        document = export_state(database, PROVIDERS, only=args.provider)
    except LookupError as exc:
        print(f"sharemock: {exc.args[0]}", file=sys.stderr)
        return 2
    finally:
        database.close()
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


def _import(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings is None or not _import_file(settings, args.file):
        return 2
    return 0


def _import_file(settings: Settings, path: str) -> bool:
    """Import the state document at `path` (`-`: stdin), saying what changed; False after
    saying every reason it is refused (nothing changed)."""
    from sharemock.providers import PROVIDERS
    from sharemock.state import StateError, import_state, open_database

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        document = json.loads(text)
    except (OSError, ValueError) as exc:
        print(f"sharemock: {path}: {exc}", file=sys.stderr)
        return False
    database = open_database(settings, PROVIDERS)
    try:
        import_state(database, PROVIDERS, document)
    except StateError as exc:
        print(f"sharemock: {path}: {exc}", file=sys.stderr)
        return False
    finally:
        database.close()
    names = ", ".join(document["providers"]) or "no provider"
    print(f"sharemock: {_state(settings)}: {names} imported from {path}", file=sys.stderr)
    return True


def _tail(args: argparse.Namespace) -> int:
    from sharemock.tail import follow

    return follow(args.url, provider=args.provider, status=args.status, count=args.count)


def _proxy(args: argparse.Namespace) -> int:
    from sharemock.proxy import serve as serve_proxy

    return serve_proxy(
        args.provider,
        args.upstream,
        host=args.host,
        port=args.port,
        errors=args.errors,
        log_level=args.log_level,
    )


def _token(args: argparse.Namespace) -> int:
    from sharemock.credentials import dev_credential

    try:
        print(dev_credential(args.provider, args.user, Settings.from_env()))
    except LookupError as exc:
        print(f"sharemock: {exc.args[0]}", file=sys.stderr)
        return 2
    return 0


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sharemock",
        description="Stateful mock and contract kit for share-link APIs.",
    )
    parser.add_argument("--version", action="version", version=f"sharemock {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    default_db = os.environ.get(ENV_DB) or DEFAULT_DB_PATH
    default_url = os.environ.get(ENV_DATABASE_URL) or None
    url_help = f"PostgreSQL URL, shared by replicas; instead of --db (${ENV_DATABASE_URL})"
    serve = commands.add_parser("serve", help="run the mock server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--db", default=default_db, help="SQLite file, or :memory:")
    serve.add_argument("--database-url", default=default_url, help=url_help)
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help=f"processes sharing the state (default: one per core, at most {MAX_DEFAULT_WORKERS};"
        " 1 for --db :memory:)",
    )
    serve.add_argument("--reset", action="store_true", help="restore the fixtures first")
    serve.add_argument(
        "--no-response-validation",
        action="store_true",
        help="do not check the mock's own answers against the contract (faster)",
    )
    serve.add_argument(
        "--latency", metavar="MS", help="delay every answer: 300, or a range drawn from, 50-300"
    )
    serve.add_argument(
        "--chaos",
        metavar="SPEC",
        help='break a share of requests: "rate=0.05,faults=reset,5xx"',
    )
    serve.add_argument("--seed", type=int, help="make --chaos and --latency repeat exactly")
    serve.add_argument("--scenarios", metavar="DIR", help="scenario files (default: the built-in)")
    serve.add_argument(
        "--spec-dir",
        metavar="DIR",
        default=os.environ.get(ENV_SPEC_DIR) or None,
        help="the OpenAPI files to serve (default: the ones sharemock ships)",
    )
    serve.add_argument(
        "--reload",
        action="store_true",
        help="restart the worker, keeping the state, when a contract in the spec directory"
        " changes; one worker",
    )
    serve.add_argument(
        "--state",
        metavar="FILE",
        help="start from this state document (an export, or a scenario file); after --reset",
    )
    serve.add_argument(
        "--journal-size",
        type=int,
        default=DEFAULT_JOURNAL_SIZE,
        metavar="N",
        help=f"requests GET /__admin/requests keeps (default {DEFAULT_JOURNAL_SIZE}; 0: none)",
    )
    serve.add_argument(
        "--max-body",
        type=_size,
        default=DEFAULT_MAX_BODY,
        metavar="SIZE",
        help="the largest request body read, in bytes or with k, M, G (default 1M): past it, 413",
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--no-access-log", action="store_true", help="no line per request on stderr")
    serve.set_defaults(run=_serve)

    reset = commands.add_parser("reset", help="restore the seeded fixtures")
    reset.add_argument("--db", default=default_db)
    reset.add_argument("--database-url", default=default_url, help=url_help)
    reset.set_defaults(run=_reset)

    state = commands.add_parser("state", help="export or import the state as JSON")
    actions = state.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write the state as a state document")
    export.add_argument("--provider", help="only this provider's state")
    export.add_argument("-o", "--output", metavar="FILE", help="the file (default: stdout)")
    into = actions.add_parser("import", help="replace the state by a state document's")
    into.add_argument(
        "file", metavar="FILE", help="a state document (an export, a scenario; - for stdin)"
    )
    for action in (export, into):
        action.add_argument("--db", default=default_db)
        action.add_argument("--database-url", default=default_url, help=url_help)
    export.set_defaults(run=_export)
    into.set_defaults(run=_import)
    tail = commands.add_parser(
        "tail", help="print each request a running mock serves, with why it was refused"
    )
    tail.add_argument("--url", default="http://127.0.0.1:8000", help="the mock's base URL")
    tail.add_argument("--provider", help="only this provider's requests")
    tail.add_argument("--status", type=int, help="only requests answered this status")
    tail.add_argument("--count", type=int, help="stop after this many requests")
    tail.set_defaults(run=_tail)

    proxy = commands.add_parser(
        "proxy", help="forward to a server, checking each exchange against a provider's contract"
    )
    proxy.add_argument("provider", help="whose contract: defdrive, filerobot, oracle, koodrive...")
    proxy.add_argument("--upstream", required=True, metavar="URL", help="the server's base URL")
    proxy.add_argument("--host", default="127.0.0.1")
    proxy.add_argument("--port", type=int, default=8001)
    proxy.add_argument(
        "--errors",
        action="store_true",
        help="refuse a violating request (400) and replace a violating answer (502)",
    )
    proxy.add_argument("--log-level", default="info")
    proxy.set_defaults(run=_proxy)

    token = commands.add_parser("token", help="print a valid credential for a fixture user")
    token.add_argument("provider", help="provider name, e.g. defdrive")
    token.add_argument("--user", required=True, help="fixture user, e.g. johndoe")
    token.set_defaults(run=_token)

    from sharemock.verify.command import add_parser as add_verify  # sharemock/verify/

    add_verify(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.run(args)
    return result
