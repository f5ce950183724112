"""`sharemock verify`'s command line: its options, and the process that runs it.

Kept free of heavy imports: `sharemock.cli` adds this parser for every command.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

# Python's string hashing is salted per process, and Schemathesis iterates sets of strings
# when it feeds one phase's responses to the next: a run repeats exactly only with the salt
# fixed. The command runs the check in a child whose PYTHONHASHSEED is derived from --seed.
HASH_SEED_ENV = "PYTHONHASHSEED"


def add_parser(commands: Any) -> None:
    """Add `verify` to the `sharemock` subcommands."""
    from sharemock.verify.profiles import CREDENTIAL_ENV  # small: no Schemathesis

    env_list = ", ".join(CREDENTIAL_ENV.values())
    verify = commands.add_parser(
        "verify",
        help="check a server against a provider's contract (Schemathesis)",
        description="Run Schemathesis with the provider's contract and built-in rules against"
        f" a server. Credentials default to the mock's development ones; each credential"
        f" option may also come from the environment ({env_list}). Exit 0: conforms;"
        " 1: does not; 2: usage error, or the server cannot be reached.",
    )
    verify.add_argument(
        "provider", help="defdrive, defdrive-deployed, filerobot, oracle or koodrive"
    )
    verify.add_argument("--base-url", required=True, metavar="URL", help="the server under test")
    verify.add_argument(
        "--token", help="a Bearer token (DefDrive, Oracle) or KooDrive's access token"
    )
    verify.add_argument("--basic", metavar="USER:PASS", help="HTTP Basic credentials (Oracle)")
    verify.add_argument("--key", help="the API key (Filerobot's X-Filerobot-Key)")
    verify.add_argument("--login", metavar="USER:PASS", help="DefDrive: log in for a fresh JWT")
    verify.add_argument("--project", help="Filerobot's project token (the path's {token})")
    verify.add_argument("--max-examples", type=int, metavar="N", help="cases per operation")
    verify.add_argument("--seed", type=int, help="repeat a run's cases exactly")
    verify.add_argument(
        "--operation", action="append", metavar="ID", help="only this operationId (repeatable)"
    )
    verify.add_argument(
        "--phase",
        action="append",
        choices=("examples", "coverage", "fuzzing", "stateful"),
        help="only this phase (repeatable)",
    )
    verify.add_argument("--workers", type=int, default=1, help="concurrent workers (default 1)")
    verify.add_argument(
        "--request-timeout", type=float, metavar="S", help="seconds a request may take"
    )
    verify.add_argument(
        "--dry-run", action="store_true", help="list the operations and phases; send nothing"
    )
    verify.add_argument(
        "--report",
        nargs=2,
        action="append",
        metavar=("FORMAT", "PATH"),
        help="also write a junit, html or markdown report to PATH (repeatable)",
    )
    verify.set_defaults(run=command)


def command(args: argparse.Namespace) -> int:
    from sharemock.verify import Options, run

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    options = Options(
        provider=args.provider,
        base_url=args.base_url,
        token=args.token,
        basic=args.basic,
        key=args.key,
        login=args.login,
        project=args.project,
        max_examples=args.max_examples,
        seed=seed,
        operations=tuple(args.operation or ()),
        phases=tuple(args.phase or ()),
        workers=args.workers,
        request_timeout=args.request_timeout,
        dry_run=args.dry_run,
        reports=tuple((kind, Path(path)) for kind, path in args.report or ()),
    )
    hash_seed = str(seed % 2**32)
    if options.dry_run or os.environ.get(HASH_SEED_ENV) == hash_seed:
        return run(options)
    from sharemock.verify.profiles import CREDENTIAL_ENV

    # Credentials travel in the child's environment, not on its command line (`ps` shows that).
    env = {**os.environ, HASH_SEED_ENV: hash_seed}
    # Hypothesis keeps caches in ./.hypothesis unless told otherwise: not in the user's project.
    env.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(_cache_dir()))
    for name, variable in CREDENTIAL_ENV.items():
        if getattr(options, name) is not None:
            env[variable] = getattr(options, name)
    child = [sys.executable, "-m", "sharemock", "verify", *to_argv(options)]
    try:
        return subprocess.call(child, env=env)
    except KeyboardInterrupt:
        return 1


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sharemock" / "hypothesis"


def to_argv(options: Any) -> list[str]:
    """The `sharemock verify` arguments that make `options`, credentials left out."""
    argv = [options.provider, "--base-url", options.base_url]
    if options.max_examples is not None:
        argv += ["--max-examples", str(options.max_examples)]
    if options.seed is not None:
        argv += ["--seed", str(options.seed)]
    for operation in options.operations:
        argv += ["--operation", operation]
    for phase in options.phases:
        argv += ["--phase", phase]
    argv += ["--workers", str(options.workers)]
    if options.request_timeout is not None:
        argv += ["--request-timeout", str(options.request_timeout)]
    if options.dry_run:
        argv.append("--dry-run")
    for kind, path in options.reports:
        argv += ["--report", kind, str(path)]
    return argv
