# Two set-up-and-go commands: `make run` and `make test`. Both build .venv when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check-types locales bench-nearby bench-sync clean help

help:
	@echo "make run    - install, migrate, load demo data if empty, run api + bot + notifier (SQLite)"
	@echo "make test   - install, lint, type-check, and run the whole test suite"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/clearsite run

test: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/check

bench-nearby: $(STAMP)
	$(BIN)/python benchmarks/nearby.py --quick

bench-sync: $(STAMP)
	$(BIN)/python benchmarks/sync.py --quick

clean:
	rm -rf $(VENV) *.egg-info .mypy_cache .ruff_cache
