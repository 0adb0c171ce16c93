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

# Without the CJK fonts (not root, nothing installed) the PDF is left out and
# the setup script has printed the command that installs them.
# The bundled examples: the seed (海东市应急管理局 2021) first, then 淮安市人民政府 2024 (real, non-zero tables).
# Every year of each is rendered; `make report ONLY="my-body"` renders other bodies of data/ instead.
ONLY ?= haidong-emergency huaian
report: setup
	@if bash scripts/setup-system.sh report; then formats=html,pdf,docx; else \
	  echo "（缺少上述系统软件包：本次只生成 HTML 与 DOCX，安装后再运行 make report 即可得到 PDF）" >&2; \
	  formats=html,docx; fi; \
	$(PY) run_reports.py --only $(ONLY) --format $$formats

# JupyterLab in Chinese with the kit's export entries, for this project only (jupyter_config/ is put on
# JUPYTER_CONFIG_PATH; the user's ~/.jupyter is left alone).  Extra options: make lab LAB_ARGS="--no-browser
# --ip=0.0.0.0 --port=8888".  As root (containers, CI) Jupyter refuses to start without --allow-root.
LAB_ARGS ?=
lab: setup
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter_config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  $(VENV)/bin/jupyter lab $$([ "$$(id -u)" -eq 0 ] && echo --allow-root) $(LAB_ARGS) notebooks/annual_report.ipynb

# Every benchmark; each figure printed as min and median of >= 3 runs beside its target
# (docs/decisions.md quotes what this prints).  Run it on a quiet machine.
bench: setup system
	$(PY) benchmarks/batch.py --n 100 --naive-n 10 --runs 3 --jobs 2
	$(PY) benchmarks/batch.py --n 1000 --naive-n 0 --runs 3 --jobs 2
	$(PY) benchmarks/print.py --n 100 --jobs 2 --runs 3
	$(PY) benchmarks/pdf.py
	$(PY) benchmarks/word.py
	$(PY) benchmarks/frames.py
	$(PY) benchmarks/limits.py
	$(PY) benchmarks/cli.py
	$(PY) benchmarks/cluster.py --n 200 --runs 3 --format html
	$(PY) benchmarks/cluster.py --n 200 --runs 3 --format html,pdf,docx

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
