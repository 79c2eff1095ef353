# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run serve test lint format check install clean bench

# The virtual environment is rebuilt only when the declared or pinned dependencies change,
# so a second `make run` starts in seconds.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

# The launch story is loaded only when the database is new: restarting never reverts editors' work.
# New means never migrated: `make check` or a stray connection may leave an empty file behind.
NEW_DB := $(BIN)/python -c "import sqlite3, sys; sys.exit(sqlite3.connect('var/db.sqlite3').execute(\"select count(*) from sqlite_master where name = 'django_migrations'\").fetchone()[0])"
run: $(STAMP)
	@mkdir -p var
	@if $(NEW_DB); then \
		echo "Creating var/db.sqlite3 and loading the launch story" && \
		$(MANAGE) migrate --no-input --verbosity 0 && $(MANAGE) loaddata conference && \
		$(MANAGE) createinitialrevisions --comment "Launch version" --verbosity 0; \
	else \
		$(MANAGE) migrate --no-input --verbosity 1; \
	fi
	@echo ""
	@echo "Newsroom is serving on http://$(HOST):$(PORT)/  (the editors' workspace: http://$(HOST):$(PORT)/admin/)"
	@echo "Create an editor account with:  make user NAME=you ROLE=editor   (or: $(BIN)/python manage.py createsuperuser)"
	@echo ""
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(MANAGE) runserver $(HOST):$(PORT)

# The production settings under gunicorn, after collectstatic (WhiteNoise serves the hashed,
# compressed files). Production needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL: whichever is not
# set in the environment gets a local default, for this target only, and it says which: a key
# generated once into var/secret_key, 127.0.0.1/localhost, the SQLite database in var/. Plain HTTP
# on a laptop: SECURE_SSL_REDIRECT defaults to false here (set it to true behind TLS).
serve: $(STAMP)
	@mkdir -p var
	@test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	@for name in SECRET_KEY ALLOWED_HOSTS DATABASE_URL SECURE_SSL_REDIRECT SITE_URL; do \
		eval "test -n \"\$${$$name}\"" || echo "make serve: $$name is not set; using a local default (see the Makefile)"; \
	done
	@export DJANGO_SETTINGS_MODULE=newsroom.settings.prod \
		SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
		ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/var/db.sqlite3}" \
		SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" \
		SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	new=$$($(NEW_DB) && echo yes); \
	$(MANAGE) migrate --no-input && \
	{ test -z "$$new" || test "$$DATABASE_URL" != "sqlite:///$(CURDIR)/var/db.sqlite3" || $(MANAGE) loaddata conference; } && \
	$(MANAGE) collectstatic --no-input --verbosity 0 && \
	echo "Newsroom (production settings) is serving on http://$(HOST):$(PORT)/" && \
	exec $(BIN)/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2}

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Not part of `make test`: the public pages at 100,000 articles against the framework floor, and
# the newsroom under editing, with wrk (installed from Debian's packages when missing). Builds the
# archive once (about two minutes), then takes about five minutes. DB=postgres runs it on a
# PostgreSQL 15 it starts (as .ci/run does); BENCH_ARGS="--duration 10" for longer runs.
DB ?= sqlite
bench: $(STAMP)
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python -m benchmarks.bench --database $(DB) $(BENCH_ARGS)

# The Arabic catalogues (issue 16). Each app's strings land in its own locale/, so makemessages
# runs from inside the app (it scans the current directory; without a locale/ there it would write
# into LOCALE_PATHS, newsroom's); then every catalogue is compiled. Needs GNU gettext's msgfmt
# (Debian: apt-get install gettext); `make test` does not, it reads the catalogues in Python.
CATALOGUE_APPS := newsroom articles people workflow desk
.PHONY: messages
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "make messages needs GNU gettext: apt-get install gettext"; exit 1; }
	@for app in $(CATALOGUE_APPS); do \
		mkdir -p $$app/locale && \
		(cd $$app && ../$(BIN)/python ../manage.py makemessages --locale ar --ignore static --no-obsolete) || exit 1; \
	done
	$(MANAGE) compilemessages --locale ar --ignore .venv --ignore var

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(STAMP)
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# A staff account in a role: make user NAME=rania ROLE=reporter (or editor, superuser). Asks for
# the password; without a terminal, set NEWSROOM_USER_PASSWORD.
.PHONY: user
user: $(STAMP)
	@test -n "$(NAME)" -a -n "$(ROLE)" || { echo "usage: make user NAME=... ROLE=reporter|editor|superuser"; exit 2; }
	$(MANAGE) migrate --no-input
	$(MANAGE) create_role_user "$(NAME)" --role "$(ROLE)" $(if $(EMAIL),--email "$(EMAIL)")

# Mutation testing of the modules that guard the product's promises (permissions, sanitizer,
# "published", page cache, invalidation, API, edit conflicts, preview links): each is changed one
# small edit at a time under the tests that cover it, and the table says how many edits a test
# noticed. About 30 minutes on two cores; MODULE=sanitizer runs one (names: mutation/modules.toml).
# Run by hand, not by CI. Survivors that cannot change behaviour: mutation/equivalents/<module>.txt.
.PHONY: mutate
mutate: $(STAMP)
	$(BIN)/python scripts/mutate.py $(MODULE)

clean:
	rm -rf $(VENV) var *.egg-info

# The production layout in miniature (Varnish, two app servers, PostgreSQL, Redis): stack.mk.
-include stack.mk
