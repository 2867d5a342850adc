"""The pages: a personal adviser's work through the browser's eyes, the caseload, the
authority's overview and its drill-down, and what the rest of the record reads from here."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.careleavers.models import Contact, EligibilityDecision, PathwayPlan, PathwayPlanReview
from opencsc.casework.summary import services_for
from opencsc.core.models import AuditEvent

from .factories import (
    AdviserAllocationFactory,
    ContactFactory,
    PathwayPlanFactory,
    PathwayPlanReviewFactory,
    YoungPersonFactory,
    ago,
    born_aged,
    care_leaver,
    today,
)

pytestmark = pytest.mark.django_db


def page_queries(captured) -> int:
    """Queries a page ran, without the session's periodic refresh (it depends on the clock)."""
    return sum(1 for q in captured.captured_queries if "django_session" not in q["sql"])


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def pa_client(signed_in):
    return signed_in(Role.PERSONAL_ADVISER)


def test_the_record_section_shows_the_young_persons_leaving_care(pa_client):
    cl = care_leaver()
    AdviserAllocationFactory(child=cl.child, adviser=pa_client.user)
    PathwayPlanFactory(child=cl.child, start_date=ago(30))
    ContactFactory(child=cl.child, activity="G5", accommodation="W2")
    response = pa_client.get(reverse("careleavers:overview", args=[cl.child.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Former relevant" in page and pa_client.user.display_name in page
    assert "Not in education, employment or training: other reasons" in page
    assert "Bed and breakfast (not suitable)" in page
    assert "Pathway plan reviews" in page  # the next review, from the timescales rule
    assert "No periods of care are recorded" in page
    child_record = pa_client.get(reverse("casework:child_record", args=[cl.child.pk])).content.decode()
    assert reverse("careleavers:overview", args=[cl.child.pk]) in child_record
    assert "Leaving care" in services_for(cl.child)


def test_the_suggested_category_comes_from_the_periods_of_care(pa_client):
    from opencsc.care.models import PeriodOfCare

    child = YoungPersonFactory(date_of_birth=born_aged(17))
    PeriodOfCare.objects.create(child=child, start_date=born_aged(17) + dt.timedelta(days=-400),
                                end_date=ago(30), created_by=pa_client.user)
    url = reverse("careleavers:eligibility", args=[child.pk])
    page = pa_client.get(url).content.decode()
    assert "suggest <strong>Relevant</strong>" in page
    response = pa_client.post(url, {"category": "relevant", **date_fields("decided_on", ago(2)),
                                    "reason": "Left care last month"})
    assert response.status_code == 302
    decision = EligibilityDecision.objects.get(child=child)
    assert (decision.category, decision.suggested_category) == ("relevant", "relevant")
    overview = pa_client.get(reverse("careleavers:overview", args=[child.pk]))
    assert overview.context["suggested"] == "relevant" and overview.context["periods_recorded"]


def test_a_personal_adviser_writes_and_reviews_a_pathway_plan(pa_client):
    cl = care_leaver()
    url = reverse("careleavers:plan_add", args=[cl.child.pk])
    response = pa_client.post(url, {**date_fields("start_date", ago(40)), **date_fields("needs_assessed_on", ago(45)),
                                    "young_persons_views": "I want to train as a chef.", "needs": "A college place.",
                                    "contingency": "Return to supported lodgings."})
    assert response.status_code == 302
    plan = PathwayPlan.objects.get(child=cl.child)
    review_url = reverse("careleavers:plan_review", args=[cl.child.pk, plan.pk])
    response = pa_client.post(review_url, {**date_fields("reviewed_on", ago(41)), "young_persons_views": "Fine",
                                           "changes": "None"})
    assert response.status_code == 200
    assert "The review must be after the date of the plan" in response.content.decode()
    assert not PathwayPlanReview.objects.exists()
    response = pa_client.post(review_url, {**date_fields("reviewed_on", ago(1)), "young_persons_views": "Going well",
                                           "changes": "Started college"})
    assert response.status_code == 302
    assert plan.reviews.get().changes == "Started college"


def test_a_contact_with_a_code_not_in_the_dfe_list_is_refused_on_the_page(pa_client):
    cl = care_leaver()
    url = reverse("careleavers:contact_add", args=[cl.child.pk])
    audit_before = AuditEvent.objects.count()
    response = pa_client.post(url, {**date_fields("contact_date", ago(1)), "in_touch": "YES", "method": "visit",
                                    "activity": "F9", "accommodation": "U1"})
    assert response.status_code == 200
    assert "Select the young person&#x27;s main activity from the list" in response.content.decode()
    response = pa_client.post(url, {**date_fields("contact_date", today() + dt.timedelta(days=3)),
                                    "in_touch": "YES", "method": "visit", "activity": "F1", "accommodation": "U1"})
    assert "The date of contact must be today or in the past" in response.content.decode()
    assert not Contact.objects.exists() and AuditEvent.objects.count() == audit_before
    response = pa_client.post(url, {**date_fields("contact_date", ago(1)), "in_touch": "YES", "method": "phone",
                                    "activity": "F1", "accommodation": "E1"})
    assert response.status_code == 302
    assert Contact.objects.get().activity == "F1"


def test_support_through_the_page_keeps_a_stale_form_from_saving(pa_client):
    cl = care_leaver(age=20)
    url = reverse("careleavers:support", args=[cl.child.pk])
    assert pa_client.get(url).status_code == 200
    response = pa_client.post(url, {"support_to_25": "on", "version": 1})
    assert response.status_code == 302
    response = pa_client.post(url, {"in_education": "on", "version": 1})
    assert "Someone else changed this record" in response.content.decode()
    cl.refresh_from_db()
    assert cl.support_to_25 and not cl.in_education and cl.version == 2


def test_the_support_page_needs_a_care_leaver(pa_client):
    child = YoungPersonFactory()
    assert pa_client.get(reverse("careleavers:support", args=[child.pk])).status_code == 404


def test_the_caseload_shows_the_advisers_young_people_and_what_needs_attention(pa_client):
    mine = care_leaver(age=19, first_name="Amara")
    AdviserAllocationFactory(child=mine.child, adviser=pa_client.user)
    PathwayPlanFactory(child=mine.child, start_date=ago(200))  # review due after 6 months: overdue
    ContactFactory(child=mine.child, contact_date=ago(5), activity="G6", accommodation="S2")
    other = care_leaver(age=20, first_name="Zebedee")
    AdviserAllocationFactory(child=other.child)
    restricted = care_leaver(first_name="Hidden")
    restricted.child.is_restricted = True
    restricted.child.save()
    AdviserAllocationFactory(child=restricted.child, adviser=pa_client.user)
    response = pa_client.get(reverse("careleavers:caseload"))
    page = response.content.decode()
    assert "Amara" in page and "Zebedee" not in page and "Hidden" not in page
    assert "Not in education, employment or training" in page and "Unsuitable accommodation" in page
    assert "Overdue" in page
    due = response.context["rows"][0]["review_due"]
    assert due.rag == "red" and ago(200) + dt.timedelta(days=180) <= due.due_date < today()
    other_adviser = other.child.adviser_allocations.get().adviser
    page = pa_client.get(reverse("careleavers:caseload"), {"adviser": other_adviser.pk}).content.decode()
    assert "Zebedee" in page and "Amara" not in page
    assert pa_client.get(reverse("careleavers:caseload"), {"adviser": "x"}).status_code == 404


def test_a_manager_without_a_caseload_chooses_an_adviser(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    response = client.get(reverse("careleavers:caseload"))
    assert response.status_code == 200 and response.context["rows"] == []
    assert "Select a personal adviser to see their young people" in response.content.decode()


def _young_people(n, **contact):
    for i in range(n):
        cl = care_leaver(age=19 + i % 3)
        ContactFactory(child=cl.child, **contact)


def test_the_authority_overview_counts_and_drills_down(signed_in):
    _young_people(3, in_touch="YES", activity="F4", accommodation="U1")
    _young_people(1, in_touch="NO", activity="0", accommodation="0")
    cl17 = care_leaver(age=17, category="relevant")
    ContactFactory(child=cl17.child, in_touch="YES", activity="G5", accommodation="W2")
    hidden = care_leaver(age=19)
    ContactFactory(child=hidden.child)
    hidden.child.is_restricted = True
    hidden.child.save()
    ended = care_leaver(age=19)
    ended.support_ended_on = ago(1)
    ended.save()
    client = signed_in(Role.PERFORMANCE_ANALYST)
    rows = {r["group"]: r for r in client.get(reverse("careleavers:authority")).context["rows"]}
    assert rows["all"]["total"] == 5
    assert [m["count"] for m in rows["all"]["measures"]] == [4, 3, 3]
    assert rows["17-18"]["total"] == 1 and [m["count"] for m in rows["17-18"]["measures"]] == [1, 0, 0]
    assert rows["19-21"]["total"] == 4 and rows["19-21"]["measures"][0]["percent"] == 75
    assert rows["22-25"]["total"] == 0 and rows["22-25"]["measures"][0]["percent"] is None
    drill = client.get(reverse("careleavers:young_people"), {"measure": "eet", "group": "19-21"})
    assert drill.context["page_obj"].paginator.count == 3
    drill = client.get(reverse("careleavers:young_people"), {"q": cl17.child.last_name})
    assert cl17.child in list(drill.context["page_obj"])
    assert "Bed and breakfast (not suitable)" in drill.content.decode()


def test_the_drill_down_pages_and_keeps_its_query_count(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    _young_people(3, in_touch="YES", activity="F4", accommodation="U1")
    url = reverse("careleavers:young_people")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _young_people(30, in_touch="YES", activity="F4", accommodation="U1")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"page": 2})
    assert page_queries(many) == page_queries(few)
    assert response.context["page_obj"].paginator.num_pages == 2
    assert len(response.context["page_obj"]) == 8


def test_the_caseload_keeps_its_query_count(pa_client):
    def add(n):
        for _ in range(n):
            cl = care_leaver()
            AdviserAllocationFactory(child=cl.child, adviser=pa_client.user)
            PathwayPlanFactory(child=cl.child)
            ContactFactory(child=cl.child)

    add(2)
    with CaptureQueriesContext(connection) as few:
        pa_client.get(reverse("careleavers:caseload"))
    add(6)
    with CaptureQueriesContext(connection) as many:
        response = pa_client.get(reverse("careleavers:caseload"))
    assert len(response.context["rows"]) == 8
    assert page_queries(many) == page_queries(few)


def test_the_leaving_care_page_keeps_its_query_count(pa_client):
    cl = care_leaver()
    AdviserAllocationFactory(child=cl.child)
    PathwayPlanReviewFactory(plan=PathwayPlanFactory(child=cl.child, start_date=ago(300)), reviewed_on=ago(100))
    ContactFactory(child=cl.child)
    url = reverse("careleavers:overview", args=[cl.child.pk])
    with CaptureQueriesContext(connection) as few:
        pa_client.get(url)
    for days in range(2, 8):
        plan = PathwayPlanFactory(child=cl.child, start_date=ago(300 - days))
        PathwayPlanReviewFactory(plan=plan, reviewed_on=ago(100 - days))
        ContactFactory(child=cl.child, contact_date=ago(days))
        AdviserAllocationFactory(child=cl.child, start_date=ago(days), end_date=ago(1))
    with CaptureQueriesContext(connection) as many:
        response = pa_client.get(url)
    assert len(response.context["plans"]) == 7 and page_queries(many) == page_queries(few)


def test_partner_agencies_do_not_see_care_leavers(signed_in):
    cl = care_leaver()
    client = signed_in(Role.PARTNER, agency="police")
    assert client.get(reverse("careleavers:authority")).status_code == 403
    assert client.get(reverse("careleavers:overview", args=[cl.child.pk])).status_code == 403  # before any look-up
