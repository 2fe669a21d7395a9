# Stadtkatalog: `make run` serves the demo catalog, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Where `make run` serves: make run PORT=5301 (HOST=0.0.0.0 to be reached from other machines).
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format typecheck install clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One venv for both commands; the stamp files re-install when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/catalog --config config.yaml up --host $(HOST) --port $(PORT)

# axe-core for the browser tests, from package-lock.json, once; without npm those tests skip.
NPM := $(shell command -v npm 2>/dev/null)
AXE := node_modules/axe-core/axe.min.js

$(AXE): package-lock.json
	npm ci --no-audit --no-fund
	touch $@

test: $(VENV)/.installed-test lint typecheck $(if $(NPM),$(AXE))
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# After changing texts of the pages: extract them, merge into web/translations/en, compile.
# Then translate the new entries in messages.po and run it again.
messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext --no-location --omit-header \
		-o $(VENV)/messages.pot .
	$(BIN)/pybabel update -i $(VENV)/messages.pot -d web/translations -D messages \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d web/translations -D messages

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache node_modules test-artifacts
