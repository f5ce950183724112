"""The validation proxy: `sharemock proxy <provider> --upstream URL`.

One package, one entry point: `proxy_app(provider, upstream, errors=False)` makes the ASGI app
(`serve` runs it under uvicorn). It forwards every request to the upstream, checks request and
answer against the provider's contract (`contract.py`), and reports each violation in the
answer's headers, the log and `GET /__proxy/violations` (`report.py`) without altering the
upstream's answer; with `errors`, a violating request is refused (400) and a violating answer
replaced (502), each a problem document listing the violations.
"""

from sharemock.proxy.app import BODY_BOUND, VIOLATIONS_PATH, Proxy, proxy_app, serve
from sharemock.proxy.contract import Contract, Violation

__all__ = ["BODY_BOUND", "VIOLATIONS_PATH", "Contract", "Proxy", "Violation", "proxy_app", "serve"]
