# Common Home: `make demo` serves the demo on SQLite; `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install demo test test-sqlite test-postgres lint bench messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
	bash scripts/system-deps.sh
	$(MAKE) messages

messages:
	$(BIN)/commonhome compilemessages --ignore '.venv' --ignore 'var' -v 0

demo: install
	$(BIN)/commonhome demo --port $(PORT)

# SQLite always; PostgreSQL too when DATABASE_URL is set or a local server answers.
test: install
	bash scripts/system-deps.sh test
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider

test-postgres:
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then url="$(PG_URL)"; fi; \
	if [ -z "$$url" ]; then echo "PostgreSQL: no DATABASE_URL and no local server; skipped"; exit 0; fi; \
	echo "PostgreSQL: $$url"; DATABASE_URL="$$url" $(BIN)/pytest -p no:cacheprovider

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install
	$(BIN)/commonhome bench directory
	$(BIN)/commonhome bench participation
	$(BIN)/commonhome bench matching
