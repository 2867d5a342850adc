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
