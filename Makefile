# OpenCSC: everything installs from pyproject.toml and uv.lock into .venv.
PYTHON ?= python3.11
UV_VERSION = 0.13.8
UV = .tools/bin/uv
VENV_PY = .venv/bin/python
export UV_PYTHON_DOWNLOADS = never
export UV_PROJECT_ENVIRONMENT = .venv

.PHONY: demo test test-postgres test-browser install lint bench frontend clean dfe-validators dfe-check dfe-check-all dfe-check-cin \
	dfe-check-903

install: .venv/.synced

.tools/bin/uv:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) was not found)"; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: .tools/bin/uv pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

## Start the demo: an embedded SQLite database filled with a synthetic local authority.
demo: install
	DJANGO_SETTINGS_MODULE=config.settings.demo $(VENV_PY) manage.py demo

## Run the test suite (SQLite), in random order. Set OPENCSC_DATABASE=postgres and PG* variables for
## PostgreSQL (the tests that touch the database). The test database is built from the models
## (--no-migrations); opencsc/core/tests/test_migrations.py checks the migrations themselves.
PYTEST_ARGS ?=
test: install
	$(VENV_PY) -m pytest -m "not browser" -n 2 --dist loadgroup -q --no-migrations $(PYTEST_ARGS)

## Browser tests: Playwright driving Debian's Chromium (apt-get install chromium).
test-browser: install
	$(VENV_PY) -m pytest -m browser -q -p no:randomly

lint: install
	.venv/bin/ruff check .

bench: install
	$(VENV_PY) -m bench

## GOV.UK Frontend from its npm package (frontend/package.json, pinned, with its lock file), compiled with the
## system font stack (frontend/opencsc.scss: no GDS Transport, no font files), and the images its CSS uses,
## into opencsc/core/static/vendor/govuk-frontend/. Needs Node.js and npm; the output is committed, so
## nothing else (CI, a server) needs them.
GOVUK_OUT = opencsc/core/static/vendor/govuk-frontend
GOVUK_DIST = frontend/node_modules/govuk-frontend/dist/govuk
frontend:
	cd frontend && npm ci --no-audit --no-fund
	rm -rf $(GOVUK_OUT)
	mkdir -p $(GOVUK_OUT)/assets
	frontend/node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
	  --load-path=frontend/node_modules frontend/opencsc.scss $(GOVUK_OUT)/govuk-frontend.min.css
	cp $(GOVUK_DIST)/govuk-frontend.min.js $(GOVUK_OUT)/
	cp -R $(GOVUK_DIST)/assets/images $(GOVUK_DIST)/assets/manifest.json $(GOVUK_DIST)/assets/rebrand $(GOVUK_OUT)/assets/

## The DfE's own validators (csc-validator-be-cin, csc-validator-be-903) in their own environment.
dfe-validators: .dfe-validators/.installed

.dfe-validators/.installed: ci/dfe-validators.txt
	$(PYTHON) -m venv .dfe-validators
	.dfe-validators/bin/pip install --quiet -r ci/dfe-validators.txt
	@touch $@

## The DfE's validators over several synthetic authorities: each authority (seed_size_today) is generated ONCE
## into var/dfe/ (each from a copy of one empty database), then checked: its CIN census (ci/dfe_cin_check.py)
## and its SSDA903 files (ci/dfe_903_check.py) for the collection year holding its today and the year before,
## and its Annex A workbook against the Annex A schema (ci/dfe_annexa_check.py). Two "todays" cover three
## collection years: 31 Mar 2026 (2024-25, 2025-26) and 23 Nov 2026 (2025-26, 2026-27). Records are made
## wrong on purpose once per check (DFE_CIN_BREAK, DFE_903_BREAK); the others are checked clean. Two jobs at
## a time (-j2), each one's output printed whole when it ends; -k so that one failure does not hide the
## others. Narrow it with e.g. `make dfe-check DFE_AUTHORITIES=7_0.1_2026-11-23`. About 4 min on 2 cores.
DFE_DIR = var/dfe
DFE_903 ?= $(VENV_PY) ci/dfe_903_check.py
DFE_AUTHORITIES ?= 2014_0.3_2026-03-31 101_0.3_2026-11-23 202_0.1_2026-03-31 303_0.1_2026-07-15
DFE_CIN_BREAK ?= 101_0.3_2026-11-23
DFE_903_BREAK ?= 2014_0.3_2026-03-31
dfe_word = $(word $(2),$(subst _, ,$(1)))
dfe_args = --seed $(call dfe_word,$(1),1) --size $(call dfe_word,$(1),2) --today $(call dfe_word,$(1),3)

dfe-check: install dfe-validators
	rm -rf $(DFE_DIR)
	@mkdir -p $(DFE_DIR); started=$$(date +%s); \
	$(MAKE) --no-print-directory -k -j2 --output-sync=target dfe-check-all; status=$$?; \
	echo "DfE checks of $(words $(DFE_AUTHORITIES)) authorities ($(DFE_AUTHORITIES)): \
	$$(( $$(date +%s) - started ))s, $$( [ $$status = 0 ] && echo passed || echo FAILED)"; exit $$status

dfe-check-all: $(foreach a,$(DFE_AUTHORITIES),$(DFE_DIR)/$(a).cin.ok $(DFE_DIR)/$(a).903.ok $(DFE_DIR)/$(a).annexa.ok)

$(DFE_DIR)/empty.sqlite3:
	$(VENV_PY) ci/dfe_authority.py --empty --out $@

$(DFE_DIR)/%.sqlite3: | $(DFE_DIR)/empty.sqlite3
	$(VENV_PY) ci/dfe_authority.py $(call dfe_args,$*) --template $(DFE_DIR)/empty.sqlite3 --out $@

$(DFE_DIR)/%.cin.ok: $(DFE_DIR)/%.sqlite3
	$(VENV_PY) ci/dfe_cin_check.py --database $< $(call dfe_args,$*) $(if $(filter $*,$(DFE_CIN_BREAK)),,--no-break)
	@touch $@

$(DFE_DIR)/%.903.ok: $(DFE_DIR)/%.sqlite3
	$(DFE_903) --database $< $(call dfe_args,$*) $(if $(filter $*,$(DFE_903_BREAK)),,--clean-only)
	@touch $@

$(DFE_DIR)/%.annexa.ok: $(DFE_DIR)/%.sqlite3
	$(VENV_PY) ci/dfe_annexa_check.py --database $< $(call dfe_args,$*)
	@touch $@

.SECONDARY:

## Each check alone, on one authority it generates itself (as before).
dfe-check-cin: install dfe-validators
	$(VENV_PY) ci/dfe_cin_check.py

dfe-check-903: install dfe-validators
	$(VENV_PY) ci/dfe_903_check.py

clean:
	rm -rf .venv .tools .dfe-validators var
