"""Filerobot's own widget in headless Chromium creates a sharebox on a real sharemock server.

The page (another origin than the mock, so CORS is real) bundles @filerobot/core and
@filerobot/explorer 3.114.5 as npm ships them (`filerobot-widget.js`, built by esbuild into a
temporary directory). The widget's code sends every request: its key-info call, the
share-folder dialog's body to POST …/v5/shares, and the sharebox view. The test then reads the
sharebox back through the API. Needs Debian's chromium, `npm ci` in tests/browser and the
playwright package (`tests/browser/setup.sh`, run by `make test`, installs the first two);
without them the test skips, saying what is missing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.serving import free_port, request, serve

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("SHAREMOCK_CHROMIUM", "/usr/bin/chromium"))
ESBUILD = HERE / "node_modules" / ".bin" / "esbuild"
# Written by setup.sh after `npm ci`: the digest of the package-lock.json it installed.
INSTALLED_STAMP = HERE / "node_modules" / ".sharemock-installed"
# As the machine notes prescribe for Chromium here: no background traffic, no sandbox (root).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Optional plugins the explorer loads on demand (`import()`) and does not depend on; none is
# reached here, so an empty module stands in for each.
ABSENT = (
    "@filerobot/dropbox",
    "@filerobot/google-drive",
    "@filerobot/onedrive",
    "@filerobot/progress-panel",
    "@filerobot/url",
    "@filerobot/xhr-upload",
)
FOLDER = "0b5f2b0e-7b5a-5d35-9c51-3f7d1c2e0000"
PASSWORD = "open sesame"
ZONE = "Europe/Berlin"
DEMO_KEY = {"X-Filerobot-Key": "demo-key"}

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    """What this machine lacks for the test, or None."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (tests/browser/setup.sh installs Debian's chromium)"
    if not ESBUILD.exists():
        return "tests/browser/node_modules is missing (tests/browser/setup.sh runs npm ci)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing (make install: the dev extras have it)"
    lock = hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()
    if not INSTALLED_STAMP.exists() or INSTALLED_STAMP.read_text().strip() != lock:
        return "tests/browser/node_modules is stale (tests/browser/setup.sh runs npm ci)"
    return None


@pytest.fixture
def page_site(tmp_path: Path) -> Iterator[str]:
    """The widget's bundle and a blank page, served on their own loopback origin."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    site = tmp_path / "site"
    site.mkdir()
    aliases = [f"--alias:{name}=./absent-module.cjs" for name in ABSENT]
    subprocess.run(
        [
            str(ESBUILD),
            "filerobot-widget.js",
            "--bundle",
            "--format=iife",
            "--platform=browser",
            # What a bundler's production build tells the widget of its environment.
            '--define:process.env.NODE_ENV="production"',
            '--define:process.env.REACT_APP_GITLAB_REVIEW_ENV="false"',
            "--loader:.svg=dataurl",
            "--log-level=error",
            *aliases,
            f"--outfile={site / 'widget.js'}",
        ],
        cwd=HERE,
        check=True,
        timeout=300,
    )
    (site / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>widget</title>'
        '<script src="widget.js"></script>'
    )
    handler = partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def mock_server(tmp_path: Path) -> Iterator[str]:
    yield from serve(tmp_path)


def _in_chromium(page_url: str, api: str, user_data_dir: Path) -> tuple[Any, list[Any]]:
    """Run the page's widget script; its report and the requests it sent to the mock."""
    from playwright import sync_api  # present: _missing() checked

    sent: list[Any] = []
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            timezone_id=ZONE,
        )
        try:
            # Hermetic: only loopback (the widget also asks Scaleflex's hosts for translations).
            context.route(
                re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort()
            )
            page = context.new_page()
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "request",
                lambda req: sent.append(req) if req.url.startswith(api) else None,
            )
            page.goto(page_url)
            report = page.evaluate(
                "config => window.sharemockFilerobot(config)",
                {
                    "api": f"{api}/filerobot",
                    "container": "demo",
                    "sassKey": "demo-key",
                    "folderUuid": FOLDER,
                    "password": PASSWORD,
                },
            )
            calls = [
                {
                    "method": req.method,
                    "url": req.url,
                    "headers": req.headers,
                    "body": req.post_data,
                    "status": req.response().status if req.response() else None,
                }
                for req in sent
            ]
        finally:
            context.close()
    assert not problems, problems
    return report, calls


def test_widget_creates_and_opens_a_sharebox(
    page_site: str, mock_server: str, tmp_path: Path
) -> None:
    report, calls = _in_chromium(page_site, mock_server, tmp_path / "profile")
    api = f"{mock_server}/filerobot"

    # 1. Its first call, without the key header, makes it a signed-in user allowed to share.
    key_info = calls[0]
    assert (key_info["method"], key_info["url"]) == ("GET", f"{api}/demo/v4/key/info?key=demo-key")
    assert "x-filerobot-key" not in key_info["headers"]
    assert key_info["status"] == 200
    assert report["authState"] == "filerobot_user_authenticated"
    assert report["permissions"]["OBJECTS_SHARE_MANAGE"] is True
    assert report["permittedToShare"] is True

    # 2. The share-folder dialog's body, as the widget sent it, with the key it was given.
    (create,) = [call for call in calls if call["method"] == "POST"]
    assert create["url"] == f"{api}/demo/v5/shares"
    assert create["headers"]["x-filerobot-key"] == "demo-key"
    assert create["status"] == 200
    sent = json.loads(create["body"])
    assert sent == report["shareData"]
    assert sent["auth"] == {"pass": PASSWORD}
    assert (sent["permissions"], sent["token"], sent["expires_tz"]) == ("READ", "demo", ZONE)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T17:30", sent["expires_at"])
    puid = report["puid"]
    assert report["shareUri"] == f"{api}/sharemock/demo/{puid}"

    # 3. The widget's sharebox view: asks for the password, refuses a wrong one, then loads.
    assert report["withoutPassword"]["events"] == ["sharebox-requires-password"]
    assert report["wrongPassword"]["events"] == ["sharebox-wrong-password"]
    opened = report["withPassword"]
    assert opened["events"] == ["sharebox-loaded"]
    assert opened["result"]["folders"][0]["name"] == FOLDER
    assert opened["result"]["files"] == []
    views = [call for call in calls if "/v4/share/" in call["url"]]
    assert [call["status"] for call in views] == [401, 401, 200]
    assert views[2]["url"] == f"{api}/demo/v4/share/{puid}?password=open%20sesame"

    # 4. The API lists it, its local expiry stored in UTC, and serves its public view.
    status, _, body = request(f"{api}/demo/v5/shares", **DEMO_KEY)
    assert status == 200
    (share,) = [s for s in json.loads(body)["shares"] if s["puid"] == puid]
    local = datetime.strptime(sent["expires_at"], "%Y-%m-%dT%H:%M").replace(tzinfo=ZoneInfo(ZONE))
    assert share["expires_at"] == local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert share["title"] == "Made by the widget"
    assert share["auth"] == [{"pass": PASSWORD, "user": ""}]
    assert share["items"] == [
        {
            "identifiers": [FOLDER],
            "type": "folder_uuid",
            "options": {"recursive": True, "visibility": "PUB,ORG"},
        }
    ]
    status, _, body = request(f"{api}/demo/v4/share/{puid}?password=open%20sesame")
    assert status == 200
    assert json.loads(body)["share"]["permissions"] == "READ"
