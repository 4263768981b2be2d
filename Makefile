# The commands a developer needs. `make run` and `make test` do all their own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes per pass (pytest-xdist): one per CPU; 0 runs the tests in pytest's own process.
PYTEST_WORKERS ?= auto

.PHONY: run test test-postgresql test-sqlite screenshots lint format check-migrations browsers bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The server and a jobs worker beside it; the worker stops when the server does (Ctrl-C).
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --url http://$(HOST):$(PORT)/
	$(BIN)/python manage.py jobs_worker --reload --stop-with-parent & \
	exec $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite runs twice: on PostgreSQL, as in production, then on SQLite, `make run`'s database,
# without the tests marked `postgresql` (they test PostgreSQL itself) or the browser tests (the
# page tests cover the same pages on both). Both passes run; either failing fails `make test`.
test: $(VENV)/.installed lint
	@failed=""; \
	bin/with-postgres $(MAKE) --no-print-directory test-in-db || failed="$$failed PostgreSQL"; \
	$(MAKE) --no-print-directory test-sqlite || failed="$$failed SQLite"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED on$$failed" >&2; exit 1; fi

test-postgresql: $(VENV)/.installed
	bin/with-postgres $(MAKE) --no-print-directory test-in-db

test-in-db:
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Status 5, no tests selected, is no failure here: PYTEST_ARGS may name only browser tests.
test-sqlite: $(VENV)/.installed
	@directory=$$(mktemp -d) && trap 'rm -rf "$$directory"' EXIT && \
	export DATABASE_URL="sqlite:///$$directory/closecalls.sqlite3" && \
	echo "DATABASE_URL=$$DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -m 'not browser' $(PYTEST_ARGS)" && \
	{ $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS) || [ $$? -eq 5 ]; }

# The README's screenshots (docs/screenshots), written by the browser tests that take them.
screenshots: $(VENV)/.installed
	UPDATE_SCREENSHOTS=1 bin/with-postgres $(BIN)/pytest -n 0 -m browser $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed
	$(BIN)/python -m bench
	$(BIN)/python -m bench.jobs
	$(BIN)/python -m bench.webhooks
	$(BIN)/python -m bench.import

clean:
	rm -rf $(VENV) db.sqlite3 test_db.sqlite3 media staticfiles
