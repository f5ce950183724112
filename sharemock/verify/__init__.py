"""`sharemock verify`: a provider's contract checked against any server, by Schemathesis.

One entry point, `run(options) -> int`: 0 the server conforms, 1 it does not (failures, a
documented route missing, or errors that kept checks from running), 2 the run could not start
(a usage error, or a server that answers nothing).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from sharemock.verify.options import PHASES, REPORT_FORMATS, Options, UsageError, credentials_for
from sharemock.verify.profiles import CREDENTIAL_ENV, Credentials, Profile, profile_for

__all__ = ["CREDENTIAL_ENV", "PHASES", "REPORT_FORMATS", "Options", "run"]


def spec_path(options: Options) -> Path:
    """The contract sharemock ships for the provider (never the server's served copy)."""
    from sharemock.config import Settings
    from sharemock.providers import provider_named

    provider = provider_named(options.provider)
    spec_dir = options.spec_dir or Settings.from_env().spec_dir
    return spec_dir / provider.spec_file


def run(
    options: Options,
    *,
    env: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Verify the server at `options.base_url` against the provider's contract."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        options = options.checked()
        profile = profile_for(options.provider)
        credentials = credentials_for(options, profile, os.environ if env is None else env)
        path = spec_path(options)
        if options.dry_run:
            out.write(_dry_run(options, path, profile.describe(credentials)))
            return 0
        return _run(options, profile, credentials, path, out, err)
    except (UsageError, LookupError) as exc:
        err.write(f"sharemock verify: {exc.args[0] if exc.args else exc}\n")
        return 2


def _run(
    options: Options,
    profile: Profile,
    credentials: Credentials,
    path: Path,
    out: TextIO,
    err: TextIO,
) -> int:
    from sharemock.verify.output import JunitReport, Progress, html_report, markdown, summary
    from sharemock.verify.runner import Unreachable, execute

    live = err.isatty() if options.progress is None else options.progress
    sinks: list[Callable[[Any], None]] = [Progress(err, options.provider, live=live)]
    junit = [JunitReport(report_path) for kind, report_path in options.reports if kind == "junit"]
    sinks += junit
    try:
        outcome = execute(options, profile, credentials, path, sinks=sinks)
    except Unreachable as exc:
        err.write(f"sharemock verify: cannot reach {options.base_url}: {exc}\n")
        return 2
    for report in junit:
        report.close(outcome)
    for kind, report_path in options.reports:
        if kind == "markdown":
            report_path.write_text(markdown(outcome), encoding="utf-8")
        elif kind == "html":
            report_path.write_text(html_report(outcome), encoding="utf-8")
    out.write(summary(outcome))
    return 0 if outcome.conforms and not outcome.interrupted else 1


def _dry_run(options: Options, path: Path, auth: str) -> str:
    from sharemock.spec import load_document
    from sharemock.verify.runner import check_operations, contract_operations

    document = load_document(path)
    check_operations(options, document)
    operations = [
        (label, operation_id)
        for label, operation_id in contract_operations(document)
        if not options.operations or operation_id in options.operations
    ]
    links = sum(
        len(response.get("links") or {})
        for item in document.get("paths", {}).values()
        for method, operation in item.items()
        if isinstance(operation, dict) and method != "parameters"
        for response in (operation.get("responses") or {}).values()
        if isinstance(response, dict)
    )
    phases = []
    for phase in options.selected_phases:
        note = f" (through {links} links)" if phase == "stateful" else ""
        if phase == "stateful" and not links:
            note = " (no links in the contract: nothing to do)"
        phases.append(phase + note)
    lines = [
        f"sharemock verify {options.provider} against {options.base_url} (dry run: nothing sent)",
        f"contract: {path}",
        f"auth: {auth}",
        f"phases: {', '.join(phases)}",
        f"max examples: {options.max_examples or 'Schemathesis default'}"
        f" · seed: {options.seed if options.seed is not None else 'random'}"
        f" · workers: {options.workers}",
        f"operations ({len(operations)}):",
        *(f"  {operation_id:<28} {label}" for label, operation_id in operations),
    ]
    return "\n".join(lines) + "\n"
