"""What a run found, gathered from Schemathesis's events: per operation, its cases, the
statuses it was answered and its failures by check, each with a curl to reproduce it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Finding:
    """One distinct failure of one check on one operation, and how many cases showed it."""

    check: str
    title: str
    message: str
    curl: str
    failure: Any  # the Schemathesis Failure of the first case that showed it
    cases: int = 1
    raw_schema: dict[str, Any] | None = None  # the contract, to resolve the failure's $refs


@dataclass
class OperationResult:
    label: str  # "GET /api/files"
    operation_id: str
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    # Answers identical to the server's answer for a path it does not have (see `Unrouted`).
    unrouted_answers: int = 0
    findings: dict[tuple[str, Any], Finding] = field(default_factory=dict)

    @property
    def failures(self) -> int:
        return len(self.findings)

    def by_check(self) -> Counter[str]:
        """Distinct failures per check."""
        return Counter(finding.check for finding in self.findings.values())


@dataclass(frozen=True)
class Unrouted:
    """The server's answer to a path below the base URL that no contract has."""

    status: int
    body: bytes


@dataclass
class Outcome:
    provider: str
    base_url: str
    seed: int
    phases: tuple[str, ...]
    operations: dict[str, OperationResult]  # by label, in the contract's order
    unrouted: Unrouted | None = None
    errors: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    phase_cases: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False

    @property
    def total_cases(self) -> int:
        return sum(op.cases for op in self.operations.values())

    @property
    def total_failures(self) -> int:
        return sum(op.failures for op in self.operations.values())

    def missing_routes(self) -> list[OperationResult]:
        """Operations the server answered only as it answers a path it does not have (or
        only 405): the route the contract documents is not there."""
        missing = []
        for op in self.operations.values():
            if not op.cases or not op.statuses:
                continue
            answered = sum(op.statuses.values())
            if op.unrouted_answers == answered or op.statuses.get(405, 0) == answered:
                missing.append(op)
        return missing

    @property
    def conforms(self) -> bool:
        return not self.total_failures and not self.errors and not self.missing_routes()
