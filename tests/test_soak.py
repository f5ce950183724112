"""`make soak`'s checks: the ledger against a state export, and a few seconds of the load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from soak.ledger import GONE, Ledger, check


def _export(
    accesses: list[dict[str, Any]], shares: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "sharemock": "state/1",
        "providers": {
            "defdrive": {"defdrive_accesses": accesses},
            "koodrive": {"koodrive_shares": shares or []},
        },
    }


def test_the_last_acknowledged_write_must_be_there() -> None:
    ledger = Ledger()
    ledger.acked("defdrive_access", 456, "soak-1-1")
    ledger.acked("defdrive_access", 456, "soak-1-2")
    assert check(ledger, _export([{"id": 456, "name": "soak-1-2"}])).ok
    lost = check(ledger, _export([{"id": 456, "name": "soak-1-1"}]))
    assert not lost.ok
    assert lost.lost == ["defdrive_access 456: acknowledged 'soak-1-2', the export has 'soak-1-1'"]


def test_an_unacknowledged_write_may_or_may_not_have_happened() -> None:
    ledger = Ledger()
    ledger.acked("defdrive_access", 456, "soak-1-1")
    ledger.unsure("defdrive_access", 456, "soak-1-2")  # a reset: the server may have written
    assert check(ledger, _export([{"id": 456, "name": "soak-1-1"}])).ok
    applied = check(ledger, _export([{"id": 456, "name": "soak-1-2"}]))
    assert applied.ok and applied.unacknowledged_applied == 1
    assert not check(ledger, _export([{"id": 456, "name": "soak-9-9"}])).ok


def test_an_acknowledged_delete_must_be_gone_and_a_create_there() -> None:
    ledger = Ledger()
    ledger.acked("koodrive_share", "1", "soak-2-1")
    ledger.acked("koodrive_share", "1", GONE)
    ledger.acked("koodrive_share", "2", "soak-2-2")
    assert check(ledger, _export([], [{"id": "2", "comment": "soak-2-2"}])).ok
    back = check(ledger, _export([], [{"id": "1", "comment": "soak-2-1"}]))
    assert len(back.lost) == 2  # share 1 is back, share 2 is missing


def test_rows_of_the_soak_no_client_knows_of_are_orphans() -> None:
    verdict = check(Ledger(), _export([{"id": 9, "name": "soak-3-1"}, {"id": 456, "name": "x"}]))
    assert verdict.ok and verdict.orphans == ["defdrive_access 9"]


@pytest.mark.soak
def test_a_short_soak_passes(tmp_path: Path) -> None:
    """Five seconds, three clients, chaos on, over two workers: every criterion holds."""
    from soak.run import main

    argv = ["--seconds", "5", "--clients", "3", "--sample-every", "0.25"]
    assert main([*argv, "--results", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "latest.json").read_text())
    assert summary["tally"]["requests"] > 50
    assert summary["ledger"]["acknowledged_writes"] > 10
    assert len(summary["rss"]["workers"]) == 2
    assert all(c["ok"] for c in summary["criteria"].values())
