"""`sharemock serve --reload`: restart the worker when a contract in the spec directory changes.

uvicorn's own reloader (watchfiles) watches the directory and restarts the one worker process;
the state is in a SQLite file or PostgreSQL, so it survives the restart. This module adds what
uvicorn does not know: before a restart, the new contracts are loaded and validated here, in
the reloader's process, so a broken file is reported and the running worker (the last good
contracts) keeps serving; after it, one line per changed file names the operations added,
removed or changed. The previous contracts' digests live in this process, which outlives the
workers, so the comparison needs no file beside the state.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from uvicorn import Config, Server
from uvicorn.supervisors.watchfilesreload import WatchFilesReload

from sharemock.provider import snake_case
from sharemock.spec import HTTP_METHODS, load_document


class ContractError(Exception):
    """A contract file that cannot be served: unreadable, not YAML, or not valid OpenAPI."""


@dataclass(frozen=True)
class Operation:
    """What the diff compares of one operation: where it is routed, and a digest of its
    definition with every local `$ref` it reaches (so a changed schema changes it too)."""

    method: str
    path: str
    digest: str
    handled: bool = True  # its handler exists (a new operation may have none yet)

    def route(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def described(self) -> str:
        return self.route() if self.handled else f"{self.route()}, no handler: answers 500"


# file name -> operationId -> Operation
Contracts = dict[str, dict[str, Operation]]


def _pointer(document: Mapping[str, Any], ref: str) -> Any:
    target: Any = document
    for part in ref.removeprefix("#/").split("/"):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    return target


def _references(document: Mapping[str, Any], node: Any) -> dict[str, Any]:
    """Every local `$ref` reachable from `node`, and what it names (cycles followed once)."""
    found: dict[str, Any] = {}
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and ref not in found:
                found[ref] = _pointer(document, ref)
                pending.append(found[ref])
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def operations(document: Mapping[str, Any]) -> dict[str, Operation]:
    """The document's operations by operationId."""
    found: dict[str, Operation] = {}
    for path, item in (document.get("paths") or {}).items():
        shared = item.get("parameters", [])  # path-level parameters belong to each operation
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            definition = [operation, shared]
            closure = [definition, _references(document, definition)]
            text = json.dumps(closure, sort_keys=True, default=str)
            operation_id = operation.get("operationId") or f"{method.upper()} {path}"
            found[operation_id] = Operation(method, path, hashlib.sha256(text.encode()).hexdigest())
    return found


def load_contracts(spec_dir: Path, files: Mapping[str, str]) -> Contracts:
    """Load and validate `files` (name -> handlers module) as the worker will (Connexion's own
    spec validation); raise `ContractError` naming the first that cannot be served."""
    from connexion.spec import Specification

    contracts: Contracts = {}
    for name, module_name in files.items():
        try:
            document = load_document(spec_dir / name)
            Specification.from_dict(document)
            _references(document, document)  # so the digests below cannot fail on a $ref
        except Exception as exc:  # YAML, OSError, InvalidSpecification, KeyError: all refusals
            raise ContractError(f"{name}: {_first_line(exc)}") from exc
        module = importlib.import_module(module_name)
        contracts[name] = {
            operation_id: replace(operation, handled=hasattr(module, snake_case(operation_id)))
            for operation_id, operation in operations(document).items()
        }
    return contracts


def _first_line(exc: Exception) -> str:
    """One line saying what is wrong and where (YAML's line, OpenAPI's JSON path)."""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:  # a YAML error: its first line is the context, not the problem
        return f"{getattr(exc, 'problem', None) or exc} (line {mark.line + 1})"
    text = (str(exc).strip() or type(exc).__name__).splitlines()[0]
    where = getattr(exc, "json_path", None)  # jsonschema's, for an invalid OpenAPI document
    return f"{text} (at {where})" if where and where != "$" else text


def differences(old: Contracts, new: Contracts) -> dict[str, list[str]]:
    """Per file whose operations differ: `+ id (METHOD /path)`, `~ id`, `- id`, in order."""
    changes: dict[str, list[str]] = {}
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name, {}), new.get(name, {})
        lines = [f"+ {op} ({after[op].described()})" for op in sorted(after.keys() - before.keys())]
        for op in sorted(after.keys() & before.keys()):
            if after[op] == before[op]:
                continue
            moved = after[op].route() != before[op].route()  # a new route is worth naming
            lines.append(f"~ {op} ({after[op].described()})" if moved else f"~ {op}")
        lines += [f"- {op}" for op in sorted(before.keys() - after.keys())]
        if lines:
            changes[name] = lines
    return changes


def _say(message: str) -> None:
    # Printed, not logged: the reloader's verdicts are shown whatever `--log-level` says.
    print(f"sharemock: {message}", file=sys.stderr, flush=True)


class ContractReload(WatchFilesReload):
    """uvicorn's watchfiles reloader that restarts only onto contracts that load, and says
    which operations moved."""

    def __init__(self, config: Config, spec_dir: Path, files: Mapping[str, str]) -> None:
        self.spec_dir, self.files = spec_dir, files
        self.contracts = load_contracts(spec_dir, files)  # a broken start-up fails here, once
        server = Server(config=config)
        super().__init__(config, target=server.run, sockets=[config.bind_socket()])

    def restart(self) -> None:
        try:
            new = load_contracts(self.spec_dir, self.files)
        except ContractError as exc:
            # The worker would not start on it: keep the one that serves the last good ones.
            _say(f"not reloaded, still serving the last good contracts: {exc}")
            return
        super().restart()
        changes = differences(self.contracts, new)
        self.contracts = new
        where = self.spec_dir.name
        for name, lines in changes.items():
            _say(f"reloaded {where}/{name}: {', '.join(lines)}")
        if not changes:
            _say(f"reloaded {where}/: no operation added, removed or changed")
