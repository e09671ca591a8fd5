# Delivery: `make run` serves the demo, `make test` runs the test suite.
# Both create .venv and install the pinned requirements the first time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run workshop workshop-accounts workshop-reset serve test bench lint format migrate seed clean help

help:
	@echo "make run    - set up .venv, migrate, load the demo data, serve on http://$(HOST):$(PORT)/"
	@echo "make test   - set up .venv, run the whole test suite"
	@echo "make workshop - serve a room (HOST=0.0.0.0 for other machines): every lesson, DEBUG off"
	@echo "make workshop-accounts N=30 - the room's accounts, printed as cards"
	@echo "make workshop-reset - the room back to its starting point (YES=1: no question)"
	@echo "make serve  - the production profile: DEBUG off, gunicorn (see README, Production)"
	@echo "make migrate - apply the database migrations (once per release, before make serve)"
	@echo "make bench  - the benchmarks (bench/README.md); 'make bench card' runs one scenario, QUICK=1 all in minutes"
	@echo "make lint   - ruff check and ruff format --check"
	@echo "make format - ruff format and ruff check --fix"

$(BIN)/python:
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changed.
$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	@echo "==> Installing requirements.txt"
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	@echo "==> Installing requirements-dev.txt (the runtime set plus test tools)"
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

migrate: $(VENV)/.installed-runtime
	@echo "==> Applying database migrations"
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input

seed: migrate
	@if DEBUG=$${DEBUG:-1} $(BIN)/python manage.py help seed_demo >/dev/null 2>&1; then \
		echo "==> Loading the demo data"; \
		DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo; \
	fi

run: seed
	@echo "==> Serving Delivery on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The workshop room (README, "The workshop"): its own database, apart from make run's,
# so that a reset between two sessions never touches anything else. The commands
# themselves run with the development settings, which keep the room's keys in
# .dev-secrets.json; every server they start runs with DEBUG off.
ROOM_DATABASE_URL ?= sqlite:///$(CURDIR)/workshop.sqlite3
N ?= 30
ROOM_ENV = DEBUG=1 DATABASE_URL="$${DATABASE_URL:-$(ROOM_DATABASE_URL)}" HOST=$(HOST) PORT=$(PORT)

workshop: $(VENV)/.installed-runtime
	$(ROOM_ENV) $(BIN)/python manage.py workshop

workshop-accounts: $(VENV)/.installed-runtime
	$(ROOM_ENV) $(BIN)/python manage.py workshop_accounts $(N)

workshop-reset: $(VENV)/.installed-runtime
	$(ROOM_ENV) $(BIN)/python manage.py workshop_reset $(if $(filter 1 yes,$(YES)),--yes)

# The production profile: DEBUG off, secrets and addresses from the environment (the
# README's "Production" section). A missing secret stops it with one line. It never
# migrates: several servers starting at once would race to; `make migrate` applies
# a release's migrations once, and serve refuses a database that lacks them.
serve: $(VENV)/.installed-runtime
	@echo "==> Checking the production settings"
	DEBUG=0 $(BIN)/python manage.py check --deploy
	@echo "==> Checking that the database has this release's migrations"
	@DEBUG=0 $(BIN)/python manage.py migrate --check --plan || { \
		echo "Delivery cannot start: the database is unreachable, or lacks the migrations above; apply them once with 'make migrate'."; \
		exit 1; }
	@echo "==> Collecting static files"
	DEBUG=0 $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo "==> Serving Delivery with gunicorn on $(HOST):$(PORT) (Ctrl-C stops it)"
	DEBUG=0 HOST=$(HOST) PORT=$(PORT) exec $(BIN)/gunicorn -c python:delivery.gunicorn delivery.wsgi

test: $(VENV)/.installed-dev
	@echo "==> Running the test suite"
	$(BIN)/pytest $(PYTEST_ARGS)

# The benchmarks (bench/README.md); the results go to bench/results/. The words
# after "bench" name scenarios to run alone (make bench card): they are arguments,
# not targets, so they are given an empty rule here and passed on to bench.run.
ifeq (bench,$(firstword $(MAKECMDGOALS)))
BENCH_SCENARIOS := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
ifneq (,$(BENCH_SCENARIOS))
$(eval $(BENCH_SCENARIOS):;@:)
endif
endif

bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || { \
		echo "==> wrk is missing; installing Debian's package (the endpoints and the history load the server with it)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; }
	QUICK=$(QUICK) $(BIN)/python -m bench.run $(BENCH_SCENARIOS)

lint: $(VENV)/.installed-dev
	@echo "==> ruff check"
	$(BIN)/ruff check .
	@echo "==> ruff format --check"
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
