"""The docs portal as a reader uses it: from `/` into each provider's Swagger UI, one seed
operation opened, Try it out, Execute, with nothing typed, and the seed's 200 on screen.

A real `sharemock serve` and headless Chromium. Each Execute is screenshotted (the operation's
block: request and response) into `test-artefacts/portal/` (git-ignored;
`SHAREMOCK_ARTEFACTS` moves it).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_FLAGS, missing_browser
from tests.conftest import REPO
from tests.serving import request, serve

KOODRIVE_SHARE = "/koodrive/koodrive/ose/v1/share/1689743054514187776"
KOODRIVE_AUTH = {"Authorization": "Bearer demo-access-token", "Content-Type": "application/json"}

pytestmark = pytest.mark.browser

ARTEFACTS = Path(os.environ.get("SHAREMOCK_ARTEFACTS", REPO / "test-artefacts")) / "portal"

# The five seeds (and the deployed dialect's two): provider, the operation's tag and
# operationId (Swagger UI's block id), and what the seed's response says that the request set.
SEEDS = [
    ("defdrive", "accesses", "updateAccess", "Updated Team Access"),
    ("defdrive", "files", "togglePublicAccess", "document.pdf"),
    ("filerobot", "shareboxes", "updateShare", "Short description 123"),
    ("oracle", "publiclinks", "editPublicLink", "@everybody"),
    ("koodrive", "shared-by-me", "updateShare", "MDg2K0vU"),
    # The deployed dialect's two, on the same state.
    ("defdrive-deployed", "accesses", "updateAccess", "Updated Team Access"),
    ("defdrive-deployed", "files", "togglePublicAccess", "document.pdf"),
]


@pytest.fixture(scope="module")
def mock_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if missing_browser():
        pytest.skip(missing_browser() or "")
    yield from serve(tmp_path_factory.mktemp("portal"))


@pytest.fixture(scope="module")
def browser(mock_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright import sync_api  # present: missing_browser() checked

    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


def test_the_portal_lists_every_provider_with_its_docs(browser: Any, mock_server: str) -> None:
    if shutil.which("curl") is None:
        pytest.skip("no curl to run the page's curls with")
    status, headers, body = request(mock_server + "/")
    assert status == 200 and {k.lower(): v for k, v in headers.items()}["content-type"].startswith(
        "text/html"
    )
    page = body.decode()
    for prefix in ("/defdrive", "/defdrive-deployed", "/filerobot", "/oracle", "/koodrive"):
        assert f'href="{prefix}/ui/"' in page
        assert f'href="{prefix}/openapi.json"' in page
    assert 'href="/__admin/ui/"' in page
    # A copy-ready curl per seed, addressing this server, with its credentials.
    assert f"curl -X PUT {mock_server}/defdrive/api/access/456" in page
    assert f"curl -X PUT {mock_server}/koodrive/koodrive/ose/v1/share/1689743054514187776" in page
    assert "-u useraa:welcome1" in page
    assert "X-Filerobot-Key: demo-key" in page
    assert "<script src" not in page and "<link" not in page  # no other asset to load
    # Copied into a shell, each curl does what the seed does.
    curls = [html.unescape(c) for c in re.findall(r"<pre>(curl .*?)</pre>", page, re.DOTALL)]
    assert len(curls) == 7  # five seeds, and the deployed dialect's two
    for curl in curls:
        ran = subprocess.run(
            ["bash", "-c", curl + " -s -o /dev/null -w '%{http_code}'"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert ran.stdout == "200", (curl, ran.stdout, ran.stderr)
    shown = browser.new_page()
    try:
        shown.goto(mock_server + "/")
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        shown.screenshot(path=str(ARTEFACTS / "portal.png"), full_page=True)
    finally:
        shown.close()


@pytest.mark.parametrize(("provider", "tag", "operation", "echoed"), SEEDS)
def test_execute_the_seed_from_swagger_ui(
    browser: Any, mock_server: str, provider: str, tag: str, operation: str, echoed: str
) -> None:
    page = browser.new_page()
    sent: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: sent.append(r.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(mock_server + "/")
        page.locator(f"#{provider} .links a", has_text="Swagger UI").click()
        page.wait_for_url(f"{mock_server}/{provider}/ui/")
        page.locator("#sharemock-signed-in", has_text="signed in as").wait_for()
        version = page.evaluate("window.versions && window.versions.swaggerUI.version")

        block = page.locator(f"#operations-{tag}-{operation}")
        block.locator(".opblock-summary").first.click()
        block.locator("button.try-out__btn").click()
        block.locator("button.execute").click()
        live = block.locator(".live-responses-table tbody .response")
        live.locator(".response-col_status").wait_for()
        status = live.locator(".response-col_status").inner_text().strip()
        shown = live.locator(".response-col_description pre").first.inner_text()

        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        block.screenshot(path=str(ARTEFACTS / f"{provider}-{operation}.png"))
    finally:
        page.close()
    assert not errors, errors
    assert str(version).startswith("5."), version  # Swagger UI 5, not Connexion's 4.15.5
    assert status == "200", shown
    assert echoed in json.dumps(json.loads(shown))
    # Try it out reached the mock itself (the served document's server), never a real host.
    assert all(url.startswith(mock_server) for url in sent), sent


def test_the_portal_shows_each_request_with_its_reasons_and_the_state_it_left(
    browser: Any, mock_server: str
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(mock_server + "/")
        page.locator("#observe[data-live='1']").wait_for()
        page.locator("#state-view [data-table='koodrive_shares'] table").wait_for()
        # A refused update: both reasons appear in the panel, without reloading the page.
        refused, _, _ = request(
            mock_server + KOODRIVE_SHARE,
            "PUT",
            json.dumps({"validDays": "x", "comment": 5}),
            **KOODRIVE_AUTH,
        )
        assert refused == 400
        row = page.locator("#requests-body tr.refused", has_text=KOODRIVE_SHARE).first
        row.wait_for(timeout=10_000)
        reasons = row.locator("ul.reasons li").all_inner_texts()
        # An accepted one: the state view shows the stored change.
        comment = "seen in the portal's state view"
        accepted, _, _ = request(
            mock_server + KOODRIVE_SHARE,
            "PUT",
            json.dumps({"validDays": 9, "comment": comment}),
            **KOODRIVE_AUTH,
        )
        assert accepted == 200
        shares = page.locator("#state-view [data-table='koodrive_shares']")
        shares.locator("td", has_text=comment).wait_for(timeout=10_000)
        answered = page.locator("#requests-body tr.answered", has_text=KOODRIVE_SHARE).first
        answered.wait_for(timeout=10_000)
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#observe").screenshot(path=str(ARTEFACTS / "observe.png"))
    finally:
        page.close()
    assert not errors, errors
    assert any(r.startswith("body /validDays:") for r in reasons), reasons
    assert any(r.startswith("body /comment:") for r in reasons), reasons
    # The panels' own reads are not journaled: the journal holds the requests, not the page.
    _, _, listed = request(mock_server + "/__admin/requests?limit=1000")
    paths = [entry["path"] for entry in json.loads(listed)["requests"]]
    assert "/__admin/state" not in paths
