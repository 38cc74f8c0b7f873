# ketencursus: every task of the project. The first two targets are the README's set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader shells out to `alembic`: the environment's bin must be on PATH.
export PATH := $(BIN):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1
# Every pip install is pinned to what CI tested (see CONTRIBUTING.md, "Pinned versions").
CONSTRAINTS := requirements/constraints.txt
PIP := $(BIN)/python -m pip install --quiet --constraint $(CONSTRAINTS)

.PHONY: scorm book test lint typecheck bench clean system-deps env-book env-dev help \
        student-release constraints fresh-debian-check docent edities

help:
	@echo "make book   - omgeving maken, boek bouwen met uitgevoerde notebooks (_build/html)"
	@echo "make docent - docenteneditie (docentenhandleiding) bouwen (_build/docent/_build/html)"
	@echo "make edities - PDF- en ePub-uitgave van het boek, daarna het boek met downloadlinks"
	@echo "make test   - alle tests (ruff, mypy, pytest inclusief browsertests)"
	@echo "make bench  - benchmarks (notebooks, generatoren, nakijken, publicatie)"
	@echo "make clean  - gebouwde bestanden weggooien"
	@echo "make constraints        - requirements/constraints.txt opnieuw maken (zie CONTRIBUTING.md)"
	@echo "make fresh-debian-check - make book + make test in een schone Debian 12-chroot (root)"

# Debian packages first, before anything else is done: as root the missing ones are installed,
# otherwise one Dutch line names them and make stops. `make book` needs the book list; the
# targets that run tests need the test list too.
DEBIAN_LISTS := requirements/debian-book.txt
ifneq ($(filter test bench,$(MAKECMDGOALS)),)
DEBIAN_LISTS += requirements/debian-test.txt
endif
system-deps:
	@sh tools/debian-deps.sh $(DEBIAN_LISTS)

$(VENV)/bin/python: | system-deps
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

$(VENV)/.stamp-book: pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/python
	$(PIP) -e ".[book,notebooks]"
	touch $@

$(VENV)/.stamp-dev: pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/python
	$(PIP) -e ".[dev]"
	touch $@

env-book: $(VENV)/.stamp-book
env-dev: $(VENV)/.stamp-dev

# Browser assets (MathJax, served from the book) and axe-core for the tests, from npm, exactly
# as package-lock.json pins them.
node_modules/.stamp: package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

book: system-deps $(VENV)/.stamp-book node_modules/.stamp
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo ""
	@echo "Het boek staat in: $(CURDIR)/_build/html/index.html"

# The instructor edition (README "Docenteneditie"): its own book in docent/, built strictly.
# Never part of the learner book (_config.yml excludes docent/) or of the student release.
DOCENT_OUT := _build/docent
docent: system-deps $(VENV)/.stamp-book node_modules/.stamp
	$(BIN)/jupyter-book build docent --path-output $(DOCENT_OUT) -W -n --keep-going
	@echo ""
	@echo "De docenteneditie staat in: $(CURDIR)/$(DOCENT_OUT)/_build/html/index.html"

# The PDF and ePub editions (README "PDF en ePub"), written where the online book serves them,
# then the online book again so its pages link to them (`make book` alone shows no links).
# Its own target: it adds more than a minute to `make book` on the project's 2-core machine.
EDITIES_DIR := _build/html/edities
edities: system-deps $(VENV)/.stamp-book node_modules/.stamp
	$(BIN)/ketencursus edities -o $(EDITIES_DIR)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo ""
	@echo "De uitgaven staan in: $(CURDIR)/$(EDITIES_DIR) (gelinkt vanaf de startpagina)"

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check src tests benchmarks

typecheck: $(VENV)/.stamp-dev
	$(BIN)/mypy

test: system-deps $(VENV)/.stamp-dev node_modules/.stamp
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: system-deps $(VENV)/.stamp-dev node_modules/.stamp
	@set -e; for b in benchmarks/bench_*.py; do echo "== $$b"; PYTHONPATH=$(CURDIR) $(BIN)/python $$b; done

# The built book as one SCORM 1.2 package for an LMS (README "de cursus in een leeromgeving").
SCORM_ZIP ?= _build/ketencursus-scorm12.zip
scorm: book
	$(BIN)/ketencursus scorm -o $(SCORM_ZIP)

# Regenerate the pins (tools/constraints.py): resolved by pip from pyproject's ranges for
# Debian 12's Python and against PyPI only, in a throwaway environment.
constraints:
	rm -rf .venv-constraints
	$(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/python -m pip install --quiet --upgrade pip
	.venv-constraints/bin/python tools/constraints.py $(CONSTRAINTS)
	rm -rf .venv-constraints

# The README's two commands on a minimal Debian 12 (see CONTRIBUTING.md); root only.
fresh-debian-check:
	tools/fresh-debian-check.sh

# The learner-facing tree (see README "Voor docenten: publiceren"); RELEASE_DIR is a clone of
# the public learner repository, or an empty directory.
RELEASE_DIR ?= ../ketencursus-leerling
student-release: $(VENV)/.stamp-dev
	$(BIN)/ketencursus student-release -o $(RELEASE_DIR)

clean:
	rm -rf _build .pytest_cache .mypy_cache
