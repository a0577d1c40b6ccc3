# reelforge: `make demo` and `make test` work on a fresh machine (they install what they need).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.reelforge-installed
UV := python3 -m uv

export REELFORGE_HOME ?= $(CURDIR)/.reelforge
export DAGSTER_HOME ?= $(REELFORGE_HOME)/dagster_home
HOST ?= 127.0.0.1
PORT ?= 3000

.PHONY: help deps system-deps demo test prod-local bench-render bench-analytics dbt-build ui dashboard lint format validate clean

help:
	@echo "make demo      install everything, render 2 channels x 2 days offline"
	@echo "make test      install everything, run the test suite"
	@echo "make prod-local  PostgreSQL + S3 (moto) + daemon + webserver, a 6-episode backfill, verified"
	@echo "make bench-render  time a 60 s 1080x1920 render against plain FFmpeg"
	@echo "make bench-analytics  time dbt build and the dashboard's queries on 1 M snapshots"
	@echo "make dbt-build  build the dbt marts (and run their tests) in the warehouse"
	@echo "make ui        Dagster UI on http://$(HOST):$(PORT)"
	@echo "make dashboard Streamlit dashboard on http://$(HOST):8501"
	@echo "make lint      ruff check + format check"

system-deps:
	@bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --extra dev --python python3
	@touch $(STAMP)

deps: system-deps $(STAMP)

demo: deps
	$(BIN)/reelforge demo

# Two workers, a test file each at a time (module fixtures stay in one process).
TEST_WORKERS ?= 2

test: deps
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --durations=25

prod-local: deps
	$(BIN)/python -m reelforge.ops.prod_local

bench-render: deps
	$(BIN)/python bench/render_bench.py

bench-analytics: deps
	$(BIN)/python bench/analytics_bench.py

dbt-build: deps
	cd dbt && ../$(BIN)/dbt build --vars '{"warehouse_path": "$(REELFORGE_HOME)/warehouse.duckdb"}'

validate: deps
	$(BIN)/dagster definitions validate -w workspace.yaml

ui: deps
	@$(BIN)/reelforge instance-setup
	$(BIN)/python scripts/exec_with_signals.py $(BIN)/dagster dev -w workspace.yaml -h $(HOST) -p $(PORT)

dashboard: deps
	$(BIN)/streamlit run dashboards/app.py --server.address $(HOST) --server.port 8501 \
		--server.headless true --browser.gatherUsageStats false

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .reelforge
