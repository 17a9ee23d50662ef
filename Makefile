# Two commands do all set-up: `make demo` and `make test`. Everything lands in .state/ (git-ignored).
SHELL := /bin/bash
PYTHON ?= python3.11
STATE := $(CURDIR)/.state
VENV := $(STATE)/venv
BIN := $(VENV)/bin
UV := $(STATE)/uv/bin/uv
STAMP := $(VENV)/.installed
export AIRFLOW_HOME := $(STATE)/airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__UNIT_TEST_MODE := False
export AIRFLOW__LOGGING__BASE_LOG_FOLDER := $(STATE)/airflow/logs
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1

.PHONY: install demo dashboard test lint bench bench-dashboard chaos airflow-init clean

# The lock (requirements.lock) is compiled from pyproject.toml with `uv pip compile`; uv itself comes from PyPI.
$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) on PATH"; exit 1; }
	$(PYTHON) -m venv $(STATE)/uv
	$(STATE)/uv/bin/pip install --quiet --disable-pip-version-check uv==0.13.8
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet -r requirements.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps -e .
	touch $@

install: $(STAMP)

airflow-init: install
	@mkdir -p $(AIRFLOW_HOME)
	$(BIN)/airflow db migrate >/dev/null
	$(BIN)/airflow pools set duckdb_writer 1 "one DuckDB writer at a time" >/dev/null

demo: airflow-init
	$(BIN)/python -m scripts.demo

# The interactive app over the demo's published snapshot, on loopback only; Streamlit's telemetry is off.
DASHBOARD_PORT ?= 8501
DEMO_CONFIG := $(STATE)/sim/demo/config.yml
DEMO_DATA := $(STATE)/data
DEMO_SNAPSHOT = $(DEMO_DATA)/published/warehouse.duckdb
dashboard: install
	@test -f $(DEMO_CONFIG) -a -f $(DEMO_SNAPSHOT) || { echo "No demo warehouse yet ($(DEMO_SNAPSHOT)): run \`make demo\` first, then \`make dashboard\`." >&2; exit 1; }
	@echo "Dashboard on http://127.0.0.1:$(DASHBOARD_PORT) (reads $(DEMO_SNAPSHOT); Ctrl-C stops it)"
	DELIVERY_STATE_DIR=$(DEMO_DATA) $(BIN)/streamlit run extractors/dashboards/app.py \
		--server.address 127.0.0.1 --server.port $(DASHBOARD_PORT) --server.headless true \
		--browser.gatherUsageStats false --global.developmentMode false --client.toolbarMode minimal \
		--server.fileWatcherType none -- --config $(DEMO_CONFIG)

test: airflow-init
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/data-tests --processes 2
	@# pytest exits 5 when it collects nothing: that is a failure, not a pass
	$(BIN)/pytest; status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/data-tests --processes 2

bench: install
	$(BIN)/python -m scripts.bench --profile $(or $(PROFILE),demo)

# the dashboards' queries on the published snapshot (p50/p95) and the HTML report's build time
bench-dashboard: install
	$(BIN)/python -m scripts.bench_dashboard $(if $(PUBLISHED),--published $(PUBLISHED))

# kill the pipeline at random points of each phase, re-run once, compare with an uninterrupted run
chaos: install
	$(BIN)/python -m scripts.chaos --trials $(or $(TRIALS),20)

clean:
	rm -rf $(STATE)
