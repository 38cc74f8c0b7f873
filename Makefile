# ketencursus: every task of the project. The first two targets are the README's set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader shells out to `alembic`: the environment's bin must be on PATH.
export PATH := $(BIN):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: scorm book test lint bench clean system-deps env-book env-dev help student-release

help:
	@echo "make book   - omgeving maken, boek bouwen met uitgevoerde notebooks (_build/html)"
	@echo "make test   - alle tests (inclusief ruff en browsertests)"
	@echo "make bench  - benchmarks (notebooks, generatoren, nakijken, publicatie)"
	@echo "make clean  - gebouwde bestanden weggooien"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-book: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ".[book,notebooks]"
	touch $@

$(VENV)/.stamp-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

env-book: $(VENV)/.stamp-book
env-dev: $(VENV)/.stamp-dev

# Browser assets (MathJax, served from the book) and axe-core for the tests, from npm.
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

book: $(VENV)/.stamp-book node_modules/.stamp
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo ""
	@echo "Het boek staat in: $(CURDIR)/_build/html/index.html"

# Debian packages the tests need (Chromium for the browser tests; bubblewrap and util-linux
# for the grading sandbox); only when run as root.
system-deps:
	@if [ "$$(id -u)" = "0" ]; then \
	  missing=""; \
	  for p in chromium fonts-dejavu-core bubblewrap util-linux; do \
	    dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    echo "Debian-pakketten installeren:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	else \
	  command -v chromium >/dev/null || echo "Let op: chromium ontbreekt; installeer het (apt-get install chromium) voor de browsertests."; \
	fi

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check src tests

test: $(VENV)/.stamp-dev node_modules/.stamp system-deps
	$(BIN)/ruff check src tests
	$(BIN)/python -m pytest

bench: $(VENV)/.stamp-dev node_modules/.stamp system-deps
	@set -e; for b in benchmarks/bench_*.py; do echo "== $$b"; PYTHONPATH=$(CURDIR) $(BIN)/python $$b; done

# The built book as one SCORM 1.2 package for an LMS (README "de cursus in een leeromgeving").
SCORM_ZIP ?= _build/ketencursus-scorm12.zip
scorm: book
	$(BIN)/ketencursus scorm -o $(SCORM_ZIP)

# The learner-facing tree (see README "Voor docenten: publiceren"); RELEASE_DIR is a clone of
# the public learner repository, or an empty directory.
RELEASE_DIR ?= ../ketencursus-leerling
student-release: $(VENV)/.stamp-dev
	$(BIN)/ketencursus student-release -o $(RELEASE_DIR)

clean:
	rm -rf _build .pytest_cache
