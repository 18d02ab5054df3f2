# Two commands for a newcomer: `make demo` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO := examples/cartsnitch-api

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "Scanning $(DEMO) with pytest --lessons ..."
	@cd $(DEMO) && ../../$(BIN)/python -m pytest --lessons -p no:cacheprovider; \
	status=$$?; \
	echo; \
	if [ $$status -gt 1 ]; then echo "pytest-lessons could not run (exit $$status): see the error above."; exit $$status; fi; \
	echo "The failures above are the point of the demo: $(DEMO) repeats the mistakes of the"; \
	echo "CartSnitch UAT day (the '%' crash, create_all rolled back, a 39-character revision id,"; \
	echo "a NOT NULL column without a server default), and each failing item is a lesson catching one."

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src/pytest_lessons

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist build
