# Relais: `make run` and `make test` work on a fresh machine with Python 3.11+
# and make. Both create .venv and install from the lock (uv.lock).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000
# The non-browser suite runs in two xdist processes (each has its own cache
# key prefix, Celery queue and test database): on 2026-12-02 a CI=true run
# with -n 2 gave 1021 passed in 15 min 46 s, against 51 min 49 s in one
# process. `make test PYTEST_WORKERS=0` runs it in one. The browser tests
# run after it, in one process.
PYTEST_WORKERS ?= 2
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test lint format install bench drill restore-drill messages migrate clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Installs exactly what uv.lock says (with the dev group: tests, ruff, mypy).
$(VENV)/.installed: $(BIN)/uv uv.lock pyproject.toml
	$(BIN)/uv sync --frozen --inexact --python $(BIN)/python
	@touch $@

install: $(VENV)/.installed

messages: install
	$(BIN)/python manage.py compile_translations

migrate: install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_site

# Links in emails and certificate QR codes follow the port unless SITE_URL is set.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install messages
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=relais.settings.test
	@test -x "$${RELAIS_CHROMIUM:-/usr/bin/chromium}" || echo "NOTE: no Chromium at $${RELAIS_CHROMIUM:-/usr/bin/chromium}: the browser tests (tests/browser) will be skipped; the summary says so. apt-get install chromium nodejs npm to run them."
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

# mypy with django-stubs, configured in pyproject.toml ([tool.mypy]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install messages
	$(BIN)/python bench/run.py

# Several hosts on this machine, killed under load (bench/README.md): needs
# PostgreSQL and Redis on 127.0.0.1, haproxy, and root for network namespaces
# (else loopback addresses). Ends with the backup and restore drill.
drill: install messages
	$(BIN)/python -m bench.drill

# The same run; its last phase is the backup and restore (bench/drill/restore.py).
restore-drill: drill

clean:
	rm -rf $(VENV) var staticfiles
