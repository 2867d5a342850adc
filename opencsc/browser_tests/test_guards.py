"""The checks every browser test relies on can fail: the app's CSP blocks inline code, and we notice."""

from __future__ import annotations

from playwright.sync_api import expect

from .helpers import CSP_VIOLATION

INLINE_CODE = (
    "<!DOCTYPE html><html lang='en-GB'><head><title>Probe</title><style>p { color: red; }</style></head>"
    "<body><p id='probe'>Probe</p><script>document.getElementById('probe').textContent = 'ran';</script></body></html>"
)


def test_the_app_csp_blocks_inline_code_and_the_page_fixture_reports_it(page, live_server, console_messages):
    # Given the sign-in page's real response headers, with a body carrying an inline style and script
    def serve_inline_code(route):
        real = route.fetch()
        route.fulfill(status=200, headers=real.headers, body=INLINE_CODE)

    page.route("**/accounts/sign-in/", serve_inline_code)

    # When the browser loads it
    page.goto(f"{live_server.url}/accounts/sign-in/")

    # Then the inline script did not run, and the console captured both violations
    expect(page.locator("#probe")).to_have_text("Probe")
    violations = [m for m in console_messages if CSP_VIOLATION.search(m)]
    assert any("script" in m for m in violations), console_messages
    assert any("style" in m for m in violations), console_messages
    # (cleared, or the page fixture would rightly fail this test at teardown)
    console_messages.clear()
