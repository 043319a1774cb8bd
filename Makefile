# Jiangxin: the two commands are `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test suite lint format translations extract-messages clean help bench

help:
	@echo "make run    - set up the environment and database, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - set up the test environment, lint, run the whole suite"
	@echo "make lint   - ruff"
	@echo "make bench  - seed the city's scale (once) and measure every page under gunicorn with wrk"
	@echo "              (BENCH_DB=sqlite|postgresql, BENCH_SCALE, BENCH_SECONDS; see README, Benchmark)"

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.testing: requirements.txt requirements-test.txt | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	@touch $(VENV)/.runtime $@

# Compiled message catalogs are built, not committed.
translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d translations --statistics 2>&1 | tail -1

run: $(VENV)/.runtime translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@$(FLASK) pdf-fonts
	RUN_SCHEDULER=1 $(FLASK) run --host $(HOST) --port $(PORT)

lint: $(VENV)/.testing
	$(BIN)/ruff check .

test: $(VENV)/.testing translations lint
	@$(MAKE) --no-print-directory suite

# The suite alone, once `make .venv/.testing translations lint` has run: .ci/run starts it on SQLite and on
# PostgreSQL at once (two `make test` would compile the catalogs while the other run reads them).
suite:
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmark of the city's scale (bench/run.py); a measurement, not a test.
bench: $(VENV)/.testing translations
	$(BIN)/python -m bench.run

# Refresh translations/messages.pot and the English catalog after changing user-facing text.
extract-messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k deferred --ignore-dirs ".* .venv tests migrations translations instance static" \
		-o translations/messages.pot --no-location --no-wrap --sort-output .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --no-wrap

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
