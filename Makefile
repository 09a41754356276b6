# Vikno: two commands for a newcomer — `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE ?= vikno.settings.dev

.PHONY: install system-deps run migrate demo test test-server lint docs bench db-stop clean

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# System packages: Chromium for the browser tests, gettext for the translation catalogs.
system-deps:
	@command -v chromium >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing system packages (chromium, gettext)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium gettext >/dev/null; }

install: $(VENV)/.installed node_modules/.installed system-deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: install
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py load_demo

# The task-queue worker runs beside the development server (notifications, the deadline sweep, report
# roll-ups), and stops with it.
run: demo
	@mkdir -p var; $(PY) manage.py procrastinate worker >var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Task-queue worker started (log: var/worker.log)."; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite without the browser runs in TEST_WORKERS processes (pytest-xdist), each on its own test database
# (test_vikno_gw0, …); `make test TEST_WORKERS=0` runs it in one process. The browser tests stay in one process:
# two Chromiums on two cores gained little.
TEST_WORKERS ?= 2

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) manage.py i18ncheck
	DJANGO_SETTINGS_MODULE=vikno.settings.test $(BIN)/pytest -m "not browser" -n $(TEST_WORKERS) --dist worksteal
	DJANGO_SETTINGS_MODULE=vikno.settings.test $(BIN)/pytest -m browser tests/browser

# The same suite against the machine's PostgreSQL server.
test-server:
	$(MAKE) test DATABASE_URL=postgres://postgres@127.0.0.1:5432/vikno

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

docs: install
	$(PY) manage.py configdocs

# Every benchmark once at its documented size (~20 min; report_load at one oblast, not the 30M national
# run, which takes ~33 min on its own: .venv/bin/python bench/report_load.py).
bench: install
	$(PY) bench/search_latency.py
	$(PY) bench/page_weight.py
	$(PY) bench/generate_cases.py
	$(PY) bench/case_load.py
	$(PY) bench/case_inprocess.py
	$(PY) bench/case_search.py
	$(PY) bench/queue_load.py
	$(PY) bench/report_load.py --national-cases 2200000 --oblast-cases 1100000 --fresh

db-stop:
	$(PY) manage.py embeddeddb stop

clean:
	rm -rf $(VENV) node_modules var/static
