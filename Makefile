# Two set-up-and-go commands: `make run` and `make test`. Both build .venv when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test crash-loop chromium lint check-types locales bench-bot bench-nearby bench-sync clean help

help:
	@echo "make run    - install, migrate, load demo data if empty, run api + bot + notifier (SQLite)"
	@echo "make test   - install, lint, type-check, and run the whole test suite"
	@echo "make crash-loop - the notifier crash tests RUNS times (20) per database, 2 CPU burners"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/clearsite run

test: $(STAMP) chromium
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/check

# The notifier crash tests RUNS times in a row on SQLite, and on PostgreSQL when
# TEST_DATABASE_URL names one, while two CPU-burning processes (started and stopped by the
# script) compete for the cores.
RUNS ?= 20
crash-loop: $(STAMP)
	$(BIN)/python scripts/crash_loop.py --runs $(RUNS)

# Re-extract messages from the source and merge them into every catalog (then translate the
# new empty msgstrs; tests/test_locales.py fails while any is empty or fuzzy).
locales: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k __ --omit-header -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching

bench-bot: $(STAMP)
	$(BIN)/python benchmarks/bot.py --quick

# The browser tests drive the system's Chromium (Debian's package); nothing is downloaded.
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing at $(CHROMIUM): the browser tests will fail."; \
	    echo "Install it with: sudo apt-get install -y chromium"; \
	  fi; \
	fi

bench-nearby: $(STAMP)
	$(BIN)/python benchmarks/nearby.py --quick

bench-sync: $(STAMP)
	$(BIN)/python benchmarks/sync.py --quick

clean:
	rm -rf $(VENV) *.egg-info .mypy_cache .ruff_cache
