"""Frontend controls: forced answers, delays, faults, rules, the clock and scenarios.

One vocabulary (a `Prefer` header, `__` query parameters, rules made through the admin API,
server-wide `--latency` and `--chaos`) applied by one ASGI middleware, `Controls`.
"""
