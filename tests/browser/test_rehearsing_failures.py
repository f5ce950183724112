"""The README's "Rehearsing failures" snippet, run as a developer runs it: in a browser.

The snippet is read from README.md itself (the code block that starts with the marker
comment), pointed at a real `sharemock serve` with two workers (as `make serve` runs it), and
evaluated in headless Chromium on a page of another origin, as a paste into the devtools
console of a frontend's page would be. Each `console.log` in it is followed by a comment
saying what it prints; the test holds the browser's console to those comments, so the README
cannot promise what the mock does not do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_FLAGS, missing_browser, site
from tests.conftest import REPO
from tests.serving import serve

MARKER = "// sharemock: rehearsing failures"
README_BASE = 'const mock = "http://127.0.0.1:8000";'

pytestmark = pytest.mark.browser


def snippet() -> str:
    """The README's devtools snippet, as printed there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```js\n(" + re.escape(MARKER) + r".*?)```", readme, re.DOTALL)
    assert match, f"README.md has no ```js block starting with {MARKER!r}"
    return match.group(1)


def promised(code: str) -> list[str]:
    """What the snippet says each `console.log` prints: the comment on the line after it."""
    lines = code.splitlines()
    return [
        lines[index + 1].strip().removeprefix("// ")
        for index, line in enumerate(lines[:-1])
        if line.lstrip().startswith("console.log(") and lines[index + 1].strip().startswith("//")
    ]


def test_the_snippet_promises_what_the_done_when_asks() -> None:
    code = snippet()
    assert README_BASE in code
    said = promised(code)
    assert said[0].startswith('403 {"error":') and said[0].endswith("code=403")
    assert said[-1] == '403 {"error":"Access link has expired"}'
    for asked in ('update("code=403")', 'update("delay=800")', 'update("fault=reset")'):
        assert asked in code
    assert "/__admin/clock" in code


@pytest.fixture
def mock_server(tmp_path: Path) -> Iterator[str]:
    if missing_browser():
        pytest.skip(missing_browser() or "")
    yield from serve(tmp_path, "--workers", "2")


@pytest.fixture
def blank_page(tmp_path: Path) -> Iterator[str]:
    """A page on an origin of its own (the developer's frontend)."""
    (tmp_path / "index.html").write_text('<!doctype html><meta charset="utf-8"><title>app</title>')
    with site(tmp_path, host="localhost") as base:
        yield f"{base}/index.html"


def test_the_readme_snippet_in_chromium(mock_server: str, blank_page: str, tmp_path: Path) -> None:
    from playwright import sync_api  # present: missing_browser() checked

    code = snippet().replace(README_BASE, f'const mock = "{mock_server}";')
    printed: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        try:
            page = context.new_page()
            page.on(
                "console",
                lambda message: printed.append(message.text) if message.type == "log" else None,
            )
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(blank_page)
            page.evaluate(f"async () => {{\n{code}\n}}")
        finally:
            context.close()
    assert not errors, errors
    assert printed == promised(snippet())
