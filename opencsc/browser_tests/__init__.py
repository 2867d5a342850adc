"""Real browser tests: Playwright driving Debian's Chromium against a live server.

Run with `.venv/bin/python -m pytest -m browser opencsc/browser_tests -q`.
"""
