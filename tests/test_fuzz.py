"""`make fuzz`'s bookkeeping (fuzz/run.py): an operation left short gets a pass of its own, and
what is still short is named in the summary. The runs themselves are `make fuzz`'s."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fuzz import run
from sharemock.verify import Options
from sharemock.verify.outcome import OperationResult, Outcome


def _outcome(cases: dict[str, int]) -> Outcome:
    return Outcome(
        provider="defdrive",
        base_url="http://127.0.0.1:1/defdrive",
        seed=1,
        phases=("fuzzing",),
        operations={
            label: OperationResult(label, label.split()[-1], n, Counter({200: n}))
            for label, n in cases.items()
        },
    )


def test_only_the_short_operations_get_a_pass_of_their_own_and_it_adds_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[tuple[str, ...], tuple[str, ...]]] = []

    def execute(options: Options, *_plan: Any, sinks: Any) -> Outcome:
        asked.append((options.operations, options.phases))
        return _outcome({"DELETE deleteAccess": 970, "GET getAccess": 5})

    monkeypatch.setattr("sharemock.verify.runner.execute", execute)
    monkeypatch.setattr(run.server, "admin_reset", lambda _base: None)
    outcome = _outcome({"GET getAccess": 1002, "DELETE deleteAccess": 32})
    options = Options(provider="defdrive", base_url="http://127.0.0.1:1/defdrive").checked()
    args = argparse.Namespace(examples=1000)
    added = run._top_up(outcome, options, (None, None, Path()), "http://x", args, [])
    assert asked == [(("deleteAccess",), ("fuzzing",))]
    assert added == {"DELETE deleteAccess": 970}
    assert outcome.operations["DELETE deleteAccess"].cases == 1002
    assert outcome.operations["DELETE deleteAccess"].statuses[200] == 1002
    assert outcome.operations["GET getAccess"].cases == 1002
    assert outcome.phase_cases["fuzzing, alone"] == 970


def test_the_summary_names_what_stayed_short() -> None:
    contract = {
        "contract": "admin",
        "operations": 2,
        "cases": 1013,
        "min_cases_per_operation": 3,
        "failures": 0,
        "errors": [],
        "missing_routes": [],
        "duration_s": 1.0,
        "per_operation": [
            {"operation": "getClock", "label": "GET /clock", "cases": 3},
            {"operation": "setClock", "label": "PUT /clock", "cases": 1010},
        ],
    }
    text = run.render(
        {
            "date": "today",
            "seed": 1,
            "examples": 1000,
            "phases": ["fuzzing"],
            "server": "sharemock serve",
            "contracts": [contract],
            "total": {
                "operations": 2,
                "cases": 1013,
                "failures": 0,
                "errors": 0,
                "duration_s": 1.0,
            },
            "server_log_tracebacks": 0,
            "passed": True,
        }
    )
    assert "- admin: `getClock` (GET /clock), 3 cases" in text
    assert "setClock" not in text
    assert text.rstrip().endswith("PASS")
