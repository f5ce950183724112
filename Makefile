# One command per task, the same locally and in CI. Each target installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DB ?= .sharemock/state.db

.PHONY: install browser-deps pg-deps serve test test-deep contract fuzz soak bench lint format check reset clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install sharemock with its dev tools

serve: $(STAMP) ## run the mock on http://$(HOST):$(PORT)/
	$(BIN)/sharemock serve --host $(HOST) --port $(PORT) --db $(DB)

browser-deps: ## Chromium and tests/browser's npm packages for the browser tests (never fails)
	@bash tests/browser/setup.sh

pg-deps: ## Debian's postgresql server binaries for the PostgreSQL tests (never fails)
	@bash tests/postgres_setup.sh

test: $(STAMP) browser-deps pg-deps ## run the whole test suite
	$(BIN)/python -m pytest

test-deep: $(STAMP) ## the suite with many more Schemathesis examples per operation
	SHAREMOCK_CONTRACT_EXAMPLES=300 SHAREMOCK_STATEFUL_STEPS=60 $(BIN)/python -m pytest -m contract

URL ?= http://$(HOST):$(PORT)
PROVIDERS ?= defdrive defdrive-deployed filerobot oracle koodrive
contract: $(STAMP) ## Schemathesis CLI, every phase, against the mock running at $(URL)
	@for provider in $(PROVIDERS) __admin; do \
	  echo "== $$provider"; \
	  $(BIN)/schemathesis run $(URL)/$$provider/openapi.json --max-examples 30 || exit 1; \
	done
	@# The admin API's run leaves rules and a moved clock behind: back to the fixtures.
	@$(BIN)/python -c "import urllib.request as u; u.urlopen(u.Request('$(URL)/__admin/reset', method='POST'))"

# Deep Schemathesis runs against a served mock (its own, on a free loopback port): every
# contract, every phase and check, FUZZ_EXAMPLES cases per operation, seed FUZZ_SEED
# (docs/reliability.md). Not part of `make test`: at the default depth it takes about half an
# hour on 2 cores.
FUZZ_EXAMPLES ?= 1000
FUZZ_SEED ?= 20261202
fuzz: $(STAMP) ## Schemathesis, FUZZ_EXAMPLES cases per operation, every contract, against a served mock
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SEED=$(FUZZ_SEED) $(BIN)/python -m fuzz.run $(FUZZ_ARGS)

# SOAK_SECONDS of checked load over `serve --workers 2`, journal on, 5 % chaos
# (docs/reliability.md). Not part of `make test`.
SOAK_SECONDS ?= 600
soak: $(STAMP) ## SOAK_SECONDS of the seed mix plus creates and deletes, chaos on, every answer checked
	SOAK_SECONDS=$(SOAK_SECONDS) $(BIN)/python -m soak.run $(SOAK_ARGS)

# Prism, pinned by bench/package-lock.json; reinstalled when the lock file changes.
BENCH_NODE := bench/node_modules/.sharemock-installed
$(BENCH_NODE): bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@

AS_ROOT := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
bench: $(STAMP) $(BENCH_NODE) ## the mock, Prism and a bare ceiling under wrk, in turn (bench/README.md)
	@command -v wrk >/dev/null 2>&1 || { $(AS_ROOT) apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive $(AS_ROOT) apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Spectral and Redocly for the contracts, pinned by lint/package-lock.json; reinstalled when the
# lock file changes. Without npm, or with the registry out of reach, `make lint` fails saying so:
# the contracts are never left unlinted in silence.
LINT_NODE := lint/node_modules/.sharemock-installed
$(LINT_NODE): lint/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make lint: npm is needed to install the contract \
	linters (Spectral, Redocly; lint/package.json): install Node.js and npm" >&2; exit 1; }
	cd lint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

CONTRACTS := $(wildcard openapi/*.yaml)
lint: $(STAMP) $(LINT_NODE) ## ruff (lint and format check), mypy; Spectral and Redocly on every contract
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	lint/node_modules/.bin/spectral lint --ruleset .spectral.yaml --fail-severity=warn $(CONTRACTS)
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  lint/node_modules/.bin/redocly lint --config redocly.yaml $(CONTRACTS)

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint test ## everything CI runs

reset: $(STAMP) ## restore the seeded fixtures in $(DB)
	$(BIN)/sharemock reset --db $(DB)

clean:
	rm -rf $(VENV) .sharemock .pytest_cache .mypy_cache .ruff_cache
