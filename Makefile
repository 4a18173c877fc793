# Stapel — the commands a developer runs. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEMO_DUMP := questions/demo_data
# The demo content is ours; its "original" links point at a reserved example domain.
DEMO_SITE_URL := https://demo.stapel.example
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve cluster worker no-broker test install messages makemessages migrate demo check format clean bench bench-notifications bench-spam

# The background tasks (emails, inbox fan-out, digests) go to Redis when a broker is set
# (REDIS_URL, or CELERY_BROKER_URL); without one they run in the process that enqueues
# them, after the commit, so `make run` alone is the whole site.
BROKER_URL := $(or $(CELERY_BROKER_URL),$(REDIS_URL))

run: install messages migrate demo
ifeq ($(BROKER_URL),)
	@echo "Tasks run in-process (no REDIS_URL): no worker needed."
else
	@echo "Tasks go to Redis (REDIS_URL is set): start \`make worker\` too, or they wait in the queue."
endif
	DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# The site under production settings on this machine: DEBUG off, static files collected
# under hashed names and served by WhiteNoise, migrations, then gunicorn with
# deploy/gunicorn.conf.py (a worker per core). SECRET_KEY comes from the environment, else
# from .secret_key, made once and ignored by git. Plain HTTP on $(HOST):$(PORT), so HTTPS
# redirects and secure-only cookies are off unless the environment turns them on (behind
# nginx with TLS; docs/DEPLOYMENT.md). Every other variable as in the README's table.
SECRET_KEY_FILE := .secret_key
SERVE_ENV = DJANGO_DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" SECURE_COOKIES="$${SECURE_COOKIES:-0}"

serve: install messages $(if $(SECRET_KEY),,$(SECRET_KEY_FILE))
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v 0
	$(SERVE_ENV) $(MANAGE) migrate --noinput
	$(SERVE_ENV) GUNICORN_BIND="$${GUNICORN_BIND:-$(HOST):$(PORT)}" \
		$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py forum.wsgi:application

$(SECRET_KEY_FILE):
	umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The site scaled out on this machine, on loopback only (deploy/cluster/run.py): nginx in
# front of two gunicorn app servers, a Celery worker with beat, Redis, and a PostgreSQL
# primary with a streaming replica, all in a temporary folder; a member's journey through
# it while an app server is killed and Redis restarted, then `recount --dry-run`. Prints
# what it measured and removes everything it started. Installs nginx, PostgreSQL and
# Redis from Debian's packages when missing (as root).
cluster: install messages
	$(PY) deploy/cluster/run.py

# A Celery worker, one process per core, with beat (the clock of the periodic tasks:
# digests, the view-count flush) embedded; its schedule file lives in .venv, which git
# ignores. Production runs `celery -A forum worker` on as many machines as it likes and
# exactly one `celery -A forum beat` on its own: a beat in every worker would send each
# periodic task once per worker.
worker: $(if $(BROKER_URL),install messages migrate,no-broker)
	DJANGO_DEBUG=1 $(VENV)/bin/celery -A forum worker --beat --loglevel=info \
		--concurrency=$$($(PY) -c 'import os; print(os.cpu_count())') \
		--schedule=$(VENV)/celerybeat-schedule

no-broker:
	@echo "Without REDIS_URL tasks run in-process; nothing to start." >&2
	@exit 1

test: install messages
	$(VENV)/bin/pytest

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# No package's install script runs: the front end takes prebuilt files only, and
# swagger-ui-dist's dependency @scarf/scarf would otherwise report the install to its
# makers' analytics.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent --ignore-scripts
	touch $@

# Compiles the German and English catalogues (.po -> .mo) when a .po is newer.
messages: install
	@for po in locale/*/LC_MESSAGES/django.po; do \
		mo=$${po%.po}.mo; \
		if [ ! -f "$$mo" ] || [ "$$po" -nt "$$mo" ]; then \
			DJANGO_DEBUG=1 $(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules -v 0 && break; \
		fi; \
	done

# Collects new strings from the code and templates into the catalogues (for translators).
makemessages: install
	DJANGO_DEBUG=1 $(MANAGE) makemessages -l de -l en --ignore=$(VENV) --ignore=node_modules --no-obsolete

migrate: install
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput

# The importer is idempotent: loading the demo dump again adds nothing.
demo: migrate
	DJANGO_DEBUG=1 $(MANAGE) import_stackexchange $(DEMO_DUMP) --site-url $(DEMO_SITE_URL) --quiet
	@echo "Demo accounts to log in with (development only):"
	@DJANGO_DEBUG=1 $(MANAGE) demo_accounts

# Generates BENCH_QUESTIONS (10000) questions on PostgreSQL if missing, serves them with
# gunicorn under production settings, measures each page with wrk and writes
# docs/PERFORMANCE.md. Needs PostgreSQL and wrk (apt-get install -y wrk).
bench: install messages
	$(PY) bench/run.py

# Fans one answer out to 100,000 followers and builds the daily digest for 10,000 members
# watching tags, on a PostgreSQL database of its own (BENCH_NOTIFY_DATABASE_URL), and
# writes the figures into docs/PERFORMANCE.md.
bench-notifications: install messages
	$(PY) bench/notifications.py

# Destroys 1,000 spam accounts as one bulk cleanup and undoes it, on a PostgreSQL database
# of its own (BENCH_SPAM_DATABASE_URL, made afresh), and writes the times into
# docs/PERFORMANCE.md.
bench-spam: install messages
	$(PY) bench/spam.py

# Fails on a missing migration, a failed system check, a lint finding in the Python or the
# templates, or Python that `make format` would change. Settings in pyproject.toml, which
# also says why djlint lints the templates but does not reformat them.
check: install
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(MANAGE) check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint templates

# Rewrites the Python the way `make check` wants it. The fixes come first (they sort
# imports, for one) so that the formatter lays out what they leave; what ruff cannot fix
# it prints, and `make check` still fails on.
format: install
	$(VENV)/bin/ruff check --fix --exit-zero .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 locale/*/LC_MESSAGES/*.mo
