# The README's two commands: `make run` and `make test`. Both work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[transformer,dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/triage classify "Ik weet waar je woont, wethouder. Pas maar op 🔪"

test: install-dev lint typecheck unit

lint:
	$(BIN)/ruff check triage training tests scripts
	$(BIN)/ruff format --check triage training tests scripts

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest -n 2 -q

bench: install
	$(BIN)/python scripts/bench_engine.py

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
