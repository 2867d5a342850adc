"""One child through every part of the record: the same facts everywhere (issue 19, "the record contradicts
itself").

Visits recorded in three places (casework's visits, a case note of a home visit, a private fostering visit),
seen, seen alone and not seen; a child protection plan (in an open episode of need), an ended child in need
plan, a private fostering arrangement and an allocation. The Visits tab, the summary (last visit, services
now, allocated to, open plans), the chronology, the due list and each area's tab must say the same thing.
And within a day, the chronology lists events newest first like the days themselves, the contact's
screening among them.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.assessment.models import Assessment
from opencsc.assessment.tests.factories import AssessmentFactory, CINEpisodeFactory
from opencsc.casework import chronology_export, selectors
from opencsc.casework.models import CaseNote, Plan, Visit
from opencsc.casework.summary import ServiceCheck, service_sources
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.core.navigation import RECORD_SECTIONS
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.frontdoor.tests.factories import ContactFactory, at
from opencsc.otherduties import services as otherduties_services
from opencsc.otherduties.tests.factories import PrivateFosteringFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection.tests import helpers
from opencsc.timescales.selectors import child_next_due

from .factories import AllocationFactory, CaseNoteFactory, PlanFactory, VisitFactory

pytestmark = pytest.mark.django_db

D = dt.date
PLAN_START = D(2026, 10, 5)
TODAY = D(2026, 11, 2)
# (visited on, how it was recorded, seen, alone): what every page must say of each visit
VISITS = [
    (D(2026, 10, 12), "cp visit", True, True),
    (D(2026, 10, 20), "cp visit", False, False),
    (D(2026, 10, 26), "home visit note", True, False),
    (D(2026, 10, 28), "private fostering visit", False, False),
]
SEEN = {(True, True): "Child seen alone", (True, False): "Child seen, not alone", (False, False): "Child not seen"}


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _rows(html: str) -> list[str]:
    """The rows of a page's table body, as text without tags."""
    body = html[html.index('<tbody class="govuk-table__body">'):]
    body = body[:body.index("</tbody>")]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]]


@pytest.fixture
def world(client):
    team = TeamFactory(name="North child protection", kind=TeamKind.CHILD_PROTECTION)
    worker = UserFactory(role=Role.SOCIAL_WORKER, team=team, first_name="Priya", last_name="Sharma")
    manager = UserFactory(role=Role.TEAM_MANAGER, team=team)
    child = ChildFactory(first_name="Kai", date_of_birth=D(2016, 4, 1))
    AllocationFactory(child=child, worker=worker, team=team, start_date=D(2026, 9, 28))
    cp_plan = helpers.cp_plan(manager, child, PLAN_START)
    cin_plan = PlanFactory(child=child, kind=Plan.Kind.CHILD_IN_NEED, start_date=D(2026, 9, 1),
                           end_date=D(2026, 10, 4), created_by=worker)
    fostering = PrivateFosteringFactory(child=child, carer_name="Ms Okafor", created_by=worker)
    for day, how, seen, alone in VISITS:
        if how == "cp visit":
            VisitFactory(child=child, kind=Visit.Kind.CP, visited_on=day, child_seen=seen, child_seen_alone=alone,
                         visitor=worker)
        elif how == "home visit note":
            CaseNoteFactory(child=child, note_type=CaseNote.NoteType.HOME_VISIT, contact_date=day, child_seen=seen,
                            child_seen_alone=alone, subject="Home visit after school", author=worker)
        else:
            otherduties_services.private_fostering_visit_record(
                actor=worker, arrangement=fostering, visited_on=day, child_seen=seen, child_seen_alone=alone)
    # Not visits: a telephone call, and direct work in which the child was seen
    CaseNoteFactory(child=child, note_type=CaseNote.NoteType.PHONE_CALL, contact_date=D(2026, 10, 30),
                    subject="Called school", author=worker)
    CaseNoteFactory(child=child, note_type=CaseNote.NoteType.DIRECT_WORK, contact_date=D(2026, 10, 31),
                    child_seen=True, subject="Three houses exercise", author=worker)
    client.force_login(worker)
    return {"client": client, "child": child, "worker": worker, "team": team, "cp_plan": cp_plan,
            "cin_plan": cin_plan}


def _page(world, name, **query):
    return _html(world["client"].get(reverse(name, args=[world["child"].pk]), query))


def test_every_page_lists_the_same_visits_with_the_same_dates_and_child_seen(world):
    child, worker = world["child"], world["worker"]
    expected = [(day, SEEN[seen, alone]) for day, _, seen, alone in sorted(VISITS, reverse=True)]

    # The one selector: every visit, however it was recorded, newest first, and nothing else
    visits = list(selectors.visits_for(user=worker, child=child))
    assert [(v.date, v.seen_text) for v in visits] == expected

    # The Visits tab shows them all (it said "No visits yet" while the chronology listed visits)
    rows = _rows(_page(world, "casework:visits"))
    assert len(rows) == len(VISITS)
    for row, (day, seen_text), visit in zip(rows, expected, visits, strict=True):
        assert row.startswith(govuk_date(day))
        assert visit.title in row
        assert ("Not seen" in row) is (seen_text == "Child not seen")
    assert "No visits yet" not in _page(world, "casework:visits")

    # The summary's last visit is the newest of them
    summary = _page(world, "casework:child_record")
    newest_day, newest_seen = expected[0]
    assert f"{escape(visits[0].title)} on {govuk_date(newest_day)}: {newest_seen.lower()}." in summary

    # The chronology lists each of them on its day, saying whether the child was seen
    chronology = _page(world, "casework:chronology")
    for visit in visits:
        entry = next(r for r in _rows(chronology) if visit.title in r and r.startswith(govuk_date(visit.date)))
        seen_words = "child not seen" if not visit.child_seen else "child seen"
        assert seen_words in entry.lower()

    # The due list counts the same visits: the next child protection visit runs from the last one with the
    # child seen (12 Oct: on 20 Oct the child was not seen)
    cp_due = next(i for i in child_next_due(user=worker, child=child, today=TODAY) if i.rule_code == "cp_visit")
    last_cp_seen = next(v for v in visits if v.kind == "visit" and v.title == Visit.Kind.CP.label and v.child_seen)
    assert cp_due.measured_from == last_cp_seen.date == D(2026, 10, 12)


@pytest.mark.parametrize(("kind", "shown"), [
    ("", [D(2026, 10, 28), D(2026, 10, 26), D(2026, 10, 20), D(2026, 10, 12)]),
    ("cp", [D(2026, 10, 20), D(2026, 10, 12)]),
    ("cin", []),
    ("source-case_note", [D(2026, 10, 26)]),
    ("source-private_fostering", [D(2026, 10, 28)]),
    ("nonsense", [D(2026, 10, 28), D(2026, 10, 26), D(2026, 10, 20), D(2026, 10, 12)]),  # an unknown kind: all
])
def test_the_visits_tab_filters_every_kind_of_visit(world, kind, shown):
    html = _page(world, "casework:visits", kind=kind)
    rows = _rows(html) if shown else []
    assert [row.split(" ")[:3] for row in rows] == [govuk_date(day).split(" ") for day in shown]
    if not shown:
        assert "No visits of this kind" in html


def test_services_now_are_shown_on_their_own_tabs(world):
    summary = _page(world, "casework:child_record")
    services_now = summary[summary.index("Services now"):summary.index("Allocated to")]
    services = dict(re.findall(r'<li><a class="govuk-link" href="([^"]+)">([^<]+)</a></li>', services_now))
    child = world["child"].pk
    # each links to its tab, which shows it as current (the allocated team's kind, "Child protection",
    # is not a service: the summary said "Child protection" while the child protection tab was empty)
    assert services == {reverse("assessment:episodes", args=[child]): "Child in need",
                        reverse("protection:overview", args=[child]): "Child protection plan",
                        reverse("otherduties:overview", args=[child]): "Privately fostered"}
    protection = _html(world["client"].get(reverse("protection:overview", args=[child])))
    assert "1st plan" in protection and "Open" in protection and govuk_date(PLAN_START) in protection
    episodes = _rows(_html(world["client"].get(reverse("assessment:episodes", args=[child]))))
    assert any("Open" in row for row in episodes)
    fostering = _html(world["client"].get(reverse("otherduties:overview", args=[child])))
    assert "Ms Okafor" in fostering and '<dt class="govuk-summary-list__key">Ended</dt>' not in fostering


@pytest.mark.parametrize("check", [s for s in service_sources() if isinstance(s, ServiceCheck)],
                         ids=lambda check: check.name)
def test_every_service_names_the_tab_of_the_record_that_shows_it(check):
    """Every label under "Services now" links to a section of the record's navigation."""
    sections = {section.url_name for section in RECORD_SECTIONS}
    assert check.section in sections
    assert reverse(check.section, args=[1])


@pytest.mark.parametrize("team_kind", [TeamKind.CHILD_PROTECTION, TeamKind.CHILDREN_IN_CARE, TeamKind.EARLY_HELP,
                                       TeamKind.REFERRAL_ASSESSMENT])
def test_an_allocation_alone_is_no_service(signed_in, team_kind):
    child = ChildFactory()
    team = TeamFactory(kind=team_kind)
    AllocationFactory(child=child, team=team, worker=None)
    html = _html(signed_in(Role.TEAM_MANAGER).get(reverse("casework:child_record", args=[child.pk])))
    assert "No open services" in html
    assert team.name in html  # under "Allocated to"


def test_the_allocation_and_the_plans_are_the_same_everywhere(world):
    worker, team, cp_plan, cin_plan = world["worker"], world["team"], world["cp_plan"], world["cin_plan"]
    summary = _page(world, "casework:child_record")
    allocated = summary[summary.index("Allocated to"):]
    assert worker.display_name in allocated and team.name in allocated and govuk_date(D(2026, 9, 28)) in allocated
    workforce = _page(world, "workforce:child")
    assert worker.display_name in workforce and team.name in workforce
    chronology = _page(world, "casework:chronology")
    assert escape(f"Allocated to {worker.display_name}, {team.name}") in chronology

    # Open plans: the child protection plan, on the summary, the Plans tab and the child protection tab
    open_plans = summary[summary.index("Open plans"):summary.index("Last visit")]
    assert f"Child protection plan</a> since {govuk_date(PLAN_START)}" in open_plans
    assert "Child in need plan" not in open_plans  # ended
    plan_rows = _rows(_page(world, "casework:plans"))
    assert len(plan_rows) == 2
    assert "Child protection plan" in plan_rows[0] and govuk_date(cp_plan.plan.start_date) in plan_rows[0]
    assert "Child in need plan" in plan_rows[1] and govuk_date(cin_plan.end_date) in plan_rows[1]


# --- Within a day --------------------------------------------------------------------------------------

DAY = D(2026, 11, 3)
REFERRAL_DECIDED = "Contact decided: referral to children's social care"
# The events of one day in the order they happened (the contact's at its times, the rest as the rules
# order them: a referral before its assessment starts, an assessment started before it is authorised).
DAY_IN_ORDER = ["Contact received", "Contact screened", REFERRAL_DECIDED, "Referral received",
                "Child and family assessment started", "Child and family assessment authorised"]


@pytest.fixture
def one_day(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    mash = UserFactory(role=Role.MASH_PRACTITIONER)
    child = ChildFactory()
    # Recorded in an order unlike the day's, so that no order of recording can pass for the right one
    episode = CINEpisodeFactory(child=child, referral_date=DAY)
    AssessmentFactory(episode=episode, start_date=DAY, completed_date=DAY, outcome=Assessment.Outcome.CIN_PLAN,
                      authorised_by=client.user)
    contact = ContactFactory(received_at=at(DAY, 9), children=[child], level_of_need="4",
                             screening_rationale="Bruising seen at school", screened_by=mash, screened_at=at(DAY, 11),
                             outcome="referral", decision_rationale="Threshold met", decided_by=client.user,
                             decided_at=at(DAY, 15))
    events.announce(contact)
    return client, child


def _day_titles(client, child) -> list[str]:
    html = _html(client.get(reverse("casework:chronology", args=[child.pk])))
    rows = [row.replace("&#x27;", "'") for row in _rows(html)]
    return [next(t for t in DAY_IN_ORDER if t in row) for row in rows if any(t in row for t in DAY_IN_ORDER)]


def test_a_days_chronology_reads_newest_first_like_the_days(one_day):
    client, child = one_day
    assert _day_titles(client, child) == list(reversed(DAY_IN_ORDER))


@pytest.mark.parametrize(("earlier", "later"), list(zip(DAY_IN_ORDER, DAY_IN_ORDER[1:], strict=False)))
def test_within_a_day_the_later_event_is_above_the_earlier_and_after_it_in_the_export(one_day, earlier, later):
    client, child = one_day
    shown = _day_titles(client, child)
    assert shown.index(later) < shown.index(earlier)  # the page: newest first
    exported = [e.title for e in chronology_export.entries(
        selectors.chronology_for(user=client.user, child=child), child)][::-1]  # the export: oldest first
    assert exported.index(earlier) < exported.index(later)


def test_the_contacts_screening_is_in_the_chronology(one_day):
    client, child = one_day
    html = _html(client.get(reverse("casework:chronology", args=[child.pk])))
    row = next(r for r in _rows(html) if "Contact screened" in r)
    assert row.startswith(govuk_date(DAY)) and "Level 4" in row and "Bruising seen at school" in row
    screened = Event.objects.get(child=child, title="Contact screened")
    assert screened.clock == "" and screened.occurred_at == at(DAY, 11)
    assert events.verify(kinds=["contact", "cin_episode", "assessment"]) == []


def test_a_case_closed_the_day_its_assessment_is_authorised_comes_last_in_that_day(signed_in):
    """Closing the episode ends everything of it: on its day it is above the authorisation (newest first),
    and after it in the export, though the referral's source comes before the assessment's."""
    client = signed_in(Role.TEAM_MANAGER)
    child = ChildFactory()
    episode = CINEpisodeFactory(child=child, referral_date=DAY, closure_date=DAY, reason_for_closure="RC8")
    AssessmentFactory(episode=episode, start_date=DAY, completed_date=DAY, outcome=Assessment.Outcome.NFA,
                      authorised_by=client.user)
    closed, authorised = "Episode of need closed", "Child and family assessment authorised"
    html = _html(client.get(reverse("casework:chronology", args=[child.pk])))
    rows = [row for row in _rows(html) if closed in row or authorised in row]
    assert [closed in row for row in rows] == [True, False]
    exported = [e.title for e in chronology_export.entries(
        selectors.chronology_for(user=client.user, child=child), child)][::-1]
    assert exported.index(authorised) < exported.index(closed)
