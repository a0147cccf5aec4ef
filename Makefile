# Two entry points, both from a fresh clone: `make book` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: book test lint system-deps wordpress clean

book: $(VENV)/.installed
	$(BIN)/bookmaker build

test: system-deps $(VENV)/.installed-test
	$(BIN)/ruff check bookmaker tests benchmarks
	$(BIN)/mypy bookmaker
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check bookmaker tests benchmarks
	$(BIN)/mypy bookmaker

system-deps:
	bash scripts/install-system-deps

# The real WordPress site the WordPress tests scrape; they start it themselves when run as root.
wordpress:
	bash scripts/start-wordpress

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) output/*.epub output/*.pdf
