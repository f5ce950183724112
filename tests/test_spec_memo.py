"""Contracts parsed and validated once per process: the copies are fresh, a change is seen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from connexion.exceptions import InvalidSpecification
from connexion.spec import Specification

from sharemock.config import Settings
from sharemock.spec import load_document
from sharemock.spec_validation import install


def test_each_load_is_a_fresh_copy_and_a_changed_file_is_read_again(tmp_path: Path) -> None:
    contract = tmp_path / "api.yaml"
    contract.write_text("openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\n")
    first = load_document(contract)
    first["info"]["title"] = "changed by a caller"
    assert load_document(contract)["info"]["title"] == "a"
    contract.write_text("openapi: 3.0.3\ninfo: {title: b, version: '1'}\npaths: {}\n")
    os.utime(contract, ns=(1, 1))  # another version, even within the clock's resolution
    assert load_document(contract)["info"]["title"] == "b"


def test_a_valid_document_is_remembered_and_an_invalid_one_always_refused() -> None:
    install()
    document = load_document(Settings().spec_dir / "defdrive.yaml")
    Specification.from_dict(document)  # valid: checked, then remembered
    Specification.from_dict(load_document(Settings().spec_dir / "defdrive.yaml"))
    broken = load_document(Settings().spec_dir / "defdrive.yaml")
    broken["paths"]["/api/login"]["post"]["responses"] = "not a map"
    for _ in range(2):  # a refusal is never remembered
        with pytest.raises(InvalidSpecification):
            Specification.from_dict(broken)
