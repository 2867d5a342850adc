"""Helpers for browser tests: sign in through the real form, save screenshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

CHROMIUM = Path(os.environ.get("OPENCSC_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "correct horse battery staple"
TIMEOUT_MS = 5_000
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
CSP_VIOLATION = re.compile(r"content security policy", re.IGNORECASE)


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as var/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception:  # noqa: BLE001 - a screenshot must never hide the real failure
        pass
    return path


def sign_in(page, live_server, username: str, password: str = PASSWORD):
    """Sign in through the real form at /accounts/sign-in/."""
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page


def fill_date(scope, legend: str, day, *, exact: bool = False):
    """Type a date into the GOV.UK day, month and year boxes of the fieldset named `legend`.

    `legend` is a pattern unless `exact` is set.
    """
    name = legend if exact else re.compile(legend)
    group = scope.get_by_role("group", name=name, exact=True) if exact else scope.get_by_role("group", name=name)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def fill_person(page, number: int, name: str, agency: str, attendance: str = "Attended"):
    """Fill row `number` of a meeting's list of people invited."""
    row = page.get_by_role("group", name=f"Person {number}", exact=True)
    row.get_by_label("Name").fill(name)
    row.get_by_label("Agency").select_option(label=agency)
    row.get_by_label("Attendance").select_option(label=attendance)
