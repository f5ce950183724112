"""sharemock: a spec-first contract kit and stateful mock of four share-link APIs."""

import warnings

__version__ = "0.1.0"

# Connexion imports Starlette's test client at import time, which warns about httpx on every
# start of the server; the warning concerns Connexion's test helpers, not sharemock.
warnings.filterwarnings(
    "ignore", message=r"Using `httpx` with `starlette.testclient` is deprecated"
)
