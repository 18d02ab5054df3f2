# Two commands for a newcomer: `make demo` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMOS := cartsnitch-api ozi-reorder pulsecart-go

.PHONY: demo test test-matrix lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@status=0; \
	for demo in $(DEMOS); do \
	  echo; echo "==> pytest-lessons check examples/$$demo"; \
	  $(BIN)/pytest-lessons check examples/$$demo -p no:cacheprovider; \
	  code=$$?; if [ $$code -gt 1 ]; then status=$$code; fi; \
	done; \
	echo; \
	if [ $$status -gt 1 ]; then echo "pytest-lessons could not run (exit $$status): see the error above."; exit $$status; fi; \
	echo "The failures above are the point of the demo. examples/cartsnitch-api repeats the CartSnitch"; \
	echo "UAT day (the alembic '%' crash, create_all rolled back, an env.py that never imports the"; \
	echo "models, a 39-character revision id, a NOT NULL column without a server default, settings"; \
	echo "missing from .env.example, an overlay setting DATABASE_URL where the settings read"; \
	echo "CARTSNITCH_DATABASE_URL, an 'internal' FastAPI worker route nobody authenticates, a"; \
	echo "/purchases/{id} route that fetches the user's latest purchase instead);"; \
	echo "examples/ozi-reorder repeats the Ozi reorder experiment (an"; \
	echo "unauthenticated worker route, order_placed sent twice, telemetry inside Promise.all, an"; \
	echo "orderId that is only displayed, a cron that never reads its Promise.allSettled results);"; \
	echo "examples/pulsecart-go repeats the PulseCart retro (a NATS worker that notifies customers"; \
	echo "with no processed-message check). Each failing item is a lesson."

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src/pytest_lessons

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

test: lint typecheck unit

# The suite under Python 3.10 and 3.13 and the lowest supported pytest, one venv each in .matrix/
# (PY310=... PY313=... name the interpreters). Not part of `make test`: it installs three times.
test-matrix:
	$(PYTHON) .ci/test_matrix.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/hostile.py

clean:
	rm -rf $(VENV) .matrix .pytest_cache .mypy_cache .ruff_cache dist build
