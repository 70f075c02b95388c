# warta: two commands on a fresh clone.
#   make demo   create .venv, install warta, run its main job on the bundled offline example
#   make test   same environment plus test and docs dependencies; run the whole suite
#   make docs   build the documentation (docs/ -> site/), failing on any warning or broken link
# Benchmarks over ../shared are separate: make bench

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

.PHONY: demo test check lint typecheck docs bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(TESTSTAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[test,parquet,eval,docs,ray]'
	touch $@

demo: $(STAMP)
	$(BIN)/warta demo

test: $(TESTSTAMP)
	$(BIN)/python -m pytest -q tests

lint: $(TESTSTAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

docs: $(TESTSTAMP)
	$(BIN)/mkdocs build --strict

check: test lint docs

bench: $(TESTSTAMP)
	$(BIN)/warta eval ../shared/bench --compare trafilatura,readability

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache site
