# Two targets a newcomer needs: `make run` and `make test`. Both set up .venv from scratch if needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/crisisgame: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

# Runs the game. Until the server lands this validates and lists the shipped scenarios.
run: $(BIN)/crisisgame
	$(BIN)/crisisgame validate scenarios/*.yaml
	$(BIN)/crisisgame scenarios

lint: $(BIN)/crisisgame
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# Every test: lint, types, the scenario schema kept in sync, and pytest.
test: lint
	$(BIN)/crisisgame schema | diff -u schema/scenario.schema.json - || \
	  (echo "schema/scenario.schema.json is stale: run 'crisisgame schema --out schema/scenario.schema.json'"; exit 1)
	$(BIN)/pytest

bench: $(BIN)/crisisgame
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
