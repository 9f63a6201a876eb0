# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# `make run PORT=8001` serves another port; HOST=0.0.0.0 opens it to other machines.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint check worker beat bench-seed clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# E-mail links point to the address served, unless SITE_URL says otherwise.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint
	$(BIN)/python manage.py makemigrations --check --dry-run

worker: install
	$(BIN)/celery -A spplus worker --loglevel=info

beat: install
	$(BIN)/celery -A spplus beat --loglevel=info

# A million experiences into a fresh PostgreSQL database `spplus_bench` (see bench/README.md).
bench-seed: install
	bench/seed_demo.sh

clean:
	rm -rf $(VENV) db.sqlite3 var/mail var/media var/private
