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

# Runs the game server on http://127.0.0.1:8000 with the embedded SQLite database crisisgame.db.
run: $(BIN)/crisisgame
	$(BIN)/crisisgame serve

# Debian's Chromium drives the browser tests (Playwright uses it; it never downloads a browser).
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "install Chromium (Debian package 'chromium') for the browser tests"; exit 1; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

lint: $(BIN)/crisisgame
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# pytest workers (pytest-xdist): one a core by default. Tests marked `timing` race the wall clock, so
# they run afterwards, alone, where no other test competes for the CPU.
WORKERS ?= auto

# Every test: lint, types, the scenario schema kept in sync, and pytest.
test: lint $(CHROMIUM)
	$(BIN)/crisisgame schema | diff -u schema/scenario.schema.json - || \
	  (echo "schema/scenario.schema.json is stale: run 'crisisgame schema --out schema/scenario.schema.json'"; exit 1)
	$(BIN)/pytest -n $(WORKERS) --dist loadfile -m "not timing"
	$(BIN)/pytest -m timing

bench: $(BIN)/crisisgame
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
