# Kompetenceportalen: `make run` serves the portal, `make test` runs the whole suite.
# Both set everything up first (virtualenv, locked dependencies, translations, migrations).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup run test test-security lint format messages migrate seed worker beat clean check-system

help:
	@echo "make run    - set up and serve the portal on http://$(HOST):$(PORT) with demo data"
	@echo "make test   - set up and run the whole test suite"
	@echo "make test-security - the standing security tests with the full cross product (URL x role, every hostile string into every field, Redis faults); figures in bench/security/full.md"
	@echo "make lint   - ruff check and ruff format --check"
	@echo "make worker - a Celery worker (needs REDIS_URL)"
	@echo "make beat   - Celery beat (needs REDIS_URL)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)." % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the lock file changes.
$(VENV)/.installed: requirements.lock | $(PY)
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

# WeasyPrint (PDF reports) needs Pango from the operating system.
check-system: $(VENV)/.installed
	@$(PY) -c 'import weasyprint' 2>/dev/null || { \
	  echo ""; \
	  echo "WeasyPrint cannot find its system libraries (Pango, HarfBuzz)."; \
	  echo "On Debian/Ubuntu install them with:"; \
	  echo "  sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"; \
	  echo ""; exit 1; }

# The compiled catalogues (.mo) are committed, so GNU gettext is only needed to change them.
messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv --verbosity 0; fi

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input --verbosity 0

setup: $(VENV)/.installed check-system messages migrate

# The demo data is loaded once per database; `manage.py seed_demo --reset` starts over.
seed: setup
	$(PY) manage.py seed_demo

run: seed
	@echo ""
	@echo "Kompetenceportalen: http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	$(PY) manage.py runserver $(HOST):$(PORT)

node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	 else echo "npm not found: browser tests cannot run axe-core and will fail or skip (see README)."; fi

test: setup node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The standing security tests (tests/walk/, tests/security/) with the full cross product instead of
# the CI sample: every role POSTs every page, every hostile string goes into every field. Takes long
# (see bench/security/full.md for the last run's figures); run it with DATABASE_URL and REDIS_URL set.
test-security: setup
	SECURITY_FULL=1 SECURITY_REPORT=bench/security/full.md $(VENV)/bin/pytest tests/walk tests/security -p no:cacheprovider $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: setup
	$(VENV)/bin/celery -A kompetence worker -Q celery,pdf --loglevel INFO

beat: setup
	$(VENV)/bin/celery -A kompetence beat --loglevel INFO

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
