# Bihuan: two commands.  `make demo` starts it with demo data; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

WEB_SRC := $(shell find web/src web/public -type f 2>/dev/null) web/package-lock.json \
            web/vite.config.ts web/desk.html web/mobile.html web/portal.html

.PHONY: demo test install web browser serve bench clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# the web app (desk, engineer app, customer pages): Node 20 + npm, packages from the registry
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/.built: web/node_modules/.installed $(WEB_SRC)
	cd web && npm run build --silent
	touch $@

web: web/dist/.built

# browser tests drive Debian's Chromium; label PDFs and screenshots need the CJK fonts
browser: install
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "installing chromium and fonts-noto-cjk"; \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

demo: install web       ## fresh demo database on SQLite, served at http://127.0.0.1:8000
	$(VENV)/bin/bihuan demo --port $(PORT)

test: install web browser  ## the whole suite on SQLite, and on PostgreSQL when reachable
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

serve: install web
	$(VENV)/bin/bihuan serve --port $(PORT)

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache web/node_modules web/dist
