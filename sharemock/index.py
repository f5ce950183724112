"""The `/` page, where a reader starts: per provider its seed endpoints, its docs and contract,
the development credentials and a copy-ready curl per seed; then the admin API, and live
panels of the last requests (with every reason) and of each provider's stored rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from importlib.resources import files

from sharemock import __version__
from sharemock.config import Settings
from sharemock.docs import DOCS_PREFIX, authorizations, seed_requests
from sharemock.mounts import MountedProvider

# The development credentials (README.md's table): user, secret, how to authenticate.
CREDENTIALS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "defdrive": (
        ("johndoe (userID 15)", "password123", "POST /api/login, then Authorization: Bearer"),
        ("janedoe (userID 16)", "password456", "same"),
    ),
    "filerobot": (
        ("project demo", "key demo-key", "X-Filerobot-Key: demo-key on /filerobot/demo/…"),
        ("project other", "key other-key", "X-Filerobot-Key: other-key on /filerobot/other/…"),
    ),
    "oracle": (
        ("useraa (User AA)", "welcome1, token useraa-token", "HTTP Basic or Bearer useraa-token"),
        ("userbb (User BB)", "welcome2, token userbb-token", "same (no rights on User AA's link)"),
    ),
    "koodrive": (
        ("demo (owner 1681759180324844417)", "demo-access-token", "Bearer demo-access-token"),
        ("other", "other-access-token", "same"),
    ),
}

_STYLE = """
    body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
           padding: 0 1rem; line-height: 1.45; }
    section { border-top: 1px solid #ddd; margin-top: 1.5rem; }
    code, pre { background: #f3f3f3; }
    code { padding: 0 .25rem; }
    pre { padding: .5rem; overflow-x: auto; white-space: pre; font-size: .85rem; }
    table { border-collapse: collapse; margin: .5rem 0; }
    th, td { border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; }
    .links a { margin-right: .75rem; }
    .note { color: #555; }
    #requests td { vertical-align: top; font-size: .85rem; }
    #requests td:nth-child(4) { word-break: break-all; min-width: 14rem; }
    #requests tr.refused .status { color: #a00; font-weight: bold; }
    ul.reasons { margin: 0; padding-left: 1rem; }
    .applied { color: #555; }
    .scroll { overflow-x: auto; }
    #state-view td, #state-view th { font-size: .8rem; white-space: nowrap; }
    #state-view td.null { color: #888; }"""

# The portal's live panels (requests and state), inlined: one page, no other asset to serve.
OBSERVE_SCRIPT = (files("sharemock") / "observe.js").read_text(encoding="utf-8")
# The state view opens the tables of what a frontend changes; the rest start folded.
OPENED = (
    "defdrive_files",
    "defdrive_accesses",
    "filerobot_shareboxes",
    "oracle_links",
    "koodrive_shares",
)


def _credentials_table(name: str) -> str:
    rows = CREDENTIALS.get(name)
    if not rows:
        return ""
    body = "".join(
        f"<tr><td><code>{escape(user)}</code></td><td><code>{escape(secret)}</code></td>"
        f"<td>{escape(how)}</td></tr>"
        for user, secret, how in rows
    )
    return f"<table><tr><th>user</th><th>secret</th><th>how to authenticate</th></tr>{body}</table>"


def _section(
    mounted: MountedProvider, all_mounted: Sequence[MountedProvider], base: str, settings: Settings
) -> str:
    provider = mounted.provider
    prefix = escape(provider.prefix)
    name = escape(provider.name)
    owner = next((m for m in all_mounted if m.provider.name == provider.dialect_of), None)
    shares = (
        f"<p>A dialect on the same state as <code>{escape(owner.provider.prefix)}</code>: "
        "what one changes, the other reads.</p>"
        if owner
        else ""
    )
    signed_in = authorizations(mounted, settings)
    schemes = mounted.spec.document.get("components", {}).get("securitySchemes", {})
    seeds = "".join(
        f"<li><code>{escape(seed.method)} {prefix}{escape(seed.template)}</code>"
        f" — {escape(seed.summary)}"
        f"<pre>{escape(seed.curl(base + provider.prefix, signed_in, schemes))}</pre></li>"
        for seed in seed_requests(mounted)
    )
    credentials = _credentials_table(provider.dialect_of or provider.name)
    bearer = any(schemes.get(a["scheme"], {}).get("bearerFormat") == "JWT" for a in signed_in)
    fresh = " (the JWT is minted for each view of this page)" if bearer else ""
    return f"""
    <section id="{name}">
      <h2>{escape(provider.title)} <code>{prefix}</code></h2>
      {shares}
      <p class="links"><a href="{prefix}/ui/">Swagger UI</a>
        <a href="{DOCS_PREFIX}/contracts/{name}.yaml">contract (YAML source)</a>
        <a href="{prefix}/openapi.json">contract (JSON, as served)</a>
        <a href="{prefix}/openapi.yaml">contract (YAML, as served)</a></p>
      <h3>Seed endpoints</h3>
      <ul>{seeds}</ul>
      <h3>Development credentials</h3>
      <p class="note">Development only: published, seeded into every mock; never reuse them.</p>
      {credentials}
      <p>Swagger UI signs in as <code>{escape(provider.docs_user)}</code> by itself; the curls
      carry the same credentials{fresh}.</p>
    </section>"""


def index_page(
    mounted: Sequence[MountedProvider], settings: Settings, *, admin_prefix: str, base: str = ""
) -> tuple[str, int, dict[str, str]]:
    """The page, with curls against `base` (the mock's own URL, no trailing slash)."""
    toc = " · ".join(
        f'<a href="#{escape(m.provider.name)}">{escape(m.provider.title)}</a>' for m in mounted
    )
    sections = "".join(_section(m, mounted, base, settings) for m in mounted)
    admin = escape(admin_prefix)
    html = f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>sharemock</title>
    <style>{_STYLE}
    </style>
  </head>
  <body>
    <h1>sharemock {escape(__version__)}</h1>
    <p>A stateful mock of the share-link APIs below. Each provider answers under its prefix
    with the real API's paths, auth and error shapes. Every Swagger UI is signed in with the
    development credentials: open a seed operation, <em>Try it out</em>, <em>Execute</em>.</p>
    <p>{toc} · <a href="#admin">admin API</a></p>
    {sections}
    <section id="admin">
      <h2>Rehearsing failures <code>{admin}</code></h2>
      <p>Forced statuses, delays, faults, rules, the clock, scenarios.
      <span class="links"><a href="{admin}/ui/">Swagger UI</a>
        <a href="{DOCS_PREFIX}/contracts/admin.yaml">contract (YAML source)</a>
        <a href="{admin}/openapi.json">contract (JSON, as served)</a></span>
      Any request may also send <code>Prefer: code=403, delay=800</code>.</p>
    </section>
    <section id="observe" data-admin="{admin}" data-opened='{escape(json.dumps(OPENED))}'>
      <h2>What the mock saw and holds</h2>
      <h3>Last requests</h3>
      <p>Live, from the journal (<code>GET {admin}/requests</code>; <code>sharemock tail</code>
      in a terminal): for a refused request, every reason. An entry's link opens it in full,
      with its bodies and, for a path no operation has, the nearest ones.</p>
      <label><input type="checkbox" id="requests-all"> also show the pages, docs and
      contracts fetched</label>
      <div class="scroll"><table id="requests">
        <thead><tr><th>time (UTC)</th><th>provider</th><th>operation</th><th>request</th>
          <th>status</th><th>why</th></tr></thead>
        <tbody id="requests-body"></tbody>
      </table></div>
      <p id="requests-note" class="note">Loading…</p>
      <h3>State</h3>
      <p>Each provider's stored rows (<code>GET {admin}/state</code>), refreshed after each
      request. <a href="{admin}/state">Export it</a> to share the state a bug happens in.</p>
      <p id="state-note" class="note">Loading…</p>
      <div id="state-view"></div>
      <noscript>The live panels need JavaScript; the links above work without it.</noscript>
    </section>
    <script>{OBSERVE_SCRIPT}</script>
  </body>
</html>
"""
    return html, 200, {"Content-Type": "text/html; charset=utf-8"}
