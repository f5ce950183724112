"""`make fuzz`: Schemathesis against a served mock, every contract, deep, with a fixed seed.

The five provider mounts (DefDrive, its deployed dialect, Filerobot, Oracle, KooDrive) run
through `sharemock verify`'s library (`sharemock.verify.runner.execute`: each provider's rules
built in); the admin API runs through the same engine with the rules `schemathesis.toml` gives
its project. Every phase (examples, coverage, fuzzing, stateful), every default check (all of
Schemathesis's checks but `max_response_time`, which needs a limit), no example database.

One mock serves every contract (`sharemock serve` on a free loopback port, a fresh database),
reset to its fixtures before each contract and after the last (the admin API's run leaves
rules and a moved clock). Exit 0 only when every contract conforms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fuzz import server

CONTRACTS = ("defdrive", "defdrive-deployed", "filerobot", "oracle", "koodrive", "admin")
ADMIN_TITLE = "sharemock admin API"
HASH_SEED_ENV = "PYTHONHASHSEED"
RESULTS = server.REPO / "fuzz" / "results"
DEFAULT_EXAMPLES = 1000
DEFAULT_SEED = 20261202


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__)
    parser.add_argument(
        "--examples",
        type=int,
        default=int(env.get("FUZZ_EXAMPLES") or DEFAULT_EXAMPLES),
        help=f"generated cases per operation ($FUZZ_EXAMPLES, default {DEFAULT_EXAMPLES})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=int(env.get("FUZZ_SEED") or DEFAULT_SEED),
        help=f"Schemathesis's seed ($FUZZ_SEED, default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--contracts",
        default=env.get("FUZZ_CONTRACTS") or ",".join(CONTRACTS),
        help=f"comma-separated ($FUZZ_CONTRACTS, default {','.join(CONTRACTS)})",
    )
    parser.add_argument(
        "--server-workers",
        default=env.get("FUZZ_SERVER_WORKERS") or "2",
        help="`sharemock serve --workers` ($FUZZ_SERVER_WORKERS, default 2)",
    )
    parser.add_argument(
        "--request-timeout", type=float, default=30.0, help="seconds a request may take"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the summary goes")
    args = parser.parse_args(argv)
    args.contract_list = [c.strip() for c in args.contracts.split(",") if c.strip()]
    unknown = [c for c in args.contract_list if c not in CONTRACTS]
    if unknown:
        parser.error(f"unknown contract(s) {', '.join(unknown)} (known: {', '.join(CONTRACTS)})")
    if args.examples < 1:
        parser.error("--examples must be at least 1")
    return args


@dataclass
class ContractResult:
    """One contract's figures."""

    contract: str
    operations: int
    cases: int
    min_cases_per_operation: int
    failures: int
    errors: list[str]
    missing_routes: list[str]
    duration_s: float
    phase_cases: dict[str, int]
    conforms: bool
    per_operation: list[dict[str, Any]] = field(default_factory=list)
    report: str = ""


def admin_rules(toml_path: Path | None = None) -> dict[str, Any]:
    """The admin API's project in `schemathesis.toml` (what `make contract` runs with), less
    its title: the single source of its rules."""
    path = toml_path or server.REPO / "schemathesis.toml"
    projects = tomllib.loads(path.read_text(encoding="utf-8")).get("project", [])
    for project in projects:
        if project.get("title") == ADMIN_TITLE:
            return {key: value for key, value in project.items() if key != "title"}
    raise LookupError(f"no [[project]] titled {ADMIN_TITLE!r} in {path}")


def _plan(contract: str, base: str, args: argparse.Namespace) -> tuple[Any, Any, Any, Path]:
    """(options, profile, credentials, contract file) of one contract's run."""
    from sharemock.config import Settings
    from sharemock.verify import Options
    from sharemock.verify.options import credentials_for
    from sharemock.verify.profiles import Credentials, Profile, profile_for

    mount = "__admin" if contract == "admin" else contract
    options = Options(
        provider=contract,
        base_url=f"{base}/{mount}",
        max_examples=args.examples,
        seed=args.seed,
        request_timeout=args.request_timeout,
        progress=False,
    ).checked()
    if contract == "admin":
        rules = admin_rules()
        profile = Profile(
            provider="admin",
            accepts=(),
            defaults=Credentials(),
            auth=lambda _c: {},
            describe=lambda _c: "none (the admin API is open on loopback)",
            rules=lambda _c: rules,
        )
        return options, profile, Credentials(), Settings.from_env().spec_dir / "admin.yaml"
    from sharemock.verify import spec_path

    profile = profile_for(contract)
    # The mock's development credentials: never a SHAREMOCK_VERIFY_* of the caller's.
    return options, profile, credentials_for(options, profile, {}), spec_path(options)


def _top_up(
    outcome: Any,
    options: Any,
    plan: tuple[Any, Any, Path],
    base: str,
    args: argparse.Namespace,
    sinks: list[Any],
) -> dict[str, int]:
    """A fuzzing pass of its own for each operation the contract's run left under
    `--examples` cases, merged into `outcome`; the cases each added, by label.

    In a whole contract's run Schemathesis draws path IDs from the answers it has seen, and a
    negative case whose only input is such an ID has nothing to negate: it is rejected, and
    Hypothesis ends an operation's generation after enough rejections (seen on DefDrive's
    DELETEs: 32 and 82 cases; alone, on fresh fixtures, 1,002). An operation with no inputs
    at all (`GET /api/health`) stays short: Hypothesis stops when no new input is left."""
    import dataclasses

    from sharemock.verify.runner import execute

    added: dict[str, int] = {}
    for op in [op for op in outcome.operations.values() if op.cases < args.examples]:
        server.admin_reset(base)
        alone = dataclasses.replace(options, operations=(op.operation_id,), phases=("fuzzing",))
        extra = execute(alone.checked(), *plan, sinks=sinks)
        more = extra.operations.get(op.label)
        if more is not None and more.cases:
            op.cases += more.cases
            op.statuses.update(more.statuses)
            op.unrouted_answers += more.unrouted_answers
            op.findings.update(more.findings)
            added[op.label] = more.cases
        outcome.errors.extend(extra.errors)
        outcome.duration_s += extra.duration_s
        outcome.phase_cases["fuzzing, alone"] += more.cases if more is not None else 0
        outcome.interrupted = outcome.interrupted or extra.interrupted
    return added


def run_contract(contract: str, base: str, args: argparse.Namespace) -> ContractResult:
    from sharemock.verify.output import Progress, markdown
    from sharemock.verify.runner import Unreachable, execute

    options, profile, credentials, path = _plan(contract, base, args)
    sinks = [Progress(sys.stderr, contract, live=False)]
    began = time.monotonic()
    try:
        outcome = execute(options, profile, credentials, path, sinks=sinks)
        topped_up = _top_up(outcome, options, (profile, credentials, path), base, args, sinks)
    except Unreachable as exc:
        took = time.monotonic() - began
        return ContractResult(contract, 0, 0, 0, 0, [f"unreachable: {exc}"], [], took, {}, False)
    operations = list(outcome.operations.values())
    result = ContractResult(
        contract=contract,
        operations=len(operations),
        cases=outcome.total_cases,
        min_cases_per_operation=min((op.cases for op in operations), default=0),
        failures=outcome.total_failures,
        errors=list(dict.fromkeys(outcome.errors)),
        missing_routes=[op.label for op in outcome.missing_routes()],
        duration_s=outcome.duration_s,
        phase_cases=dict(outcome.phase_cases),
        conforms=outcome.conforms and not outcome.interrupted,
        per_operation=[
            {
                "operation": op.operation_id,
                "label": op.label,
                "cases": op.cases,
                "failures": op.failures,
                "statuses": {str(k): v for k, v in sorted(op.statuses.items())},
                "top_up_cases": topped_up.get(op.label, 0),
            }
            for op in operations
        ],
    )
    args.results.mkdir(parents=True, exist_ok=True)
    report = args.results / f"{contract}.md"
    report.write_text(markdown(outcome), encoding="utf-8")
    result.report = str(report)
    return result


def render(summary: dict[str, Any]) -> str:
    """The summary as a markdown table (printed, and written beside the JSON)."""
    lines = [
        f"# make fuzz, {summary['date']}",
        "",
        f"Seed {summary['seed']}, {summary['examples']} examples per operation, phases"
        f" {', '.join(summary['phases'])}, every default check; mock: `{summary['server']}`.",
        "",
        "| contract | operations | cases | least per operation | failures | errors | duration |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in summary["contracts"]:
        lines.append(
            f"| {r['contract']} | {r['operations']} | {r['cases']:,} |"
            f" {r['min_cases_per_operation']:,} | {r['failures']} | {len(r['errors'])} |"
            f" {r['duration_s']:.0f} s |"
        )
    t = summary["total"]
    lines.append(
        f"| **total** | {t['operations']} | {t['cases']:,} | | {t['failures']} |"
        f" {t['errors']} | {t['duration_s']:.0f} s |"
    )
    short = [
        f"- {r['contract']}: `{op['operation']}` ({op['label']}), {op['cases']:,} cases"
        for r in summary["contracts"]
        for op in r["per_operation"]
        if op["cases"] < summary["examples"]
    ]
    if short:
        lines += [
            "",
            f"Under {summary['examples']:,} cases even after a fuzzing pass of their own"
            " (Hypothesis found no more inputs to try):",
            *short,
        ]
    lines += ["", f"Server log: {summary['server_log_tracebacks']} tracebacks."]
    for r in summary["contracts"]:
        for error in r["errors"]:
            lines.append(f"- {r['contract']}: error: {error}")
        for label in r["missing_routes"]:
            lines.append(f"- {r['contract']}: route missing: {label}")
    lines += ["", "PASS" if summary["passed"] else "FAIL"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # Schemathesis iterates sets of strings between phases: a run repeats exactly only with
    # Python's hash salt fixed, so the run happens in a child whose salt comes from the seed
    # (as `sharemock verify` does).
    hash_seed = str(args.seed % 2**32)
    if os.environ.get(HASH_SEED_ENV) != hash_seed:
        env = {**os.environ, HASH_SEED_ENV: hash_seed}
        child = [sys.executable, "-m", "fuzz.run", *(argv if argv is not None else sys.argv[1:])]
        return subprocess.call(child, env=env, cwd=server.REPO)
    results: list[ContractResult] = []
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sharemock-fuzz-") as scratch_dir:
        served = server.start(Path(scratch_dir), ["--workers", args.server_workers])
        try:
            print(f"fuzz: mock at {served.base} (pid {served.pid})", file=sys.stderr)
            for contract in args.contract_list:
                server.admin_reset(served.base)
                print(f"== {contract}", file=sys.stderr, flush=True)
                result = run_contract(contract, served.base, args)
                results.append(result)
                print(
                    f"fuzz {contract}: {result.operations} operations, {result.cases} cases"
                    f" (least {result.min_cases_per_operation} per operation),"
                    f" {result.failures} failures, {len(result.errors)} errors,"
                    f" {result.duration_s:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
            # The admin API's run leaves rules and a moved clock behind: back to the fixtures.
            server.admin_reset(served.base)
        finally:
            server.stop(served)
        log = served.log.read_text(errors="replace")
    summary: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["python -m fuzz.run", *(argv or sys.argv[1:])]),
        "seed": args.seed,
        "examples": args.examples,
        "phases": ["examples", "coverage", "fuzzing", "stateful"],
        "server": " ".join(
            ["sharemock serve", "--workers", args.server_workers, "(loopback, fresh --db)"]
        ),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "contracts": [r.__dict__ for r in results],
        "total": {
            "operations": sum(r.operations for r in results),
            "cases": sum(r.cases for r in results),
            "failures": sum(r.failures for r in results),
            "errors": sum(len(r.errors) for r in results),
            "duration_s": time.monotonic() - began,
        },
        "server_log_tracebacks": log.count("Traceback (most recent call last)"),
        "passed": bool(results) and all(r.conforms for r in results),
    }
    text = render(summary)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.json").write_text(json.dumps(summary, indent=2) + "\n")
    (args.results / "latest.md").write_text(text)
    print(f"results: {args.results}/latest.json, latest.md, <contract>.md", file=sys.stderr)
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
