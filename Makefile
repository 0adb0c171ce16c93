# Two entry points, each self-bootstrapping into .venv/:  make report  ·  make test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: report test setup system lint typecheck unit tests bench lab clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

system:
	@bash scripts/setup-system.sh

# Without the system fonts and Chromium (not root, nothing installed) the PDF is left out and
# the setup script has printed the command that installs them.
report: setup
	@if bash scripts/setup-system.sh; then formats=html,pdf,docx; else \
	  echo "（缺少上述系统软件包：本次只生成 HTML 与 DOCX，安装后再运行 make report 即可得到 PDF）" >&2; \
	  formats=html,docx; fi; \
	$(PY) run_reports.py --year 2021 --only haidong-emergency --format $$formats

lab: setup
	$(VENV)/bin/jupyter lab notebooks/annual_report.ipynb

bench: setup system
	$(PY) benchmarks/batch.py --n 100 --naive-n 10
	$(PY) benchmarks/pdf.py
	$(PY) benchmarks/word.py
	$(PY) benchmarks/frames.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: setup
	$(VENV)/bin/mypy

# The fast loop while editing: everything but the tests that start kernels, browsers or the batch.
unit: setup
	$(VENV)/bin/pytest -q -m "not slow"

# Every test (CI).
tests: setup system
	$(VENV)/bin/pytest -q

test: setup system lint typecheck tests

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
