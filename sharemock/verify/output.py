"""What a run shows: the progress line (stderr), the summary (stdout), and the reports."""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any, TextIO

from schemathesis.engine import events

from sharemock.verify.drift import drift_lines
from sharemock.verify.outcome import Outcome

MAX_MESSAGE_LINES = 6


class Progress:
    """A live line on a terminal; a plain line per phase otherwise."""

    def __init__(self, stream: TextIO, provider: str, *, live: bool) -> None:
        self.stream = stream
        self.provider = provider
        self.live = live
        self.phase = ""
        self.cases = 0
        self.failing = 0
        self.phase_cases = 0
        self.phase_failing = 0
        self.phase_started = time.monotonic()
        self._last = 0.0

    def __call__(self, event: Any) -> None:
        if isinstance(event, events.PhaseStarted):
            self.phase = str(event.phase.name.value)
            self.phase_cases = self.phase_failing = 0
            self.phase_started = time.monotonic()
        elif isinstance(event, events.ScenarioStarted) and self.live:
            self._line(getattr(event, "label", "") or "")
        elif isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            self.cases += len(recorder.cases)
            self.phase_cases += len(recorder.cases)
            failing = len(recorder.failing_case_ids())
            self.failing += failing
            self.phase_failing += failing
            if self.live:
                self._line(recorder.label)
        elif isinstance(event, events.PhaseFinished) and event.phase.name.value in (
            "examples",
            "coverage",
            "fuzzing",
            "stateful",
        ):
            self._phase_done(event)
        elif isinstance(event, events.EngineFinished) and self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def _line(self, label: str) -> None:
        now = time.monotonic()
        if now - self._last < 0.1:
            return
        self._last = now
        text = (
            f"sharemock verify {self.provider} · {self.phase} · {self.cases} cases"
            f" · {self.failing} failing · {label}"
        )
        self.stream.write("\r\x1b[K" + text[:120])
        self.stream.flush()

    def _phase_done(self, event: Any) -> None:
        name = event.phase.name.value
        if event.phase.skip_reason is not None:
            line = f"{name}: skipped ({event.phase.skip_reason.value})"
        else:
            took = time.monotonic() - self.phase_started
            line = f"{name}: {self.phase_cases} cases, {self.phase_failing} failing ({took:.1f} s)"
        prefix = "\r\x1b[K" if self.live else ""
        self.stream.write(f"{prefix}sharemock verify {self.provider}: {line}\n")
        self.stream.flush()


def _failure_text(message: str) -> list[str]:
    """The failure's first lines, up to the schema dump a JSON Schema failure adds."""
    lines = []
    for line in message.strip().splitlines():
        if line.startswith((" ", "\t")):
            break
        if line.strip():
            lines.append(line)
    shown = lines[:MAX_MESSAGE_LINES]
    if len(lines) > len(shown):
        shown.append("…")
    return shown


def _by_check(counts: dict[str, int]) -> str:
    return ", ".join(f"{check} x{n}" if n > 1 else check for check, n in sorted(counts.items()))


def summary(outcome: Outcome) -> str:
    """The run's readable summary."""
    rows = list(outcome.operations.values())
    width = max([len(f"{op.operation_id}  {op.label}") for op in rows] + [9])
    out = [
        f"sharemock verify {outcome.provider} against {outcome.base_url}",
        f"phases: {', '.join(outcome.phases)} · seed {outcome.seed}",
        "",
        f"{'operation':<{width}}  {'cases':>6}  failures",
    ]
    for op in rows:
        name = f"{op.operation_id}  {op.label}"
        failures = _by_check(dict(op.by_check())) if op.findings else "0"
        out.append(f"{name:<{width}}  {op.cases:>6}  {failures}")
    out.append(f"{'total':<{width}}  {outcome.total_cases:>6}  {outcome.total_failures}")
    number = 0
    for op in rows:
        for finding in op.findings.values():
            number += 1
            if number == 1:
                out += ["", "Failures"]
            seen = f" ({finding.cases} cases)" if finding.cases > 1 else ""
            out.append("")
            out.append(f"{number}. {op.operation_id} {op.label}: {finding.check}{seen}")
            out.append(f"   {finding.title}")
            out += [f"   {line}" for line in _failure_text(finding.message)]
            out.append(f"   reproduce: {finding.curl}")
    drift = drift_lines(outcome) if not outcome.conforms else []
    if drift:
        out += ["", "Differences from the contract"]
        out += [f"- {line}" for line in drift]
    if outcome.errors:
        out += ["", "Errors (the run could not check everything)"]
        out += [f"- {error}" for error in dict.fromkeys(outcome.errors)]
    if number:
        out += ["", "(credentials in the curl commands are shown as [Filtered])"]
    out.append("")
    out.append(verdict(outcome))
    return "\n".join(out) + "\n"


def verdict(outcome: Outcome) -> str:
    took = f"{outcome.total_cases} cases in {outcome.duration_s:.1f} s"
    if outcome.interrupted:
        return f"Interrupted: {took}, {outcome.total_failures} failures so far."
    if outcome.conforms:
        return f"Conforms: {took}, 0 failures."
    failing = sum(1 for op in outcome.operations.values() if op.findings)
    parts = [f"{outcome.total_failures} failures in {failing} operations"]
    missing = len(outcome.missing_routes())
    if missing:
        parts.append(f"{missing} route{'s' if missing != 1 else ''} missing")
    if outcome.errors:
        parts.append(f"{len(set(outcome.errors))} errors")
    return (
        f"Does not conform: {', '.join(parts)} ({took})."
        f" The same cases again: --seed {outcome.seed}"
    )


def markdown(outcome: Outcome) -> str:
    out = [
        f"# sharemock verify {outcome.provider}",
        "",
        f"Against `{outcome.base_url}`; phases {', '.join(outcome.phases)}; seed {outcome.seed}.",
        "",
        f"**{verdict(outcome)}**",
        "",
        "| operation | | cases | failures |",
        "|---|---|---:|---|",
    ]
    for op in outcome.operations.values():
        failures = _by_check(dict(op.by_check())) if op.findings else "0"
        out.append(f"| `{op.operation_id}` | `{op.label}` | {op.cases} | {failures} |")
    for op in outcome.operations.values():
        for finding in op.findings.values():
            out += [
                "",
                f"## {op.operation_id}: {finding.check}",
                "",
                f"{finding.title} ({finding.cases} cases)",
                "",
                "```",
                *_failure_text(finding.message),
                "```",
                "",
                "```sh",
                finding.curl,
                "```",
            ]
    drift = drift_lines(outcome) if not outcome.conforms else []
    if drift:
        out += ["", "## Differences from the contract", ""] + [f"- {line}" for line in drift]
    if outcome.errors:
        out += ["", "## Errors", ""] + [f"- {e}" for e in dict.fromkeys(outcome.errors)]
    return "\n".join(out) + "\n"


def html_report(outcome: Outcome) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td><code>{e(op.operation_id)}</code></td><td><code>{e(op.label)}</code></td>"
        f"<td>{op.cases}</td><td>{e(_by_check(dict(op.by_check())) or '0')}</td></tr>"
        for op in outcome.operations.values()
    )
    findings = "".join(
        f"<section><h3>{e(op.operation_id)}: {e(finding.check)}</h3>"
        f"<p>{e(finding.title)} ({finding.cases} cases)</p>"
        f"<pre>{e(chr(10).join(_failure_text(finding.message)))}</pre>"
        f"<pre>{e(finding.curl)}</pre></section>"
        for op in outcome.operations.values()
        for finding in op.findings.values()
    )
    drift = drift_lines(outcome) if not outcome.conforms else []
    drift_html = (
        "<h2>Differences from the contract</h2><ul>"
        + "".join(f"<li>{e(line)}</li>" for line in drift)
        + "</ul>"
        if drift
        else ""
    )
    errors = (
        "<h2>Errors</h2><ul>"
        + "".join(f"<li>{e(x)}</li>" for x in dict.fromkeys(outcome.errors))
        + "</ul>"
        if outcome.errors
        else ""
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>sharemock verify {e(outcome.provider)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .6em;"
        "text-align:left}pre{background:#f4f4f4;padding:.5em;overflow-x:auto}</style>"
        f"</head><body><h1>sharemock verify {e(outcome.provider)}</h1>"
        f"<p>Against <code>{e(outcome.base_url)}</code>; phases {e(', '.join(outcome.phases))};"
        f" seed {outcome.seed}.</p><p><strong>{e(verdict(outcome))}</strong></p>"
        "<table><tr><th>operation</th><th></th><th>cases</th><th>failures</th></tr>"
        f"{rows}</table>{findings}{drift_html}{errors}</body></html>\n"
    )


class JunitReport:
    """Schemathesis's own JUnit XML writer, fed the run's scenarios."""

    def __init__(self, path: Path) -> None:
        from schemathesis.config import OutputConfig
        from schemathesis.reporting.junitxml import JunitXmlWriter

        self.writer = JunitXmlWriter(path, config=OutputConfig())

    def __call__(self, event: Any) -> None:
        if isinstance(event, events.ScenarioFinished):
            self.writer.write(
                event.recorder, event.elapsed_time, status=event.status, message=event.skip_reason
            )

    def close(self, outcome: Outcome) -> None:
        """Write the file; an operation skipped in one phase but tested in another passed."""
        self.writer.unskip({op.label for op in outcome.operations.values() if op.cases})
        self.writer.close()
