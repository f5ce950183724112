"""Schemathesis driven as a library: the provider's contract, its profile's rules, the
engine's events gathered into an `Outcome` (and handed to the progress line and reports)."""

from __future__ import annotations

import random
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from sharemock.spec import load_document
from sharemock.verify.options import PHASES, Options, UsageError
from sharemock.verify.outcome import Finding, OperationResult, Outcome, Unrouted
from sharemock.verify.profiles import Credentials, Profile, project_config

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# A path below the base URL that no contract has: its answer tells a missing route apart.
UNROUTED_PATH = "/__sharemock-verify__/no-such-route"


class Unreachable(Exception):
    """The server under test does not answer HTTP at all (exit 2)."""


def contract_operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, operationId) of every operation, in the contract's order."""
    found = []
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict):
                label = f"{method.upper()} {path}"
                found.append((label, str(operation.get("operationId") or label)))
    return found


def build_config(options: Options, profile: Profile, credentials: Credentials) -> dict[str, Any]:
    """The whole Schemathesis configuration of a run, as `schemathesis.toml` would spell it."""
    data = project_config(profile, credentials)
    data["seed"] = options.seed
    data["workers"] = options.workers
    if options.request_timeout is not None:
        data["request-timeout"] = options.request_timeout
    # No example database: a run repeats exactly, writes nothing in the working directory.
    # No NUL in generated strings: the mock refuses one (docs/decisions.md, "Hostile input"),
    # and a real DefDrive's PostgreSQL cannot store one.
    data["generation"] = {"database": "none", "allow-x00": False}
    if options.max_examples is not None:
        data["generation"]["max-examples"] = options.max_examples
    selected = options.selected_phases
    data["phases"] = {phase: {"enabled": phase in selected} for phase in PHASES}
    return data


def load_schema(options: Options, spec_path: Path, config: dict[str, Any]) -> Any:
    """The contract from the package's own file, aimed at the server under test."""
    schema: Any = schemathesis.openapi.from_path(
        str(spec_path), config=SchemathesisConfig.from_dict(config)
    )
    schema.config.update(base_url=options.base_url.rstrip("/"))
    if options.operations:
        # The others excluded, not the chosen included: Schemathesis drops an
        # `include(operation_id=…)` when the configuration has `[[operations]]` sections
        # (Filerobot's, KooDrive's and the admin API's rules), and ran every operation.
        chosen = set(options.operations)
        others = [
            operation_id
            for _label, operation_id in contract_operations(load_document(spec_path))
            if operation_id not in chosen
        ]
        if others:
            schema = schema.exclude(operation_id=others)
    return schema


def check_operations(options: Options, document: dict[str, Any]) -> None:
    known = [operation_id for _label, operation_id in contract_operations(document)]
    unknown = [name for name in options.operations if name not in known]
    if unknown:
        raise UsageError(
            f"no operation {', '.join(map(repr, unknown))} in the {options.provider} contract"
            f" (known: {', '.join(known)})"
        )


def probe(base_url: str, timeout_s: float) -> Unrouted:
    """The server's answer to a path it does not have; Unreachable if it answers nothing."""
    url = base_url.rstrip("/") + UNROUTED_PATH
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as answer:
            return Unrouted(answer.status, answer.read(65536))
    except urllib.error.HTTPError as error:
        return Unrouted(error.code, error.read(65536))
    except urllib.error.URLError as error:
        raise Unreachable(_reason(error.reason)) from None
    except TimeoutError:
        raise Unreachable(f"no answer within {timeout_s:g} s") from None
    except OSError as error:
        raise Unreachable(_reason(error)) from None


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "connection timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason)


EventSink = Callable[[Any], None]


def execute(
    options: Options,
    profile: Profile,
    credentials: Credentials,
    spec_path: Path,
    *,
    sinks: Iterable[EventSink] = (),
) -> Outcome:
    """Run every selected phase against the server."""
    document = load_document(spec_path)
    check_operations(options, document)
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**31)
    options_seeded = replace(options, seed=seed)
    schema = load_schema(
        options_seeded, spec_path, build_config(options_seeded, profile, credentials)
    )
    unrouted = probe(options.base_url, options.request_timeout or 10.0)
    operations = {
        label: OperationResult(label=label, operation_id=operation_id)
        for label, operation_id in contract_operations(document)
        if not options.operations or operation_id in options.operations
    }
    outcome = Outcome(
        provider=options.provider,
        base_url=options.base_url,
        seed=seed,
        phases=options.selected_phases,
        operations=operations,
        unrouted=unrouted if unrouted.status == 404 else None,
    )
    sinks = list(sinks)
    started = time.monotonic()
    stream = from_schema(schema).execute()
    try:
        for event in stream:
            for sink in sinks:
                sink(event)
            _gather(outcome, event, document)
    except KeyboardInterrupt:
        stream.stop()
        outcome.interrupted = True
    outcome.duration_s = time.monotonic() - started
    return outcome


def _gather(outcome: Outcome, event: Any, document: dict[str, Any]) -> None:
    if isinstance(event, events.ScenarioFinished):
        _gather_scenario(outcome, event.recorder, str(event.phase.value), document)
    elif isinstance(event, events.NonFatalError):
        message = event.info.format(base_url_is_set=True).strip().splitlines()
        outcome.errors.append(f"{event.label}: {message[0] if message else event.value!r}")
    elif isinstance(event, events.FatalError):
        outcome.errors.append(f"fatal: {event.exception}")
    elif isinstance(event, events.Interrupted):
        outcome.interrupted = True


def _gather_scenario(outcome: Outcome, recorder: Any, phase: str, document: dict[str, Any]) -> None:
    unrouted = outcome.unrouted
    for case_id, node in recorder.cases.items():
        label = node.value.operation.label
        result = outcome.operations.get(label)
        if result is None:
            continue
        result.cases += 1
        outcome.phase_cases[phase] += 1
        interaction = recorder.interactions.get(case_id)
        response = interaction.response if interaction is not None else None
        if response is not None:
            result.statuses[response.status_code] += 1
            if (
                unrouted is not None
                and response.status_code == unrouted.status
                and (response.content or b"") == unrouted.body
            ):
                result.unrouted_answers += 1
        for check in recorder.checks.get(case_id, []):
            info = check.failure_info
            if check.status != Status.FAILURE or info is None:
                continue
            key = (check.name, info.failure)
            finding = result.findings.get(key)
            if finding is None:
                result.findings[key] = Finding(
                    check=check.name,
                    title=info.failure.title,
                    message=info.failure.message,
                    curl=info.code_sample,
                    failure=info.failure,
                    raw_schema=document,
                )
            else:
                finding.cases += 1
