"""Headless Chromium for the browser tests: Debian's binary, driven by Playwright."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("SHAREMOCK_CHROMIUM", "/usr/bin/chromium"))
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


def missing_browser() -> str | None:
    """What this machine lacks to drive Chromium, or None."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (tests/browser/setup.sh installs Debian's chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing (make install: the dev extras have it)"
    return None
