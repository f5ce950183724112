"""Headless Chromium for the browser tests: Debian's binary, driven by Playwright."""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.serving import free_port

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


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def site(directory: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """`directory` served on a loopback origin of its own (a frontend's); yields its base URL."""
    handler = partial(_QuietHandler, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
