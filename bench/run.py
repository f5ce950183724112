"""`make bench`: each server in turn under the same wrk load, several rounds; prints the table
and writes the figures as JSON (`bench/results/latest.json`) for later runs to compare with.

    .venv/bin/python -m bench.run [--rounds N] [--seconds S] [--servers mock,prism] ...
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import servers, table, wrk
from bench.workload import Workload, workloads

RESULTS = servers.REPO / "bench" / "results" / "latest.json"
CONTRACT_RUN = [sys.executable, "-m", "pytest", "-m", "contract", "-q"]


def _environment_default(name: str, default: str) -> str:
    return os.environ.get(name) or default


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=int(_environment_default("BENCH_ROUNDS", "3"))
    )
    parser.add_argument(
        "--seconds", type=float, default=float(_environment_default("BENCH_SECONDS", "8"))
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=float(_environment_default("BENCH_WARMUP", "1")),
        help="seconds of unmeasured load before each measured run (0: none)",
    )
    parser.add_argument(
        "--servers", default=_environment_default("BENCH_SERVERS", ",".join(servers.SERVERS))
    )
    parser.add_argument("--workloads", default=_environment_default("BENCH_WORKLOADS", "put,mix"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--no-contract",
        action="store_true",
        default=os.environ.get("BENCH_CONTRACT") == "0",
        help="skip timing the in-process Schemathesis run",
    )
    parser.add_argument("--json", type=Path, default=RESULTS, help="where the results go")
    return parser.parse_args(argv)


def measure(
    server: str, workload: Workload, requests_file: Path, scratch: Path, args: argparse.Namespace
) -> tuple[wrk.Run, float]:
    """One round of `workload` against a freshly started `server`: (figures, start-up s)."""
    running = servers.start(server, workload, scratch)
    try:
        if args.warmup > 0:
            wrk.run(running.base, requests_file, args.warmup, args.threads, args.connections)
        with servers.PeakRss(running.process.pid) as rss:
            figures = wrk.run(
                running.base, requests_file, args.seconds, args.threads, args.connections
            )
        figures.peak_rss_bytes = rss.peak
        figures.peak_process_rss_bytes = rss.peak_process
    finally:
        servers.stop(running)
    return figures, running.startup_s


def _result(server: str, workload: str, runs: list[wrk.Run]) -> dict[str, Any]:
    return {
        "server": server,
        "workload": workload,
        "requests_per_s": statistics.median(r.requests_per_s for r in runs),
        "p50_ms": statistics.median(r.p50_ms for r in runs),
        "p99_ms": statistics.median(r.p99_ms for r in runs),
        "peak_rss_mib": max(r.peak_rss_bytes for r in runs) / 2**20,
        "peak_process_rss_mib": max(r.peak_process_rss_bytes for r in runs) / 2**20,
        "non2xx": sum(r.non2xx for r in runs),
        "socket_errors": sum(r.socket_errors for r in runs),
        "first_bad": next((r.first_bad for r in runs if r.first_bad), ""),
        "rounds": [r.as_dict() for r in runs],
    }


def ratios(results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """requests/s of each mock variant over Prism's and the ceiling's, and p99 over Prism's."""
    by = {(r["server"], r["workload"]): r for r in results}
    out: dict[str, dict[str, float]] = {}
    for mock in ("mock", "mock-1w", "mock-pg", "floor", "floor-async"):
        for other in ("prism", "ceiling"):
            for (server, name), result in by.items():
                if server == mock and (other, name) in by:
                    rate = result["requests_per_s"] / by[other, name]["requests_per_s"]
                    out.setdefault(f"{mock} / {other} (req/s)", {})[name] = rate
        for (server, name), result in by.items():
            if server == mock and ("prism", name) in by:
                p99 = result["p99_ms"] / by["prism", name]["p99_ms"]
                out.setdefault(f"{mock} / prism (p99)", {})[name] = p99
    return out


def contract_run() -> dict[str, Any]:
    """Wall time of the default in-process Schemathesis run."""
    began = time.monotonic()
    done = subprocess.run(CONTRACT_RUN, cwd=servers.REPO, capture_output=True, text=True)
    tail = (done.stdout.strip().splitlines() or [""])[-1]
    return {"wall_s": time.monotonic() - began, "exit": done.returncode, "summary": tail}


def _version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except OSError:
        return "missing"
    # wrk prints its version, then its usage, and exits 1.
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else "?"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    chosen_servers = servers.known(args.servers.split(","))
    every = workloads()
    unknown = set(args.workloads.split(",")) - set(every)
    if unknown:
        print(f"bench: unknown workload(s) {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    chosen = [every[name] for name in args.workloads.split(",")]
    widest = max(chosen, key=lambda w: len(w.providers))
    runs: dict[tuple[str, str], list[wrk.Run]] = {}
    startups: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="sharemock-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        files = {}
        for workload in chosen:
            files[workload.name] = scratch / f"{workload.name}.lua"
            files[workload.name].write_text(wrk.lua_requests(workload.requests))
        for round_number in range(1, args.rounds + 1):
            for server in chosen_servers:
                for workload in chosen:
                    where = scratch / f"{round_number}-{server}-{workload.name}"
                    where.mkdir()
                    figures, startup = measure(server, workload, files[workload.name], where, args)
                    runs.setdefault((server, workload.name), []).append(figures)
                    # Start-up: until every request of the widest workload has been answered.
                    if server.startswith("mock") and workload is widest:
                        startups.setdefault(server, []).append(startup)
                    print(
                        f"round {round_number}/{args.rounds} {server:8} {workload.name:4} "
                        f"{figures.requests_per_s:8.0f} req/s  p99 {figures.p99_ms:7.1f} ms  "
                        f"non-2xx {figures.non2xx}  start-up {startup:.2f} s",
                        file=sys.stderr,
                        flush=True,
                    )
    results = [_result(s, w.name, runs[s, w.name]) for s in chosen_servers for w in chosen]
    summary: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "tools": {
            "wrk": _version([wrk.wrk_binary(), "--version"]),
            "prism": _version([str(servers.PRISM), "--version"]),
        },
        "command": " ".join(["python -m bench.run", *(argv or sys.argv[1:])]),
        "rounds": args.rounds,
        "seconds": args.seconds,
        "wrk": f"-t{args.threads} -c{args.connections} --latency",
        "workloads": {w.name: w.description for w in chosen},
        "results": results,
        "ratios": ratios(results),
        "startup_s": {name: statistics.median(values) for name, values in startups.items()},
        "startup_workload": widest.name,
        "contract": None if args.no_contract else contract_run(),
    }
    print(table.render(summary))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nresults: {args.json}", file=sys.stderr)
    bad = sum(r["non2xx"] + r["socket_errors"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
