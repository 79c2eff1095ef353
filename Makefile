# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format check install clean

# The virtual environment is rebuilt only when the declared or pinned dependencies change,
# so a second `make run` starts in seconds.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	@if [ ! -f var/db.sqlite3 ]; then \
		$(MANAGE) migrate --no-input && $(MANAGE) loaddata conference; \
	else \
		$(MANAGE) migrate --no-input; \
	fi
	@echo ""
	@echo "Newsroom is serving on http://$(HOST):$(PORT)/  (the editors' workspace: http://$(HOST):$(PORT)/admin/)"
	@echo "Create an editor account with:  $(BIN)/python manage.py createsuperuser"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(STAMP)
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var *.egg-info
