# The project's front door: the same targets in the README, in CI and in your hands.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# Exported so the portal (and anything make starts beside it) knows its own address: in development
# SITE_URL follows them unless it is set (civic_portal/settings.py).
export HOST PORT

.DEFAULT_GOAL := help
.PHONY: help install run serve test lint format check migrations-check messages compilemessages demo clean bench soak

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-18s %s\n", $$1, $$2}'

# requirements-dev.txt includes requirements.txt: one install brings what the portal runs with and
# what the tests and tools need; a change to either file installs again.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## Create .venv and install requirements-dev.txt (only when a requirements file changed)

compilemessages: install ## Compile the translation catalogues (pure Python, no gettext needed)
	@$(VENV)/bin/pybabel compile --statistics -d locale -D django 2>&1 | grep -v '^$$' || true
	@test -f locale/en/LC_MESSAGES/django.mo

demo: install compilemessages ## Migrate and load the demo content (safe to repeat)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The notice worker (texts and e-mails to residents, core/notices.py) runs in the background beside
# the server and is stopped with it, however the server ends (Ctrl-C included).
run: demo ## Bring up the portal with demo content and the notice worker at http://$(HOST):$(PORT)
	@echo ""
	@echo "  Portal:   http://$(HOST):$(PORT)/          Staff: http://$(HOST):$(PORT)/admin/"
	@echo "  Demo accounts (password demo-pass-2026): admin, editor-chunshu, worker-sihuan, officer-fangguan, volunteer-demo"
	@echo "  Notices:  manage.py db_worker runs beside the server; text messages are printed here (console backend)"
	@echo ""
	@$(PY) manage.py db_worker --no-reload --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install compilemessages ## Lint, format check, system checks, migrations check and the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint: install ## ruff check and ruff format --check only
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Format and fix what ruff can
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install ## Fail when a model change has no migration
	$(PY) manage.py makemigrations --check --dry-run

messages: install ## Refresh locale/en/LC_MESSAGES/django.po (needs GNU gettext: apt-get install gettext)
	$(PY) manage.py makemessages -l en --ignore='.venv/*' --ignore='var/*' --no-obsolete

bench: install compilemessages ## Benchmark the pages against the floor, page cache on and off, into bench/results*.md (PostgreSQL in DATABASE_URL, wrk)
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "make bench needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench"; exit 2;; esac
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "wrk is missing: apt-get install wrk"; exit 2; }
	$(PY) manage.py migrate --noinput
	@if $(PY) manage.py help seed_scale >/dev/null 2>&1; then $(PY) manage.py seed_scale --if-empty --scale $${SCALE:-1}; fi
	$(PY) manage.py bench

soak: install compilemessages ## Reports (≥ 20/s) and reads on gunicorn while its own PostgreSQL crashes, its own Redis crashes, its PostgreSQL freezes (SOAK_SECONDS, default 60)
	$(PY) manage.py soak

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
