"""Fixtures for the real browser tests.

A session-wide headless Chromium (Debian's /usr/bin/chromium; Playwright's own
browsers are never downloaded), a fresh browser context and page per test
against pytest-django's `live_server`, console capture that fails a test on any
Content Security Policy violation, uncaught JavaScript error or static file that
did not load, and a screenshot in var/screenshots/ when a test fails.

Without Chromium the tests are skipped, unless OPENCSC_REQUIRE_BROWSER=1 (as in
CI), when they fail loudly instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import CHROMIUM, CSP_VIOLATION, TIMEOUT_MS, save_screenshot

# Playwright's sync API runs an asyncio event loop in this thread; Django refuses
# database access from a thread with a running loop unless told it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent


def _browser_required() -> bool:
    return os.environ.get("OPENCSC_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _unavailable(reason: str):
    if _browser_required():
        pytest.fail(f"OPENCSC_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def console_messages():
    """Console messages and uncaught page errors seen during the test, as 'type: text' strings."""
    return []


@pytest.fixture
def page(request, browser, live_server, console_messages):
    """A fresh page (own cookies) on the live server.

    After the test: a screenshot if it failed, and an error if the browser reported
    a Content Security Policy violation, an uncaught JavaScript error or a static
    file that did not load.
    """
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    broken_assets: list[str] = []

    def on_console(message):
        console_messages.append(f"{message.type}: {message.text}")

    def on_page_error(error):
        console_messages.append(f"pageerror: {error}")

    def on_response(response):
        if "/static/" in response.url and response.status >= 400:
            broken_assets.append(f"{response.status} {response.url}")

    def on_request_failed(req):
        # ERR_ABORTED is the browser cancelling a load because the test moved on (say, the favicon).
        if "/static/" in req.url and "ERR_ABORTED" not in (req.failure or ""):
            broken_assets.append(f"failed ({req.failure}) {req.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    yield page

    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed:
        save_screenshot(page, request.node.name)
    context.close()
    problems = [m for m in console_messages if CSP_VIOLATION.search(m) or m.startswith("pageerror:")]
    problems += [f"static file not loaded: {asset}" for asset in broken_assets]
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)
