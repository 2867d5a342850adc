"""The sections of a child's record: the main sections and the services that apply to this child first,
every section the user may open one step away under "All sections"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.core import events
from opencsc.core.navigation import RECORD_GROUPS, RECORD_SECTIONS, record_applies_kinds
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection.tests.helpers import cp_plan

pytestmark = pytest.mark.django_db


def _nav(page: str) -> tuple[str, str]:
    """The sections shown first, and those under "All sections"."""
    start = page.index('class="opencsc-record-nav')
    nav = page[start:page.index("</nav>", start)]
    if "<details" not in nav:
        return nav, ""
    return nav[:nav.index("<details")], nav[nav.index("<details"):]


def test_every_section_has_a_group_and_applies_through_registered_event_kinds():
    assert all(section.group in RECORD_GROUPS for section in RECORD_SECTIONS)
    assert record_applies_kinds() <= {source.key for source in events.sources()}


def test_a_child_without_child_protection_has_it_one_step_away(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    child = ChildFactory()
    cp_url = reverse("protection:overview", args=[child.pk])

    first, more = _nav(client.get(reverse("casework:child_record", args=[child.pk])).content.decode())

    assert cp_url not in first
    assert cp_url in more
    for name in ("casework:chronology", "casework:notes", "casework:plans", "casework:visits"):
        assert reverse(name, args=[child.pk]) in first
    assert "All sections" in more and ">Services</h2>" in more


def test_a_child_with_a_child_protection_plan_has_it_first(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    child = ChildFactory()
    cp_plan(client.user, child, dt.date(2026, 3, 2))

    first, _ = _nav(client.get(reverse("casework:child_record", args=[child.pk])).content.decode())

    assert reverse("protection:overview", args=[child.pk]) in first
    assert reverse("assessment:episodes", args=[child.pk]) in first  # the referral before it
    assert reverse("care:overview", args=[child.pk]) not in first


def test_the_current_section_shows_first_even_when_it_is_one_step_away(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    child = ChildFactory()
    url = reverse("casework:history", args=[child.pk])

    first, more = _nav(client.get(url).content.decode())

    assert f'href="{url}" aria-current="page"' in first
    assert "aria-current" not in more


def test_a_partner_sees_the_summary_only_and_no_other_sections(signed_in):
    from opencsc.people.models import PartnerShare

    child = ChildFactory()
    PartnerShare.objects.create(child=child, agency="police", reason="x", shared_on=dt.date(2026, 1, 1))
    page = signed_in(Role.PARTNER, agency="police").get(reverse("casework:child_record", args=[child.pk]))
    first, more = _nav(page.content.decode())

    assert first.count("<li") == 1 and more == ""


def test_the_navigation_asks_the_event_log_once_whatever_the_child_has(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    plain, protected = ChildFactory(), ChildFactory()
    cp_plan(client.user, protected, dt.date(2026, 3, 2))

    counts = []
    for child in (plain, protected):
        client.get(reverse("casework:notes", args=[child.pk]))  # warm the caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("casework:notes", args=[child.pk])).status_code == 200
        kinds = [q for q in queries.captured_queries
                 if "core_event" in q["sql"] and "DISTINCT" in q["sql"].upper() and '"kind" IN' in q["sql"]]
        assert len(kinds) == 1, kinds
        counts.append(len(queries))
    assert counts[0] == counts[1]
