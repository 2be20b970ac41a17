# Two entry points for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export THREATWATCH_SHARED ?= $(abspath ../shared)

.PHONY: demo test check install install-dev format lint clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

# Stamp files re-run the install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	rm -f threatwatch.db threatwatch.db-wal threatwatch.db-shm
	$(BIN)/threatwatch ingest samples/corpus
	$(BIN)/threatwatch brief --actor "ISIS-K"
	$(BIN)/threatwatch brief --actor "ISIS-K" --out brief.html
	@echo "Wrote brief.html (open it in a browser; it works offline)."

test: install-dev check

check:
	$(BIN)/ruff format --check threatwatch tests bench
	$(BIN)/ruff check threatwatch tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest --cov --cov-report=term:skip-covered -q

format:
	$(BIN)/ruff format threatwatch tests bench
	$(BIN)/ruff check --fix threatwatch tests bench

bench: install-dev
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_screen.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache threatwatch.db* brief.html
