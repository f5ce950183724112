"""The KooDrive contract is valid OpenAPI 3.0.3 and complete enough to serve and to test."""

from __future__ import annotations

import re
from typing import Any

from openapi_spec_validator import validate
from starlette.testclient import TestClient

import handlers.koodrive
from sharemock.config import REPO_SPEC_DIR
from sharemock.spec import HTTP_METHODS, load_document

DOCUMENT = load_document(REPO_SPEC_DIR / "koodrive.yaml")


def _operations() -> list[dict[str, Any]]:
    return [
        item[method]
        for item in DOCUMENT["paths"].values()
        for method in HTTP_METHODS
        if method in item
    ]


def test_the_document_is_valid_openapi() -> None:
    validate(DOCUMENT)
    assert DOCUMENT["openapi"] == "3.0.3"
    assert "KooDrive" in DOCUMENT["info"]["description"]


def test_every_operation_resolves_to_a_handler_and_has_examples() -> None:
    ids = set()
    for operation in _operations():
        name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", operation["operationId"]).lower()
        assert callable(getattr(handlers.koodrive, name)), name
        ids.add(operation["operationId"])
        success = operation["responses"]["200"]["content"]["application/json"]
        assert "example" in success or "examples" in success, operation["operationId"]
        if "requestBody" in operation:
            assert "example" in operation["requestBody"]["content"]["application/json"]
    assert ids == {
        "createShare",
        "listShareByMe",
        "getShareByMeDetail",
        "updateShare",
        "batchCancel",
    }


def test_links_walk_create_get_update_cancel() -> None:
    targets = {
        operation["operationId"]: {
            link["operationId"] for link in operation["responses"]["200"].get("links", {}).values()
        }
        for operation in _operations()
    }
    assert {"getShareByMeDetail", "updateShare", "batchCancel"} <= targets["createShare"]
    assert {"updateShare", "batchCancel"} <= targets["getShareByMeDetail"]
    assert {"getShareByMeDetail", "batchCancel"} <= targets["updateShare"]


def test_served_with_swagger_ui_and_listed_on_the_index(client: TestClient) -> None:
    assert '<a href="/koodrive/ui/">' in client.get("/").text
    assert client.get("/koodrive/ui/").status_code == 200
    served = client.get("/koodrive/openapi.json").json()
    assert set(served["paths"]) == set(DOCUMENT["paths"])
