"""Filerobot's own widget in headless Chromium, against a real sharemock server.

The page (another origin than the mock, so CORS is real) bundles @filerobot/core and
@filerobot/explorer 3.114.5 as npm ships them (`filerobot-widget.js`, built by esbuild into a
temporary directory). The widget's code sends every request. The first test creates a sharebox
through the widget's share code (its key-info call, the share-folder dialog's body to
POST …/v5/shares, the sharebox view without, with a wrong and with the right password) and reads
it back through the API; the second renders the explorer's own sharebox page for a visitor.
Needs Debian's chromium, `npm ci` in tests/browser and the playwright package
(`tests/browser/setup.sh`, run by `make test`, installs the first two); without them the tests
skip, saying what is missing.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_FLAGS, missing_browser
from tests.browser.chromium import site as serving_site
from tests.serving import request, serve

HERE = Path(__file__).resolve().parent
ESBUILD = HERE / "node_modules" / ".bin" / "esbuild"
# Written by setup.sh after `npm ci`: the digest of the package-lock.json it installed.
INSTALLED_STAMP = HERE / "node_modules" / ".sharemock-installed"
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
FILE = "59aac4eb-ccf1-56b3-a4d6-634e77750000"
PASSWORD = "open sesame"
ZONE = "Europe/Berlin"
DEMO_KEY = {"X-Filerobot-Key": "demo-key"}

LOOPBACK_ONLY = r"^https?://(?!(127\.0\.0\.1|localhost)[:/])"

pytestmark = pytest.mark.browser


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def _missing() -> str | None:
    """What this machine lacks for the test, or None."""
    browser = missing_browser()
    if browser:
        return browser
    if not ESBUILD.exists():
        return "tests/browser/node_modules is missing (tests/browser/setup.sh runs npm ci)"
    lock = hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()
    if not INSTALLED_STAMP.exists() or INSTALLED_STAMP.read_text().strip() != lock:
        return "tests/browser/node_modules is stale (tests/browser/setup.sh runs npm ci)"
    return None


@pytest.fixture(scope="module")
def page_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The widget's bundle and a blank page, served on their own loopback origin."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    site = tmp_path_factory.mktemp("site")
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
        '<link rel="stylesheet" href="widget.css">'
        '<div id="app" style="width: 1000px; height: 700px"></div>'
        '<script src="widget.js"></script>'
    )
    with serving_site(site) as base:
        yield f"{base}/index.html"


@pytest.fixture
def mock_server(tmp_path: Path) -> Iterator[str]:
    yield from serve(tmp_path)


def _in_chromium(page_url: str, user_data_dir: Path, drive: Callable[[Any], Any]) -> Any:
    """`drive(page)` on the widget's page in headless Chromium; what it returns."""
    from playwright import sync_api  # present: _missing() checked

    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            timezone_id=ZONE,
            viewport={"width": 1100, "height": 800},
        )
        try:
            # Hermetic: loopback only (the widget also asks Scaleflex's hosts for translations,
            # and the page shows thumbnails from the CDN addresses of the public view).
            context.route(re.compile(LOOPBACK_ONLY), lambda route: route.abort())
            page = context.new_page()
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.goto(page_url)
            result = drive(page)
        finally:
            context.close()
    assert not problems, problems
    return result


def _calls_to(page: Any, port: int) -> list[Any]:
    """Record the requests the page sends to the mock (on either loopback name)."""
    sent: list[Any] = []
    page.on("request", lambda req: sent.append(req) if f":{port}/" in req.url else None)
    return sent


def _described(requests: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "method": req.method,
            "url": req.url,
            "headers": req.headers,
            "body": req.post_data,
            "status": req.response().status if req.response() else None,
        }
        for req in requests
    ]


def test_widget_creates_and_opens_a_sharebox(
    page_site: str, mock_server: str, tmp_path: Path
) -> None:
    api = f"{mock_server}/filerobot"

    def drive(page: Any) -> tuple[Any, list[dict[str, Any]]]:
        sent = _calls_to(page, _port(mock_server))
        config = {
            "api": api,
            "container": "demo",
            "sassKey": "demo-key",
            "folderUuid": FOLDER,
            "password": PASSWORD,
        }
        report = page.evaluate("config => window.sharemockFilerobot(config)", config)
        return report, _described(sent)

    report, calls = _in_chromium(page_site, tmp_path / "profile", drive)

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


def test_explorer_shows_a_sharebox_page(page_site: str, mock_server: str, tmp_path: Path) -> None:
    """The explorer's own UI in sharebox mode, as a visitor's page renders it."""
    body = {
        "title": "Visitor's view",
        "items": [
            {"type": "file_uuid", "identifiers": [FILE]},
            {"type": "folder_uuid", "identifiers": [FOLDER]},
        ],
        "auth": {"pass": PASSWORD},
    }
    status, _, created = request(
        f"{mock_server}/filerobot/demo/v5/shares",
        "POST",
        json.dumps(body),
        **DEMO_KEY,
        **{"Content-Type": "application/json"},
    )
    assert status == 200, created
    puid = json.loads(created)["share"]["puid"]
    # Another spelling of the host for the share API: the widget then does not take the
    # public view for a keyed API call (and shows no "header missing" notice).
    share_api = f"http://localhost:{_port(mock_server)}/filerobot"

    def drive(page: Any) -> tuple[list[str], str]:
        outcomes = []
        for password in ("wrong", PASSWORD):
            config = {
                "api": f"{mock_server}/filerobot",
                "shareApi": share_api,
                "container": "demo",
                "puid": puid,
                "password": password,
                "target": "#app",
            }
            outcomes.append(
                page.evaluate("config => window.sharemockFilerobotView(config)", config)
            )
        page.get_by_text(FILE).first.wait_for(timeout=10000)
        return outcomes, page.inner_text("#app")

    outcomes, text = _in_chromium(page_site, tmp_path / "profile", drive)
    assert outcomes == ["wrong-password", "loaded"]
    assert "Assets (1)" in text
    assert FILE in text and FOLDER in text
    assert "0 B" in text
    assert "header is missing" not in text
