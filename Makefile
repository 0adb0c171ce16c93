# Two entry points, each self-bootstrapping into .venv/:  make report  ·  make test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: report test setup system lint typecheck unit bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

system:
	@bash scripts/setup-system.sh

report: setup system
	$(PY) run_reports.py --year 2021 --only haidong-emergency --format html,pdf,docx

bench: setup system
	$(PY) benchmarks/batch.py --n 100 --naive-n 10
	$(PY) benchmarks/pdf.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

unit: setup
	$(VENV)/bin/pytest -q

test: setup system lint typecheck unit

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
