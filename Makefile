# Two commands matter: `make dev` and `make test`. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
# development database, relative to the project root (tests use their own temporary files)
export FLASK_SQLORM_URI ?= sqlite://database/app.db

.PHONY: dev test bench install install-test browser vendor vendor-check screenshot clean

dev: install ## run the app with the embedded Mercure hub on http://127.0.0.1:5000
	FLASK_SECRET_KEY=$${FLASK_SECRET_KEY:-$$($(PYTHON) -c 'import secrets; print(secrets.token_hex(32))')} \
	  PATH="$(CURDIR)/$(BIN):$$PATH" hyperflask dev

test: install-test browser vendor-check ## install everything the tests need, then run them all
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install-test browser ## latency from one browser's change to another's screen, against a floor
	$(BIN)/python bench/latency.py --samples 200

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

# uv.lock pins every package; --inexact keeps uv itself in the venv
$(VENV)/.installed: $(BIN)/uv uv.lock pyproject.toml
	$(BIN)/uv sync --frozen --inexact --no-dev
	touch $@

$(VENV)/.installed-test: $(BIN)/uv uv.lock pyproject.toml
	$(BIN)/uv sync --frozen --inexact --group test
	touch $(VENV)/.installed $@

# The browser for end-to-end tests: $$CHROMIUM_PATH, else Debian's chromium (installed with
# apt when running as root), else Playwright's own download (workstations with internet).
browser:
	@if [ -n "$$CHROMIUM_PATH" ]; then echo "browser: $$CHROMIUM_PATH"; \
	elif [ -x /usr/bin/chromium ]; then echo "browser: /usr/bin/chromium"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "browser: installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else $(BIN)/playwright install chromium; fi

vendor-check: ## the vendored htmx files match public/vendor/manifest.json
	$(PYTHON) scripts/vendor.py check

vendor: ## re-fetch the vendored files from the npm registry and verify their hashes
	$(PYTHON) scripts/vendor.py fetch

screenshot: install-test browser ## refresh docs/screenshot.png: two browsers on one list
	UPDATE_SCREENSHOT=1 $(BIN)/pytest tests/e2e/test_screenshot.py

clean:
	rm -rf $(VENV) .pytest_cache database/*.db*

# The production stack of the Procfile (Caddy, gunicorn, the Mercure hub, under honcho), as the
# Docker image runs it, on http://127.0.0.1:8080 (or $PORT): throwaway secrets generated per run,
# SQLite in database/prod.db ($(PROD_DATABASE)), migrations applied on boot. Ctrl-C stops it all.
PROD_DATABASE ?= sqlite://database/prod.db
.PHONY: prod
prod: install ## the production stack (Procfile) on http://127.0.0.1:8080
	@secret() { $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))'; }; \
	FLASK_SECRET_KEY=$$(secret) MERCURE_PUBLISHER_JWT_KEY=$$(secret) MERCURE_SUBSCRIBER_JWT_KEY=$$(secret) \
	FLASK_SQLORM_URI=$(PROD_DATABASE) PORT=$${PORT:-8080} exec $(BIN)/python scripts/prod.py
