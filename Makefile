# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/debian-packages.txt
	bash scripts/install-debian-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,dask]'
	touch $(STAMP)

demo: setup
	$(BIN)/zhenggai extract samples/ --out outputs/ --format csv,xlsx,sqlite,jsonl,html
	$(BIN)/python scripts/show_summary.py outputs/

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check extract tests benchmarks scripts
	$(BIN)/mypy

bench: setup
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) outputs/*.csv outputs/*.jsonl outputs/*.xlsx outputs/*.sqlite outputs/*.html
