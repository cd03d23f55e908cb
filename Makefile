# Common Ground: `make demo` runs a demo community; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export COMMONGROUND_DATA_DIR ?= $(CURDIR)/data

.PHONY: demo test check lint typecheck pytest browsers clean serve install install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	COMMONGROUND_HTTPS=0 $(BIN)/commonground demo
	COMMONGROUND_HTTPS=0 $(BIN)/commonground serve --port $(PORT)

serve: install
	COMMONGROUND_HTTPS=0 $(BIN)/commonground serve --port $(PORT)

# Debian's chromium drives the browser tests (Playwright never downloads a browser here).
browsers:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy --strict src/commonground_matching
	$(BIN)/mypy src/commonground

check: install-dev
	$(BIN)/commonground makemigrations --check --dry-run
	$(BIN)/commonground check

pytest: install-dev browsers
	$(BIN)/pytest -n 2 --dist loadgroup

test: lint typecheck check pytest

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .hypothesis
