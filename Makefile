# The two commands: `make run` (set up everything and start the portal) and `make test`
# (set up everything and run the whole suite). The scripts they call live in config/bin/.
SHELL := /bin/bash
BIN := config/bin
PYTEST_ARGS ?=
# Parallel test workers (pytest-xdist), each with its own database, Solr core and Redis database
# (config/bin/portal.sh test-db creates them); TEST_WORKERS=1 runs the suite in one process.
TEST_WORKERS ?= 2

.PHONY: run test stop status install services lint clean help i18n demo-reset backup restore

help:
	@echo "make run     install what is missing, start the services and the portal on http://127.0.0.1:5000"
	@echo "make test    the same set-up, then the whole test suite against the real services"
	@echo "make stop    stop everything make run / make test started"
	@echo "make status  what is running"
	@echo "make lint    ruff and mypy"
	@echo "make demo-reset  put the demo catalog back as make run first loaded it"
	@echo "make backup  one dated archive in var/backups (databases, uploaded files, configuration)"
	@echo "make restore FILE=…  the archive onto a fresh var/ (FORCE=1 over one that holds data)"

install:
	@$(BIN)/install.sh

services: install
	@$(BIN)/postgres.sh start
	@$(BIN)/redis.sh start
	@$(BIN)/solr.sh start
	@$(BIN)/mailsink.sh start
	@$(BIN)/portal.sh config

run: services
	@$(BIN)/portal.sh db
	@$(BIN)/portal.sh start
	@$(BIN)/welcome.sh

# make run loads the demo catalog (unless YIYANG_DEMO=0); this puts it back as first loaded.
demo-reset: services
	@$(BIN)/portal.sh demo-reset

# Backup and restore (config/bin/backup.sh): `make backup [FILE=…]`, `make restore FILE=… [FORCE=1]`.
backup:
	@$(BIN)/backup.sh backup $(FILE)

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/yiyang-….tar.gz" >&2; exit 2; }
	@FORCE=$(FORCE) $(BIN)/backup.sh restore $(FILE)

# Compiled modules (and pytest's assertion-rewritten ones: every CKAN module, as CKAN's pytest
# plugin comes from its distribution) are kept under var/pycache even where the environment
# says PYTHONDONTWRITEBYTECODE: else each worker rewrites ~300 modules at every start.
test: services
	@TEST_WORKERS=$(TEST_WORKERS) $(BIN)/portal.sh test-db
	@PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache \
		.venv/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

stop:
	@$(BIN)/portal.sh stop
	@$(BIN)/solr.sh stop
	@$(BIN)/mailsink.sh stop
	@$(BIN)/redis.sh stop
	@$(BIN)/postgres.sh stop

status:
	@$(BIN)/portal.sh status
	@$(BIN)/solr.sh status || true
	@$(BIN)/mailsink.sh status
	@$(BIN)/redis.sh status
	@$(BIN)/postgres.sh status || true

lint: install
	@.venv/bin/ruff check ckanext-yiyang schemas tests setup.py
	@.venv/bin/ruff format --check ckanext-yiyang schemas tests setup.py
	@.venv/bin/mypy

# Removes all local state (database, index, logs) after stopping the services.
clean: stop
	rm -rf var

# Extract our strings into the .pot and add the new ones to the zh_Hans_CN catalog (then
# translate them there; tests/test_translations.py fails while one is missing).
I18N := ckanext-yiyang/ckanext/yiyang/i18n
i18n: install
	@.venv/bin/pybabel -q extract -F babel.cfg --no-location --omit-header --sort-output \
		-o $(I18N)/ckanext-yiyang.pot .
	@.venv/bin/pybabel -q update -D ckanext-yiyang -l zh_Hans_CN -i $(I18N)/ckanext-yiyang.pot \
		-d $(I18N) --no-fuzzy-matching --ignore-obsolete
	@# update drops msgids our code does not use: put back the translations of CKAN's own
	@# strings that our pages show (kept in core.po.part, see its header)
	@.venv/bin/python config/bin/po_merge.py $(I18N)/zh_Hans_CN/LC_MESSAGES/ckanext-yiyang.po \
		$(I18N)/zh_Hans_CN/LC_MESSAGES/core.po.part
	@.venv/bin/pybabel compile -D ckanext-yiyang -d $(I18N)
