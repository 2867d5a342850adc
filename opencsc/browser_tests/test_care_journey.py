"""A child's journey into care: becoming looked after, a placement move and a looked-after review."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.care.models import CareEpisode, LookedAfterReview
from opencsc.people.tests.factories import ChildFactory

from .helpers import fill_date, save_screenshot, sign_in

LOOKED_AFTER_ON = dt.date(2026, 11, 2)
MOVED_ON = dt.date(2026, 11, 16)
REVIEW_ON = dt.date(2026, 11, 20)


def test_into_care_a_move_and_a_review(page, live_server):
    # Given a social worker, an IRO and a child who is not looked after
    worker = UserFactory(role="social_worker")
    iro = UserFactory(role="iro", first_name="Rania", last_name="Haddad")
    child = ChildFactory(first_name="Leah", last_name="Brennan", date_of_birth=dt.date(2015, 3, 9))
    sign_in(page, live_server, worker.username)
    page.goto(f"{live_server.url}/children/{child.pk}/care/")
    expect(page.get_by_text("Leah Brennan is not looked after now.")).to_be_visible()

    # When the worker records that she became looked after, with her first placement
    page.get_by_role("link", name="Record that the child became looked after").click()
    fill_date(page, "Date the child became looked after", LOOKED_AFTER_ON)
    page.get_by_label("Legal status", exact=True).select_option("V2")
    page.get_by_label("Category of need").select_option("N1")
    page.get_by_label("Home postcode").fill("TW3 1ES")
    page.get_by_label("Placement type", exact=True).select_option("U6")
    page.get_by_label("Placement provider").select_option("PR1")
    page.get_by_label("Carer or provider name").fill("Sandra and Paul Whitfield")
    page.get_by_label("Placement postcode").fill("TW5 9QR")
    page.get_by_label("Distance from home (km)").fill("4.5")
    page.get_by_role("button", name="Save").click()

    # Then the Care page shows her in care, and the 903 episode
    expect(page.get_by_text("Recorded: the child became looked after")).to_be_visible()
    expect(page.get_by_text("Sandra and Paul Whitfield").first).to_be_visible()
    expect(page.get_by_role("cell", name="2 Nov 2026").first).to_be_visible()
    expect(page.get_by_role("cell", name="Accommodated under section 20 (single period) (V2)", exact=False)).to_be_visible()
    expect(page.get_by_role("cell", name="Care plan prepared")).to_be_visible()

    # When she moves to a new placement, with a care order made the same day
    page.get_by_role("link", name="Record a change of placement").click()
    fill_date(page, "Date of the move", MOVED_ON)
    page.get_by_label("Reason for the placement change").select_option("CARPL")
    page.get_by_label("New legal status (only if it changed too)").select_option("C2")
    page.get_by_label("Placement type", exact=True).select_option("U4")
    page.get_by_label("Placement provider").select_option("PR4")
    page.get_by_label("Carer or provider name").fill("Grace Mensah")
    page.get_by_label("Placement postcode").fill("SL1 2AB")
    page.get_by_role("button", name="Save the move").click()

    # Then the old episode ended with X1 and the new one started with RNE B (both changed), each code shown with its label
    expect(page.get_by_text("Placement change recorded")).to_be_visible()
    expect(page.get_by_role("cell", name="Episode ceased and a new one began the same day (X1)")).to_be_visible()
    expect(page.get_by_role("cell", name="Change of legal status and of placement and carer (B)")).to_be_visible()
    assert list(CareEpisode.objects.filter(child=child).order_by("start_date").values_list(
        "reason_new_episode", "legal_status")) == [("S", "V2"), ("B", "C2")]

    # When a looked-after review is recorded, chaired by the IRO
    page.get_by_role("link", name="Record a looked-after review").click()
    fill_date(page, "Date of the review", REVIEW_ON)
    page.get_by_label("IRO who chaired the review").select_option(label="Rania Haddad")
    page.get_by_label("How the child took part in the review").select_option("PN1")
    page.get_by_label("The IRO's decisions").fill("The placement meets Leah's needs. Plan for permanence by March.")
    page.get_by_role("button", name="Save").click()

    # Then the review shows on her record
    expect(page.get_by_text("Looked-after review recorded")).to_be_visible()
    expect(page.get_by_text("Plan for permanence by March.")).to_be_visible()
    assert LookedAfterReview.objects.get(child=child).iro == iro
    save_screenshot(page, "care_after_review")
    expect(page.get_by_role("cell", name="Attended and spoke for themselves")).to_be_visible()

    # And the Care tab, with two episodes and two placements, fits a 1,280 px screen without scrolling sideways
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
