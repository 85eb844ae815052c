# Two commands: `make run` (warehouse + Airflow with the harvest DAGs) and `make test`.
# The first interpreter that runs and is 3.11+ (pyenv shims may exist but not run).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; \
	done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.provnews-installed

.PHONY: setup run demo test lint bench clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "provnews needs Python 3.11 or newer on PATH"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $(STAMP)

run: $(STAMP)
	scripts/run_airflow.sh

demo: $(STAMP)
	scripts/run_airflow.sh --demo

# The provnews page's browser test drives a system Chromium (Playwright cannot download one).
BROWSER := $(or $(PROVNEWS_CHROMIUM),$(shell command -v chromium chromium-browser google-chrome 2>/dev/null | head -n1))

test: $(STAMP)
	$(BIN)/ruff check .
	@if [ -n "$(BROWSER)" ]; then echo "browser test: runs with $(BROWSER)"; \
	else echo "browser test: SKIPPED: no Chromium found (apt-get install chromium, or set PROVNEWS_CHROMIUM)"; fi
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .airflow .pytest_cache .ruff_cache
