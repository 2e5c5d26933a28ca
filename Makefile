# Two commands a newcomer needs: `make run` and `make test`. Both bootstrap .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= localhost
PORT ?= 8080

.PHONY: run test lint unit bench clean screenshots mutate

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "qbwc-server needs Python 3.11 (spyne does not import on 3.12+); set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/qbwc-server init
	$(BIN)/qbwc-server db upgrade
	$(BIN)/qbwc-server demo --host $(HOST) --port $(PORT)
	QBWC_WEBHOOKS_ALLOW_PRIVATE=1 $(BIN)/qbwc-server serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest --cov=qbxml --cov=mappers --cov-report=term-missing:skip-covered --cov-fail-under=100 $(PYTEST_ARGS)

# A PNG of each web page under docs/screenshots/ (headless Debian chromium, loopback only).
screenshots: $(STAMP)
	$(BIN)/python -m tests.browser.screenshots docs/screenshots

bench: $(STAMP)
	$(BIN)/python bench/qbxml_parse.py
	$(BIN)/python bench/sync_roundtrips.py

# Mutation testing of the promises (not part of `make test`): mutmut mutates the modules named
# in pyproject.toml's [tool.mutmut], runs the tests that reach each mutant, and
# tools/mutation_score.py prints mutation_score=… and every survivor docs/testing.md does not
# explain (exit 1 if any, or if the score is under 0.85).
mutate: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $$(nproc)
	$(BIN)/python tools/mutation_score.py

clean:
	rm -rf $(VENV) var mutants .pytest_cache .mypy_cache .ruff_cache .coverage
