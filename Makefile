# The README's two commands: `make run` and `make test`. Both work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev system-deps lint typecheck unit bench clean

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

# Starts the service on the embedded defaults: SQLite in ./var/ (TRIAGE_DATA_DIR), the shipped model.
# The first start creates admin@localhost and prints a one-time login link.
run: install
	@command -v tesseract >/dev/null 2>&1 || $(MAKE) --no-print-directory system-deps || echo "OCR unavailable: install tesseract-ocr tesseract-ocr-nld" >&2
	$(BIN)/triage serve --migrate --host $(HOST) --port $(PORT)

test: install-dev system-deps lint typecheck unit

# Debian packages the tests need: headless Chromium for the web UI tests, Tesseract (Dutch) for OCR,
# poppler-utils (pdftoppm, pdfinfo, pdftotext) to render the evidence bundle's PDF report.
# Idempotent: installs only what is missing.
SYSTEM_PACKAGES := chromium chromium-driver tesseract-ocr tesseract-ocr-nld poppler-utils
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing" >&2; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

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
