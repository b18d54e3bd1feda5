# Gramota: `make run` starts the whole system; `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run test unit lint proto proto-check clean

$(VENV)/.installed: pyproject.toml deploy/setup.sh
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
bench-sessions: setup ; $(PY) bench/sessions.py  ## answer-save throughput vs a bare FastAPI+asyncpg INSERT at 200 candidates, and a 2,000-start storm
