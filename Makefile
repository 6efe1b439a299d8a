# Bihuan: two commands.  `make demo` starts it with demo data; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: demo test install install-test serve bench clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

demo: install           ## fresh demo database on SQLite, served at http://127.0.0.1:8000
	$(VENV)/bin/bihuan demo --port $(PORT)

test: install           ## the whole suite on SQLite, and on PostgreSQL when reachable
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

serve: install
	$(VENV)/bin/bihuan serve --port $(PORT)

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache
