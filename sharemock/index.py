"""The `/` page: one link per mounted provider's docs."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from sharemock import __version__
from sharemock.provider import Provider


def _shares_state(provider: Provider, providers: Sequence[Provider]) -> str:
    """For a dialect: which provider's state it reads and writes."""
    owner = next((p for p in providers if p.name == provider.dialect_of), None)
    if owner is None:
        return ""
    return f" (the same state as <code>{escape(owner.prefix)}</code>)"


def index_page(providers: Sequence[Provider]) -> tuple[str, int, dict[str, str]]:
    rows = "\n".join(
        f"      <li><strong>{escape(p.title)}</strong>"
        f" at <code>{escape(p.prefix)}</code>{_shares_state(p, providers)}: "
        f'<a href="{escape(p.prefix)}/ui/">Swagger UI</a> · '
        f'<a href="{escape(p.prefix)}/openapi.json">openapi.json</a></li>'
        for p in providers
    )
    html = f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>sharemock</title>
    <style>body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; }}
    li {{ margin: .5rem 0; }} code {{ background: #f3f3f3; padding: 0 .25rem; }}</style>
  </head>
  <body>
    <h1>sharemock {escape(__version__)}</h1>
    <p>A stateful mock of the share-link APIs below. Each provider answers under its prefix
    with the real API's paths, auth and error shapes.</p>
    <ul>
{rows}
    </ul>
    <p><strong>Rehearsing failures</strong> (forced statuses, delays, faults, rules, the clock,
    scenarios) at <code>/__admin</code>: <a href="/__admin/ui/">Swagger UI</a> ·
    <a href="/__admin/openapi.json">openapi.json</a>. Any request may also send
    <code>Prefer: code=403, delay=800</code>.</p>
  </body>
</html>
"""
    return html, 200, {"Content-Type": "text/html; charset=utf-8"}
