"""One child through every view: the same due date and the same verdict everywhere (issue 18).

An assessment started 1 Dec 2026 and authorised 8 Feb 2027, a section 47 enquiry from a strategy
discussion on 14 Dec 2026 with its initial conference on 11 Jan 2027, and a contact received on
24 Dec 2026 and decided on 30 Dec. The authority may close on 29-31 Dec 2026, and may say that these
national rules skip its closure days. The due list (My work), the child's record, the episode page, the
child protection page, the contact page, the missed-timescale page, the scorecard's drill-down and
the inspection page and the CIN census return must all say the same thing, worked out by hand below.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opencsc.accounts.roles import Role
from opencsc.assessment import services as assessment_services
from opencsc.assessment.tests.factories import AssessmentFactory, submit
from opencsc.casework.models import Allocation
from opencsc.core import events
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.frontdoor.models import Contact
from opencsc.frontdoor.tests.factories import ContactFactory, at
from opencsc.inspection.tests.factories import InspectionFactory
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance import services as performance_services
from opencsc.protection.tests import helpers
from opencsc.returns.base import CollectionYear
from opencsc.returns.cin.builder import build_xml
from opencsc.timescales import services
from opencsc.timescales.selectors import due_items

pytestmark = pytest.mark.django_db

D = dt.date
REAL_LOCALDATE = timezone.localdate
NATIONAL_RULES = ("assessment", "icpc", "contact_decision")
CLOSURES = (D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31))

REFERRAL, AUTHORISED = D(2026, 12, 1), D(2027, 2, 8)
STRATEGY, ICPC_HELD = D(2026, 12, 14), D(2027, 1, 11)
RECEIVED, DECIDED = D(2026, 12, 24), D(2026, 12, 30)
BEFORE, AFTER = D(2027, 1, 4), D(2027, 2, 15)  # the two days the pages are looked at
PLAN_RECEIVED = D(2026, 9, 17)  # an inspection report: its action plan due 24 Dec 2026 (70 working days)

# By hand. National working days (England and Wales bank holidays: 25, 28 Dec and 1 Jan): 45 working days
# from 1 Dec is 5 Feb, 15 from 14 Dec is 7 Jan, 1 from 24 Dec is 29 Dec. Skipping 29-31 Dec as well:
# 10 Feb, 12 Jan and 4 Jan.
NATIONAL = {"assessment": D(2027, 2, 5), "icpc": D(2027, 1, 7), "contact_decision": D(2026, 12, 29)}
LOCAL = {"assessment": D(2027, 2, 10), "icpc": D(2027, 1, 12), "contact_decision": D(2027, 1, 4)}

CASES = {
    # closure days set, the three rules set to skip them
    "no closures, national rules": (False, False),
    "closures, national rules": (True, False),
    "closures, rules set to skip them": (True, True),
    "no closures, rules set to skip them": (False, True),
}


@pytest.fixture
def on_day(monkeypatch):
    """Make the pages and services see ``day`` as today (noon, London)."""

    def set_day(day: dt.date):
        moment = dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_default_timezone())
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(timezone, "localdate",
                            lambda value=None, tz=None: day if value is None else REAL_LOCALDATE(value, tz))

    return set_day


def _expected(closures: bool, skip: bool) -> dict:
    due = LOCAL if closures and skip else NATIONAL
    return {
        "due": due,
        "late": {"assessment": AUTHORISED > due["assessment"], "icpc": ICPC_HELD > due["icpc"],
                 "contact_decision": DECIDED > due["contact_decision"]},
        # On 4 Jan the contact's decision: 3 working days overdue (30, 31 Dec, 4 Jan) or due that day.
        "contact_on_4_jan": "3 working days overdue" if due["contact_decision"] < BEFORE else "Due today",
        # The inspection's action plan (Ofsted's deadline: national working days, whatever the authority
        # closes) was due 24 Dec: on 4 Jan it is 29, 30, 31 Dec and 4 Jan overdue.
        "plan_on_4_jan": "4 working days overdue",
    }


@pytest.mark.parametrize("closures, skip", list(CASES.values()), ids=list(CASES))
def test_one_child_has_the_same_due_dates_and_verdicts_in_every_view(signed_in, make_user, on_day, closures, skip):
    expected = _expected(closures, skip)
    due = expected["due"]
    on_day(BEFORE)
    admin = make_user(role=Role.SERVICE_MANAGER)
    for day in CLOSURES if closures else ():
        services.closure_day_add(date=day, reason="Christmas closure", actor=admin)
    client = signed_in(Role.TEAM_MANAGER)
    manager = client.user
    if skip:  # through the settings page, as a service manager would
        client.force_login(admin)
        for code in NATIONAL_RULES:
            response = client.post(reverse("timescales:setting_edit", args=[code]),
                                   {"version": "0", "closures": "skip", "count_start_day": "no"})
            assert response.status_code == 302
        client.force_login(manager)

    child = ChildFactory()
    events.announce(Allocation.objects.create(child=child, worker=manager, team=manager.team,
                                              start_date=D(2026, 11, 2)))
    episode = helpers.referral(manager, child, REFERRAL)
    assessment = AssessmentFactory(episode=episode, start_date=REFERRAL)
    discussion = helpers.strategy(manager, child, STRATEGY)
    contact = ContactFactory(received_at=at(RECEIVED), children=[child])
    events.announce(contact)
    inspection = InspectionFactory(report_received_on=PLAN_RECEIVED, started_on=D(2026, 7, 6),
                                   ended_on=D(2026, 7, 17))

    # -- Before anything is done (4 Jan 2027): the same due dates everywhere --------------------
    pages = {
        "my work": client.get(reverse("timescales:my_work")),
        "record": client.get(reverse("casework:child_record", args=[child.pk])),
        "episode": client.get(reverse("assessment:episode_detail", args=[child.pk, episode.pk])),
        "protection": client.get(reverse("protection:overview", args=[child.pk])),
        "contact": client.get(reverse("frontdoor:contact_detail", args=[contact.pk])),
    }
    html = {name: response.content.decode() for name, response in pages.items()}
    assert all(response.status_code == 200 for response in pages.values())
    for name in ("my work", "record"):
        for code in NATIONAL_RULES:
            assert govuk_date(due[code]) in html[name], (name, code)
        assert expected["contact_on_4_jan"] in html[name], name
    assert govuk_date(due["assessment"]) in html["episode"]
    assert govuk_date(due["icpc"]) in html["protection"]
    assert govuk_date(due["contact_decision"]) in html["contact"]
    contact_overdue = due["contact_decision"] < BEFORE
    assert ("3 working days overdue" in html["contact"]) is contact_overdue
    # No contradictory labels: nothing overdue says "Due today" beside it, and the reverse.
    assert ("Due today" in html["my work"]) is not contact_overdue
    items = {i.rule_code: i for i in due_items(children=Child.objects.filter(pk=child.pk))}
    assert {code: items[code].due for code in NATIONAL_RULES} == due
    assert (items["contact_decision"].rag == "red") is contact_overdue
    # The inspection page counts overdue as the due list does, in working days.
    client.force_login(admin)
    plan = client.get(reverse("inspection:detail", args=[inspection.pk])).content.decode()
    assert govuk_date(D(2026, 12, 24)) in plan and expected["plan_on_4_jan"] in plan
    client.force_login(manager)

    # -- Once done (15 Feb 2027): the same verdicts everywhere --------------------------------
    on_day(AFTER)
    Contact.objects.filter(pk=contact.pk).update(decided_at=at(DECIDED), decided_by=manager,
                                                 outcome=Contact.Outcome.NFA, decision_rationale="No concerns")
    events.announce(Contact.objects.get(pk=contact.pk))
    helpers.icpc(manager, child, discussion.section47, ICPC_HELD)
    submit(assessment)
    assessment_services.assessment_authorise(actor=manager, assessment=assessment, authorised_on=AUTHORISED,
                                             outcome="cin_plan", reason_late="Waited for the health report")
    assessment.refresh_from_db()
    late = expected["late"]
    # The service asked for a reason only when it was late.
    assert bool(assessment.reason_late) is late["assessment"]
    client.force_login(manager)  # six weeks on: a new session

    episode_page = client.get(reverse("assessment:episode_detail", args=[child.pk, episode.pk])).content.decode()
    assert ("Authorised late" if late["assessment"] else "Authorised in time") in episode_page
    assert govuk_date(due["assessment"]) in episode_page
    taken = 43 if closures and skip else 46  # working days from 1 Dec to 8 Feb, in the rule's calendar
    assert f'Working days taken</dt><dd class="govuk-summary-list__value">{taken}</dd>' in episode_page
    protection_page = client.get(reverse("protection:overview", args=[child.pk])).content.decode()
    assert ("Late</strong>" in protection_page) is late["icpc"]
    assert ("On time</strong>" in protection_page) is not late["icpc"]
    contact_page = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert ("Done late" if late["contact_decision"] else "Done in time") in contact_page

    done = {i.rule_code: i for i in due_items(children=Child.objects.filter(pk=child.pk), completed_since=REFERRAL)
            if i.rule_code in NATIONAL_RULES and i.completed_on is not None}
    assert {code: done[code].due for code in NATIONAL_RULES} == due
    assert {code: done[code].rag == "done_late" for code in NATIONAL_RULES} == late
    for code in NATIONAL_RULES:
        missed = client.get(reverse("timescales:missed_reason", args=[child.pk, code]),
                            {"scope": done[code].scope}).content.decode()
        assert (govuk_date(due[code]) in missed) is late[code], code

    # The scorecard: each indicator's drill-down lists the child as met or not met.
    performance_services.snapshot_take(as_at=AFTER)
    for key, code in (("assessments_45wd", "assessment"), ("icpc_15wd", "icpc"),
                      ("contacts_decided_1wd", "contact_decision")):
        for met in ("met", "not_met"):
            page = client.get(reverse("performance:drilldown", args=[key]), {"met": met}).content.decode()
            assert (escape(child.full_name) in page) is ((met == "not_met") is late[code]), (key, met)

    # The CIN census: the section 47's initial conference target is the protection page's due date.
    census = build_xml(CollectionYear.containing(AFTER)).decode()
    assert f"<InitialCPCtarget>{due['icpc']:%Y-%m-%d}</InitialCPCtarget>" in census
