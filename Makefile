# Gramota: `make run` starts the whole system; `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run test unit lint bench drill proto proto-check clean bench-analytics bench-sessions

$(VENV)/.installed: pyproject.toml deploy/setup.sh deploy/ob3/package-lock.json
	deploy/setup.sh

setup: $(VENV)/.installed

run: setup
	deploy/local/run.sh

## every test: unit, integration (real PostgreSQL + Kafka), end to end (each service its own process)
test: setup proto-check lint
	$(PY) -m pytest -q -p no:cacheprovider

## only the tests that need no PostgreSQL or Kafka
unit: setup
	$(PY) -m pytest -q -m "not integration and not e2e and not browser"

## exam-day benchmark: baselines + N officials (CANDIDATES=2000) + report with chart under reports/
bench: setup
	$(PY) -m tests.bench.exam_day bench --candidates $(or $(CANDIDATES),2000)

## fault drill: the exam-day scenario while each service, Kafka and PostgreSQL are killed -9 in turn
drill: setup
	$(PY) -m tests.bench.exam_day drill --candidates $(or $(CANDIDATES),300)

## static checks (generated code excluded)
lint: setup
	$(VENV)/bin/ruff check services tests

## regenerate services/contracts from proto/
proto: setup
	deploy/gen_proto.sh

## fail when the committed generated code differs from what proto/ generates
proto-check: setup
	deploy/gen_proto.sh --check

clean:
	rm -rf .run .pytest_cache

## render every k8s/ overlay and validate it offline (kubernetes-validate; CRD schemas from ../shared/k8s-schemas)
.PHONY: k8s-check
k8s-check: setup
	deploy/k8s_check.sh

## benchmark (not a test): drawing 1,000 attempts from a 500-item bank, beside a random.sample baseline
.PHONY: bench-draw
bench-draw: setup
	$(PY) -m gramota.testbank.bench

## certificates rendered per second per core, beside bare ReportLab on the same page
.PHONY: bench-certificates
bench-certificates: setup
	$(PY) -m tests.bench.certificates

## curator queries at national scale: loads 1,000,000 synthetic results, prints p95s and item-statistics time beside a baseline
bench-analytics: setup
	$(PY) -m gramota.scoring.bench --database-url "$$(deploy/local/postgres.sh createdb gramota_bench)"

## answer saves at 200 candidates beside a bare FastAPI+asyncpg INSERT, and 2,000 officials starting within 3 s
bench-sessions: setup
	$(PY) -m tests.bench.exam_day bench --paced --candidates 2000 --window 3

## answer saves only: the bare INSERT baseline beside Gramota's save at 200 concurrent, saturated and paced (~1 min)
.PHONY: bench-saves
bench-saves: setup
	$(PY) -m tests.bench.exam_day saves
