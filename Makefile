# Alongside — developer entry points.
#
#   make            same as `make run`
#   make run        set up .venv, migrate, load demo data, serve at http://127.0.0.1:8000 with one
#                   background worker beside it (scripts/run; Ctrl-C stops both)
#   make test       set up .venv (+ Chromium if possible), run pytest in two processes per core (pytest-xdist;
#                   TEST_WORKERS=1 for one process); extra args: make test ARGS="-k chat -x"
#   make lint       ruff check, ruff format --check, lint-imports (the layers in pyproject.toml), mypy
#   make lock       re-pin requirements/dev.txt (and dev-py311.txt) from requirements/dev.in
#   make assets     build front-end assets
#   make bench      every benchmark on PostgreSQL + Redis (not CI; ~30 min): bench/README.md
#   make clean      remove .venv, SQLite databases (db.sqlite3, .test-*) and __pycache__ directories
#
# Default mode is "embedded" (SQLite + in-memory channel layer). Set DATABASE_URL and/or
# REDIS_URL in the environment to use PostgreSQL / Redis; they pass straight through.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run
MAKEFLAGS += --no-print-directory

VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=
# pytest-xdist processes for `make test`: two per core, as many tests spend much of their time waiting (for a
# browser, a socket, a server they started), and work stealing so that no process sits idle at the end. Each
# process gets its own test database and Redis prefix.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 )))

# `make lock` writes here (override to try it out without touching the real files).
LOCK_OUT ?= requirements
# Pins substituted into dev-py311.txt (Python 3.11 fallback: Django 5.2 LTS).
# djangorestframework-stubs >= 3.17 needs django-stubs >= 6, and django-stubs 5.2.x's
# [compatible-mypy] extra wants mypy < 1.20, so those two are swapped as well.
PY311_PINS := Django==5.2.19 django-stubs==5.2.9 django-stubs-ext==5.2.9 \
              djangorestframework-stubs==3.16.9 mypy==1.19.1
# Added to dev-py311.txt only: Django 5.2 has no django.tasks, and django-tasks-db uses this backport there.
PY311_EXTRA := django-tasks==0.12.0

.PHONY: run test lint lock assets bench clean

run:
	@bash scripts/bootstrap
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_data
	@echo "Alongside is running at http://127.0.0.1:8000 (with one background worker; Ctrl-C stops both)"
	exec bash scripts/run

test:
	@bash scripts/bootstrap
	@bash scripts/ensure-chromium
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist worksteal $(ARGS)

# Each check is its own line: the first to fail stops make with its exit code. Add new checks below.
lint:
	@bash scripts/bootstrap
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy .

lock:
	@py="$$(bash scripts/bootstrap --print-python)"; \
	if ! "$$py" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	    echo "make lock: needs Python 3.12+ (found $$py); set ALONGSIDE_PYTHON=/path/to/python3.12+" >&2; \
	    exit 1; \
	fi; \
	tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	echo "lock: fresh venv with $$py"; \
	"$$py" -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install -qq --disable-pip-version-check --upgrade pip; \
	echo "lock: pip install -r requirements/dev.in"; \
	if ! "$$tmp/venv/bin/python" -m pip install --disable-pip-version-check -r requirements/dev.in > "$$tmp/install.log" 2>&1; then \
	    tail -n 30 "$$tmp/install.log" >&2; \
	    echo "make lock: pip install -r requirements/dev.in failed" >&2; \
	    exit 1; \
	fi; \
	{ echo '# Pinned by `make lock` from dev.in (Python 3.12+). Do not edit by hand.'; \
	  "$$tmp/venv/bin/python" -m pip freeze --disable-pip-version-check --exclude setuptools --exclude pip; \
	} > "$$tmp/dev.txt"; \
	subst=(-e '1s/.*/# Fallback for machines with only Python 3.11: Django 5.2 LTS. Generated from dev.txt by `make lock`./'); \
	for pin in $(PY311_PINS); do subst+=(-e "s/^$${pin%%==*}==.*/$$pin/I"); done; \
	sed -E "$${subst[@]}" "$$tmp/dev.txt" > "$$tmp/dev-py311.txt"; \
	printf '%s\n' $(PY311_EXTRA) >> "$$tmp/dev-py311.txt"; \
	for pin in $(PY311_PINS); do \
	    grep -qx "$$pin" "$$tmp/dev-py311.txt" \
	        || { echo "make lock: $${pin%%==*} is not pinned in the freeze output" >&2; exit 1; }; \
	done; \
	echo "lock: checking that dev-py311.txt resolves for Python 3.11"; \
	if ! "$$tmp/venv/bin/python" -m pip install --disable-pip-version-check --dry-run --ignore-installed \
	        --python-version 3.11 --only-binary=:all: -r "$$tmp/dev-py311.txt" > "$$tmp/check.log" 2>&1; then \
	    tail -n 30 "$$tmp/check.log" >&2; \
	    echo "make lock: dev-py311.txt does not resolve for Python 3.11; adjust PY311_PINS in the Makefile" >&2; \
	    exit 1; \
	fi; \
	mkdir -p "$(LOCK_OUT)"; \
	cp "$$tmp/dev.txt" "$(LOCK_OUT)/dev.txt"; \
	cp "$$tmp/dev-py311.txt" "$(LOCK_OUT)/dev-py311.txt"; \
	echo "lock: wrote $(LOCK_OUT)/dev.txt and $(LOCK_OUT)/dev-py311.txt ($$(($$(wc -l < "$$tmp/dev.txt") - 1)) pins)"

assets:
	bash assets/build.sh

# The benchmarks (issue 6): build both data sets, then pages, the mixed load, realtime fan-out and idle
# sockets, one after the other on a quiet machine. Figures go to bench/results/ (text and JSON).
BENCH_OUT ?= bench/results
bench:
	@bash scripts/bootstrap
	@bash scripts/ensure-services
	@mkdir -p $(BENCH_OUT)
	@uptime | tee $(BENCH_OUT)/uptime-start.txt
	$(PY) bench/generate.py --size small
	$(PY) bench/generate.py --size large | tee $(BENCH_OUT)/generate-large.txt
	$(PY) bench/pages.py --json $(BENCH_OUT)/pages.json | tee $(BENCH_OUT)/pages.txt
	$(PY) bench/load.py --json $(BENCH_OUT)/load.json | tee $(BENCH_OUT)/load.txt
	$(PY) bench/realtime.py --json $(BENCH_OUT)/realtime.json | tee $(BENCH_OUT)/realtime.txt
	$(PY) bench/board.py --json $(BENCH_OUT)/board.json | tee $(BENCH_OUT)/board.txt
	$(PY) bench/sockets.py --json $(BENCH_OUT)/sockets.json | tee $(BENCH_OUT)/sockets.txt
	@uptime | tee $(BENCH_OUT)/uptime-end.txt

clean:
	rm -rf $(VENV) db.sqlite3 .test-*.sqlite3*
	find . -path ./.git -prune -o -path ./assets/node_modules -prune -o \
	    -type d -name __pycache__ -prune -exec rm -rf {} +
