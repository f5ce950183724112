"""The one table `make bench` prints, from the summary `bench/run.py` also saves as JSON."""

from __future__ import annotations

from typing import Any

LABELS = {
    "mock": "sharemock (make serve: a worker per core)",
    "mock-1w": "sharemock --workers 1",
    "mock-pg": "sharemock on PostgreSQL (a worker per core)",
    "floor": "stock Connexion FlaskApp (floor)",
    "floor-async": "stock Connexion AsyncApp (floor)",
    "prism": "Prism",
    "ceiling": "bare Starlette (ceiling)",
}
COLUMNS = ("workload", "server", "req/s", "p50", "p99", "peak RSS", "largest process", "non-2xx")


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _row(result: dict[str, Any]) -> tuple[str, ...]:
    bad = str(result["non2xx"])
    if result["socket_errors"]:
        bad += f" (+{result['socket_errors']} socket errors)"
    return (
        result["workload"],
        LABELS.get(result["server"], result["server"]),
        f"{result['requests_per_s']:,.0f}",
        _ms(result["p50_ms"]),
        _ms(result["p99_ms"]),
        f"{result['peak_rss_mib']:.0f} MiB",
        f"{result['peak_process_rss_mib']:.0f} MiB",
        bad,
    )


def _markdown(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A Markdown table, padded so it also reads as plain text."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return [line(header), line(tuple("-" * w for w in widths)), *map(line, rows)]


def render(summary: dict[str, Any]) -> str:
    """The results table, the ratios below it, start-up and the contract run's wall time."""
    lines = [
        f"sharemock bench, {summary['date']}: {summary['rounds']} rounds of "
        f"{summary['seconds']:g} s, wrk {summary['wrk']}, {summary['machine']['cores']} cores; "
        "medians over the rounds (peak RSS of the process tree and of its largest process: the "
        "most of any round; non-2xx: all rounds)",
        "",
        *_markdown(COLUMNS, [_row(r) for r in summary["results"]]),
    ]
    ratios = summary["ratios"]
    if ratios:
        workloads = list(dict.fromkeys(w for named in ratios.values() for w in named))
        rows = [
            (name, *(f"{named[w]:.2f}" if w in named else "-" for w in workloads))
            for name, named in ratios.items()
        ]
        lines += ["", *_markdown(("ratio", *workloads), rows)]
    lines.append("")
    for server, seconds in summary["startup_s"].items():
        lines.append(
            f"start-up of {LABELS.get(server, server)}, from spawn until each contract of the "
            f"{summary['startup_workload']} had answered 2xx: {seconds:.2f} s (median)"
        )
    contract = summary.get("contract")
    if contract:
        lines.append(
            f"in-process Schemathesis run (pytest -m contract -q): {contract['wall_s']:.0f} s "
            f"wall, exit {contract['exit']}"
        )
    return "\n".join(lines)
