"""The service menu and the sections of a child's record at 1,280 px and at 320 px: one row of menu
entries on a desktop, the record's sections on two rows at most, and no sideways scrolling on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.models import Event
from opencsc.core.navigation import record_applies_kinds
from opencsc.people.tests.factories import ChildFactory

from .helpers import save_screenshot, sign_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"
# How many rows the visible elements take (tops within 10 px of each other are one row).
ROWS = """(selector) => {
  const tops = [...document.querySelectorAll(selector)].filter(e => e.offsetParent !== null)
    .map(e => e.getBoundingClientRect().top).sort((a, b) => a - b);
  return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 10).length;
}"""


@pytest.mark.parametrize("role", [Role.SERVICE_MANAGER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.PARTNER])
def test_the_menu_takes_one_row_on_a_desktop_and_fits_a_phone(page, live_server, role):
    user = UserFactory(role=role, **({"agency": "police"} if role == Role.PARTNER else {}))
    sign_in(page, live_server, user.username)

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accessibility/")
    assert page.evaluate(ROWS, "#navigation > li") == 1
    assert page.evaluate(NO_OVERFLOW)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accessibility/")
    assert page.evaluate(NO_OVERFLOW)
    menu = page.locator("#navigation")
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():  # GOV.UK service navigation: the menu opens with a button on a phone
        toggle.click()
    expect(menu).to_be_visible()
    assert page.evaluate(NO_OVERFLOW)
    save_screenshot(page, f"navigation-menu-320-{role}")


def test_a_group_page_lists_the_groups_pages(page, live_server):
    user = UserFactory(role=Role.TEAM_MANAGER)
    sign_in(page, live_server, user.username)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accessibility/")
    page.locator("#navigation").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1, name="Reports")).to_be_visible()
    expect(page.locator("#navigation a[aria-current=page]")).to_have_text("Reports")
    save_screenshot(page, "navigation-group-1280")
    page.get_by_role("link", name="Performance").click()
    expect(page.locator("#navigation a[aria-current=true]")).to_have_text("Reports")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/menu/reports/")
        assert page.evaluate(NO_OVERFLOW), size


def test_the_record_shows_its_sections_on_two_rows_at_most_and_all_on_a_phone(page, live_server):
    # A child with every service in their history: every section applies
    manager = UserFactory(role=Role.SERVICE_MANAGER)
    child = ChildFactory(first_name="Casey", last_name="Everything")
    for number, kind in enumerate(sorted(record_applies_kinds()), start=1):
        Event.objects.create(child=child, kind=kind, source_id=number, occurred_on=dt.date(2025, 1, 1))
    plain = ChildFactory(first_name="Nadia", last_name="Plain")
    sign_in(page, live_server, manager.username)

    page.set_viewport_size(DESKTOP)
    for record in (child, plain):
        page.goto(f"{live_server.url}/children/{record.pk}/")
        assert page.evaluate(ROWS, ".opencsc-record-nav__item") <= 2, record
        assert page.evaluate(NO_OVERFLOW)
    nav = page.get_by_role("navigation", name="Sections of Nadia Plain's record")
    expect(nav.get_by_role("link", name="Child protection")).to_be_hidden()
    nav.get_by_text("All sections").click()
    assert page.evaluate(NO_OVERFLOW)
    save_screenshot(page, "navigation-record-1280-all-sections")
    nav.get_by_role("link", name="Child protection").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    current = page.locator(".opencsc-record-nav__list > li a[aria-current=page]")
    expect(current).to_have_text("Child protection")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/children/{child.pk}/notes/")
    assert page.evaluate(NO_OVERFLOW)
    nav = page.get_by_role("navigation", name="Sections of Casey Everything's record")
    # On a phone: the summary, the current section and "All sections"
    assert page.evaluate(ROWS, ".opencsc-record-nav__item") <= 3
    nav.get_by_text("All sections").click()
    expect(nav.get_by_role("link", name="Leaving care")).to_be_visible()
    assert page.evaluate(NO_OVERFLOW)
    save_screenshot(page, "navigation-record-320")
