"""The child protection pages, through the test client, for each kind of user."""

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.accounts.roles import CASEWORK_ROLES, READ_ALL_ROLES, Role
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection.models import Conference, CPPlan, Section47, StrategyDiscussion
from opencsc.protection.tests.helpers import cp_plan, referral, strategy

D = dt.date


@pytest.fixture
def child(db, make_user):
    """A child with an episode of need open since 2 Jan 2023."""
    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    referral(make_user("social_worker", username="referrer"), child, D(2023, 1, 2))
    return child


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def attendees(*rows):
    data = {"attendee-TOTAL_FORMS": "6", "attendee-INITIAL_FORMS": "0", "attendee-MIN_NUM_FORMS": "0",
            "attendee-MAX_NUM_FORMS": "30"}
    for i, (name, agency, status) in enumerate(rows):
        data.update({f"attendee-{i}-name": name, f"attendee-{i}-agency": agency, f"attendee-{i}-role": "",
                     f"attendee-{i}-status": status})
    return data


@pytest.mark.parametrize("role", sorted(Role.values))
def test_the_overview_is_for_roles_that_read_casework(signed_in, child, role):
    client = signed_in(role)
    response = client.get(reverse("protection:overview", args=[child.pk]))
    assert response.status_code == (200 if role in READ_ALL_ROLES else 403)  # the page is refused


@pytest.mark.parametrize("role", sorted(Role.values))
def test_recording_a_strategy_discussion_is_for_casework_roles(signed_in, child, role):
    client = signed_in(role)
    url = reverse("protection:strategy_add", args=[child.pk])
    data = {**date_fields("held_on", D(2026, 3, 2)), "information_shared": "Bruising", "decision": "s47",
            **attendees(("DC Shah", "Police", "attended"))}
    response = client.post(url, data)
    if role in CASEWORK_ROLES:
        assert response.status_code == 302
        assert StrategyDiscussion.objects.count() == Section47.objects.count() == 1
    else:
        assert response.status_code == 403
        assert StrategyDiscussion.objects.count() == 0


def test_without_an_open_episode_the_strategy_page_says_to_record_a_referral_and_saves_nothing(signed_in):
    client = signed_in("social_worker")
    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    url = reverse("protection:strategy_add", args=[child.pk])
    data = {**date_fields("held_on", D(2026, 3, 2)), "information_shared": "Bruising", "decision": "s47",
            **attendees(("DC Shah", "Police", "attended"))}

    form = client.get(url).content.decode()
    response = client.post(url, data)

    assert "This child has no open episode of need" in form
    assert reverse("assessment:referral_add", args=[child.pk]) in form
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Record a referral for this child before the strategy discussion" in html
    assert (StrategyDiscussion.objects.count(), Section47.objects.count()) == (0, 0)


def test_the_strategy_page_names_the_open_episode(signed_in, child):
    html = signed_in("social_worker").get(reverse("protection:strategy_add", args=[child.pk])).content.decode()
    assert "Part of the episode of need from 2 Jan 2023" in html


def test_the_overview_shows_empty_states(signed_in, child):
    page = signed_in("social_worker").get(reverse("protection:overview", args=[child.pk])).content.decode()
    for text in ("No child protection plans.", "No section 47 enquiries.", "No strategy discussions.",
                 "No conferences."):
        assert text in page


def test_the_overview_shows_icpc_timeliness_and_flags(signed_in, child):
    client = signed_in("social_worker")
    cp_plan(client.user, child, D(2023, 1, 9), end=D(2023, 6, 5))
    discussion = strategy(client.user, child, D(2024, 3, 4))
    from opencsc.protection import services

    conference = services.conference_record(
        actor=client.user, child=child, kind="initial", held_on=D(2024, 3, 26), decision="plan", category="EMO",
        section47=discussion.section47, attendance=[{"name": "A", "agency": "Police"}])
    services.cp_plan_start(actor=client.user, conference=conference, contingency="C",
                           actions=[{"what_must_change": "w", "action": "a", "responsible": "r",
                                     "due_date": D(2024, 6, 1), "measure": "m"}])

    page = client.get(reverse("protection:overview", args=[child.pk])).content.decode()

    assert "25 Mar 2024" in page  # target: 15 working days after 4 Mar 2024
    assert "16 working days" in page and "Late" in page
    assert "Second or subsequent plan" in page
    assert "2 years or more" in page  # open since Mar 2024, today is after Mar 2026


def test_a_wrong_date_is_shown_against_the_field_and_saves_nothing(signed_in, child):
    client = signed_in("social_worker")
    discussion = strategy(client.user, child, D(2026, 3, 2))
    data = {"kind": "initial", "section47": str(discussion.section47.pk), **date_fields("held_on", D(2026, 3, 1)),
            "decision": "plan", "category": "NEG", **attendees(("DC Shah", "Police", "attended"))}

    response = client.post(reverse("protection:conference_add", args=[child.pk]), data)

    assert response.status_code == 200
    assert "The conference date must be on or after the strategy discussion on 2 Mar 2026" in response.content.decode()
    assert Conference.objects.count() == 0


def test_a_plan_without_an_icpc_deciding_on_one_is_refused_on_the_page(signed_in, child):
    client = signed_in("social_worker")
    from opencsc.protection import services

    discussion = strategy(client.user, child, D(2026, 3, 2))
    conference = services.conference_record(actor=client.user, child=child, kind="initial", held_on=D(2026, 3, 10),
                                            decision="no_plan", section47=discussion.section47,
                                            attendance=[{"name": "A", "agency": "Police"}])
    data = {"contingency": "C", "action-TOTAL_FORMS": "3", "action-INITIAL_FORMS": "0",
            "action-0-what_must_change": "w", "action-0-action": "a", "action-0-responsible": "r",
            **date_fields("action-0-due_date", D(2026, 6, 1)), "action-0-measure": "m"}

    response = client.post(reverse("protection:cp_plan_start", args=[child.pk, conference.pk]), data)

    assert "A child protection plan must follow an initial or transfer-in conference" in response.content.decode()
    assert CPPlan.objects.count() == 0


def test_objects_of_another_child_are_not_found(signed_in, child):
    client = signed_in("social_worker")
    plan = cp_plan(client.user, ChildFactory(), D(2025, 3, 3))
    for name, args in (("protection:cp_plan_end", [child.pk, plan.pk]),
                       ("protection:cp_plan_start", [child.pk, plan.conference.pk]),
                       ("protection:s47_outcome", [child.pk, plan.conference.section47.pk])):
        assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize("name", ["strategy_add", "conference_add", "police_protection_add", "epo_add"])
def test_the_forms_render(signed_in, child, name):
    response = signed_in("social_worker").get(reverse(f"protection:{name}", args=[child.pk]))
    assert response.status_code == 200
    assert b"govuk-button" in response.content


def test_police_protection_page_refuses_more_than_72_hours(signed_in, child):
    client = signed_in("social_worker")
    data = {**date_fields("started_on", D(2026, 3, 2)), "started_time": "14:00", "circumstances": "Found alone",
            **date_fields("ended_on", D(2026, 3, 5)), "ended_time": "14:30", "ended_how": "returned"}
    response = client.post(reverse("protection:police_protection_add", args=[child.pk]), data)
    assert "Police protection cannot last more than 72 hours" in response.content.decode()
    data["ended_time"] = "14:00"
    assert client.post(reverse("protection:police_protection_add", args=[child.pk]), data).status_code == 302


def test_the_record_summary_lists_the_services(signed_in, child):
    client = signed_in("social_worker")
    strategy(client.user, child, D(2026, 3, 2))
    page = client.get(reverse("casework:child_record", args=[child.pk])).content.decode()
    assert "Section 47 enquiry" in page


GET_PAGES = [
    ("protection:overview", READ_ALL_ROLES, ()),
    ("protection:strategy_add", CASEWORK_ROLES, ()),
    ("protection:conference_add", CASEWORK_ROLES, ()),
    ("protection:police_protection_add", CASEWORK_ROLES, ()),
    ("protection:epo_add", CASEWORK_ROLES, ()),
    ("protection:s47_outcome", CASEWORK_ROLES, ("s47",)),
    ("protection:cp_plan_start", CASEWORK_ROLES, ("conference",)),
    ("protection:cp_plan_end", CASEWORK_ROLES, ("cp_plan",)),
]


@pytest.mark.parametrize(("name", "allowed", "extra"), GET_PAGES)
@pytest.mark.parametrize("role", sorted(Role.values))
def test_every_page_for_every_role(signed_in, make_user, child, name, allowed, extra, role):
    plan = cp_plan(make_user("social_worker"), child, D(2025, 3, 3))
    objects = {"s47": plan.conference.section47_id, "conference": plan.conference_id, "cp_plan": plan.pk}
    response = signed_in(role).get(reverse(name, args=[child.pk, *(objects[e] for e in extra)]))
    assert response.status_code == (200 if role in allowed else 403)


def test_the_overview_takes_the_same_number_of_queries_however_long_the_history(signed_in, child):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in("social_worker")
    url = reverse("protection:overview", args=[child.pk])
    cp_plan(client.user, child, D(2023, 1, 9), end=D(2023, 6, 5))
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    cp_plan(client.user, child, D(2024, 1, 8), end=D(2024, 6, 3))
    cp_plan(client.user, child, D(2025, 1, 6))
    with CaptureQueriesContext(connection) as longer:
        client.get(url)
    assert len(longer) == len(short)
