# OpenCSC: everything installs from pyproject.toml and uv.lock into .venv.
PYTHON ?= python3.11
UV_VERSION = 0.13.8
UV = .tools/bin/uv
VENV_PY = .venv/bin/python
export UV_PYTHON_DOWNLOADS = never
export UV_PROJECT_ENVIRONMENT = .venv

.PHONY: demo test test-postgres test-browser install lint bench frontend clean dfe-validators dfe-check dfe-check-cin dfe-check-903

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

## The synthetic authority's CIN census and SSDA903 files checked by the DfE's validators (the two at once,
## each on its own core; each one's output printed whole when it ends).
dfe-check: install dfe-validators
	$(MAKE) --no-print-directory -j2 --output-sync=target dfe-check-cin dfe-check-903

dfe-check-cin:
	$(VENV_PY) ci/dfe_cin_check.py

dfe-check-903:
	$(VENV_PY) ci/dfe_903_check.py

clean:
	rm -rf .venv .tools .dfe-validators var
