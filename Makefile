# HopThu developer entry points. See docs/running.md.
#   make run    set up (venv, translations, static, database, demo data, TLS) and run
#               web + worker (mail core) + beat in the foreground; Ctrl-C stops all
#   make test   the whole test suite on SQLite, then the store/search tests on a
#               throwaway PostgreSQL (installs missing Debian packages when root)

PYTHON ?= python3.11
VENV ?= .venv
VENV_PY := $(VENV)/bin/python
# Files under .venv, newer than the requirements they installed: `pip install` runs
# again whenever requirements.txt (or, for the dev tools, requirements-dev.txt) changes.
VENV_STAMP := $(VENV)/.requirements-installed
DEV_STAMP := $(VENV)/.requirements-dev-installed

.PHONY: run serve setup venv venv-dev test test-fast lint

run: setup
	PYTHON=$(VENV_PY) scripts/serve

# The part of `make run` after setup; the smoke test runs this same script.
serve:
	PYTHON=$(VENV_PY) scripts/serve

setup: venv
	PYTHON=$(VENV_PY) scripts/setup

# What production needs (requirements.txt): `make run` installs only this.
venv: $(VENV_STAMP)

$(VENV_STAMP): requirements.txt
	test -x $(VENV_PY) || $(PYTHON) -m venv $(VENV)
	scripts/build-deps $(VENV_PY)  # headers and a compiler for python-ldap (no wheel)
	$(VENV_PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

# Plus the test and development tools (requirements-dev.txt: pytest, playwright, ruff ...).
venv-dev: $(DEV_STAMP)

$(DEV_STAMP): $(VENV_STAMP) requirements-dev.txt
	$(VENV_PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

test: venv-dev
	PYTHON=$(VENV_PY) scripts/test-services scripts/run-tests

# Quick loop while coding: no services, no slow tests, SQLite only.
test-fast: venv-dev
	HOPTHU_TEST_FAST=1 PYTHON=$(VENV_PY) scripts/run-tests

lint: venv-dev
	$(VENV)/bin/ruff check .
