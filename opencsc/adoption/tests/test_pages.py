"""The adoption pages, through the test client."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.adoption.models import AdopterHousehold, AdoptionPlan, PermanenceOrder
from opencsc.adoption.tests.factories import (
    AdopterHouseholdFactory,
    AdoptionPlanFactory,
    AdoptionReviewFactory,
    AdoptionVisitFactory,
    PermanenceOrderFactory,
)
from opencsc.people.models import RestrictedAccessGrant
from opencsc.people.tests.factories import ChildFactory

D = dt.date


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def adoption_team(db):
    return TeamFactory(name="Adoption team", kind=TeamKind.ADOPTION)


@pytest.fixture
def adoption_worker(signed_in, adoption_team):
    return signed_in(Role.SOCIAL_WORKER, team=adoption_team)


def adopted(child=None, *, entered, order, match, placed, ffa=None, lived_from=None, adopters=None, **kwargs):
    """A plan that ended in an adoption order, adopted = placed + 6 months."""
    return AdoptionPlanFactory(
        child=child or ChildFactory(date_of_birth=D(2020, 1, 1)), entered_care_on=entered,
        should_be_placed_on=entered + dt.timedelta(days=90), placement_order_on=order, matched_on=match,
        placed_on=placed, adoption_order_on=placed + dt.timedelta(days=180), ffa_placed_on=ffa,
        lived_with_adopters_from=lived_from, adopted_by_foster_carers=lived_from is not None,
        adopters=adopters or AdopterHouseholdFactory(), **kwargs,
    )


# --- The child's Adoption section -----------------------------------------------------------


def test_a_decision_is_recorded_through_the_page(adoption_worker):
    child = ChildFactory(date_of_birth=D(2023, 4, 1))
    data = {**date_fields("entered_care_on", D(2025, 1, 6)), **date_fields("should_be_placed_on", D(2025, 6, 3)),
            "decision_maker": "Priya Nair", "concurrent_planning": "on"}
    response = adoption_worker.post(reverse("adoption:plan_start", args=[child.pk]), data)
    assert response.status_code == 302
    plan = AdoptionPlan.objects.get(child=child)
    assert plan.concurrent_planning and plan.decision_maker == "Priya Nair"
    page = adoption_worker.get(reverse("adoption:overview", args=[child.pk]))
    assert "Should be placed: waiting for a placement order" in page.content.decode()
    assert "Plan for adoption" in adoption_worker.get(reverse("casework:child_record", args=[child.pk])).content.decode()


def test_the_decision_form_suggests_when_the_child_started_to_be_looked_after(adoption_worker):
    from opencsc.care.tests.factories import PeriodOfCareFactory

    child = ChildFactory(date_of_birth=D(2023, 4, 1))
    url = reverse("adoption:plan_start", args=[child.pk])
    assert adoption_worker.get(url).context["form"]["entered_care_on"].value() is None
    PeriodOfCareFactory(child=child, start_date=D(2024, 2, 1), end_date=D(2024, 5, 1))
    PeriodOfCareFactory(child=child, start_date=D(2025, 1, 6))
    assert adoption_worker.get(url).context["form"]["entered_care_on"].value() == D(2025, 1, 6)


def test_a_decision_dated_in_the_future_is_refused_on_the_page_and_nothing_is_saved(adoption_worker):
    child = ChildFactory(date_of_birth=D(2023, 4, 1))
    future = timezone.localdate() + dt.timedelta(days=3)
    data = {**date_fields("entered_care_on", D(2025, 1, 6)), **date_fields("should_be_placed_on", future),
            "decision_maker": "Priya Nair"}
    response = adoption_worker.post(reverse("adoption:plan_start", args=[child.pk]), data)
    assert response.status_code == 200
    assert "The date of the decision must be today or in the past" in response.content.decode()
    assert not AdoptionPlan.objects.exists()


def test_an_adoption_order_before_a_placement_is_refused_on_the_page(adoption_worker):
    plan = AdoptionPlanFactory(placement_order_on=D(2025, 8, 4))
    response = adoption_worker.post(reverse("adoption:adoption_order", args=[plan.child_id, plan.pk]),
                                    {**date_fields("adoption_order_on", D(2025, 12, 1)), "version": plan.version})
    assert response.status_code == 200
    assert "Record the placement with adopters before the adoption order" in response.content.decode()
    plan.refresh_from_db()
    assert plan.adoption_order_on is None and plan.version == 1


def test_a_match_before_the_decision_is_refused_on_the_page(adoption_worker):
    plan = AdoptionPlanFactory()
    adopters = AdopterHouseholdFactory()
    response = adoption_worker.post(reverse("adoption:match", args=[plan.child_id, plan.pk]), {
        **date_fields("matched_on", D(2025, 6, 1)), "adopters": adopters.pk, "version": plan.version})
    assert response.status_code == 200
    assert ("The date of the match must be the same as or after the decision that the child should be placed "
            "for adoption (3 Jun 2025)") in response.content.decode()
    plan.refresh_from_db()
    assert plan.matched_on is None


def test_the_match_page_offers_only_approved_adopters_and_records_the_match(adoption_worker):
    plan = AdoptionPlanFactory()
    approved = AdopterHouseholdFactory(name="Approved household")
    AdopterHouseholdFactory(name="Household in stage two", approved_on=None)
    AdopterHouseholdFactory(name="Household that withdrew", withdrawn_on=D(2025, 1, 1), withdrawal_reason="Move")
    url = reverse("adoption:match", args=[plan.child_id, plan.pk])
    page = adoption_worker.get(url).content.decode()
    assert "Approved household" in page
    assert "stage two" not in page and "withdrew" not in page
    response = adoption_worker.post(url, {**date_fields("matched_on", D(2025, 9, 1)), "adopters": approved.pk,
                                          "version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.adopters == approved and plan.matched_on == D(2025, 9, 1)


def test_a_stale_version_is_refused_and_changes_nothing(adoption_worker):
    plan = AdoptionPlanFactory(version=2)
    response = adoption_worker.post(reverse("adoption:placement_order", args=[plan.child_id, plan.pk]),
                                    {**date_fields("placement_order_on", D(2025, 8, 4)), "version": 1})
    assert "Someone else changed this record" in response.content.decode()
    plan.refresh_from_db()
    assert plan.placement_order_on is None


def test_adopters_are_named_on_the_childs_page_only_for_those_who_may_see_adopters(signed_in, adoption_team):
    plan = adopted(entered=D(2024, 1, 1), order=D(2024, 6, 1), match=D(2024, 8, 1), placed=D(2024, 9, 1),
                   adopters=AdopterHouseholdFactory(name="Robin and Kit Adeyemi"))
    url = reverse("adoption:overview", args=[plan.child_id])
    assert "Robin and Kit Adeyemi" in signed_in(Role.SOCIAL_WORKER, team=adoption_team).get(url).content.decode()
    page = signed_in(Role.SOCIAL_WORKER).get(url).content.decode()
    assert "Robin and Kit Adeyemi" not in page
    assert "with approved adopters" in page


def test_a_special_guardianship_order_is_recorded_through_the_page(adoption_worker):
    child = ChildFactory(date_of_birth=D(2019, 3, 1))
    response = adoption_worker.post(reverse("adoption:order_add", args=[child.pk]), {
        "kind": "sgo", **date_fields("made_on", D(2026, 2, 2)), "guardians": "Grace Okafor",
        "relationship": "Maternal grandmother"})
    assert response.status_code == 302
    assert PermanenceOrder.objects.get(child=child).guardians == "Grace Okafor"
    assert "Special guardianship order" in adoption_worker.get(
        reverse("adoption:overview", args=[child.pk])).content.decode()


def test_reviews_and_visits_through_the_pages(adoption_worker):
    plan = AdoptionPlanFactory(placement_order_on=D(2025, 8, 4), matched_on=D(2025, 9, 1),
                               adopters=AdopterHouseholdFactory(), placed_on=D(2025, 9, 15))
    args = [plan.child_id, plan.pk]
    assert adoption_worker.post(reverse("adoption:review_add", args=args),
                                {**date_fields("held_on", D(2025, 10, 10))}).status_code == 302
    assert adoption_worker.post(reverse("adoption:visit_add", args=args),
                                {**date_fields("visited_on", D(2025, 9, 20)), "seen_alone": "on"}).status_code == 302
    page = adoption_worker.get(reverse("adoption:overview", args=[plan.child_id])).content.decode()
    assert "10 Oct 2025" in page and "20 Sep 2025 (seen alone)" in page


# --- The dashboard and the scorecard --------------------------------------------------------


@pytest.fixture
def adoptions(db):
    """Three children adopted in the window; one restricted; one adopted too long ago to count."""
    today = timezone.localdate()
    base = today - dt.timedelta(days=800)
    a = adopted(entered=base, order=base + dt.timedelta(days=100), match=base + dt.timedelta(days=200),
                placed=base + dt.timedelta(days=300))
    b = adopted(entered=base, order=base + dt.timedelta(days=150), match=base + dt.timedelta(days=250),
                placed=base + dt.timedelta(days=500), lived_from=base + dt.timedelta(days=10))
    hidden = adopted(entered=base, order=base + dt.timedelta(days=50), match=base + dt.timedelta(days=60),
                     placed=base + dt.timedelta(days=70))
    hidden.child.is_restricted = True
    hidden.child.save()
    old = today - dt.timedelta(days=3 * 366 + 400)
    adopted(entered=old, order=old + dt.timedelta(days=10), match=old + dt.timedelta(days=20),
            placed=old + dt.timedelta(days=30))
    return a, b, hidden


def test_the_scorecard_averages_the_children_adopted_in_three_years(signed_in, adoptions):
    client = signed_in(Role.PERFORMANCE_ANALYST)
    page = client.get(reverse("adoption:dashboard")).content.decode()
    assert "A1" in page and "A2" in page and "A10" in page
    a1 = client.get(reverse("adoption:measure", args=["A1"]))
    score = a1.context["score"]
    assert [r.days for r in score.rows] == [500, 300]
    assert score.average == 400.0 and score.meets is True
    a2 = client.get(reverse("adoption:measure", args=["A2"])).context["score"]
    assert a2.average == 100.0 and a2.meets is True
    a10 = client.get(reverse("adoption:measure", args=["A10"])).context["score"]
    assert sorted(r.days for r in a10.rows) == [10, 300]
    assert a10.average == 155.0


def test_the_drill_down_names_each_child_but_not_a_restricted_one(signed_in, adoptions):
    a, b, hidden = adoptions
    page = signed_in(Role.TEAM_MANAGER).get(reverse("adoption:measure", args=["A1"])).content.decode()
    assert escape(a.child.full_name) in page and escape(b.child.full_name) in page
    assert escape(hidden.child.full_name) not in page


def test_a_user_named_on_a_restricted_record_counts_that_child(signed_in, adoptions):
    client = signed_in(Role.TEAM_MANAGER)
    RestrictedAccessGrant.objects.create(child=adoptions[2].child, user=client.user, granted_by=client.user)
    score = client.get(reverse("adoption:measure", args=["A1"])).context["score"]
    assert sorted(r.days for r in score.rows) == [70, 300, 500]


def test_an_unknown_measure_is_not_found(signed_in):
    assert signed_in(Role.TEAM_MANAGER).get(reverse("adoption:measure", args=["A9"])).status_code == 404


def test_waiting_children_by_stage_longest_first(signed_in):
    today = timezone.localdate()
    long_wait = AdoptionPlanFactory(placement_order_on=today - dt.timedelta(days=200))
    short_wait = AdoptionPlanFactory(placement_order_on=today - dt.timedelta(days=20))
    AdoptionPlanFactory()  # waiting for a placement order
    client = signed_in(Role.TEAM_MANAGER)
    rows = list(client.get(reverse("adoption:waiting"), {"stage": "placement_order"}).context["page_obj"])
    assert [w.plan for w in rows] == [long_wait, short_wait]
    assert [w.days for w in rows] == [200, 20]
    stages = {s["key"]: s for s in client.get(reverse("adoption:dashboard")).context["stages"]}
    assert stages["placement_order"]["count"] == 2 and stages["placement_order"]["longest"] == 200
    assert stages["decided"]["count"] == 1


def test_the_dashboard_runs_the_same_number_of_queries_for_more_children(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    for _ in range(2):
        AdoptionPlanFactory()
        adopted(entered=D(2024, 1, 1), order=D(2024, 6, 1), match=D(2024, 8, 1), placed=D(2024, 9, 1))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("adoption:dashboard"))
    for _ in range(5):
        AdoptionPlanFactory()
        adopted(entered=D(2024, 1, 1), order=D(2024, 6, 1), match=D(2024, 8, 1), placed=D(2024, 9, 1))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("adoption:dashboard"))
    assert len(many) == len(few)


# --- Adopters -------------------------------------------------------------------------------


def test_adopters_journey_through_the_pages(adoption_worker):
    response = adoption_worker.post(reverse("adoption:adopter_add"), {
        "name": "Sam and Alex Shah", "adopters": "FF", **date_fields("enquiry_on", D(2025, 3, 3))})
    household = AdopterHousehold.objects.get()
    assert response["Location"] == reverse("adoption:adopter_detail", args=[household.pk])
    stage_url = reverse("adoption:adopter_stage", args=[household.pk])
    response = adoption_worker.post(stage_url, {**date_fields("on", D(2025, 3, 1)), "version": 1})
    assert "the same as or after the enquiry (3 Mar 2025)" in response.content.decode()
    assert adoption_worker.post(stage_url, {**date_fields("on", D(2025, 4, 1)), "version": 1}).status_code == 302
    rows = adoption_worker.get(reverse("adoption:adopters"), {"stage": "stage_one"}).context["page_obj"]
    assert [r.household for r in rows] == [household]
    assert not list(adoption_worker.get(reverse("adoption:adopters"), {"stage": "approved"}).context["page_obj"])
    response = adoption_worker.post(reverse("adoption:adopter_withdraw", args=[household.pk]), {
        **date_fields("withdrawn_on", D(2025, 5, 1)), "withdrawal_reason": "A change in circumstances",
        "version": 2})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.withdrawn_on == D(2025, 5, 1)


def test_adopters_search_by_name(adoption_worker):
    AdopterHouseholdFactory(name="Sam and Alex Shah")
    AdopterHouseholdFactory(name="Jo Bloggs")
    rows = adoption_worker.get(reverse("adoption:adopters"), {"q": "shah"}).context["page_obj"]
    assert [r.household.name for r in rows] == ["Sam and Alex Shah"]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.IRO, Role.PERFORMANCE_ANALYST,
                                  Role.AUDITOR])
def test_outside_the_adoption_team_adopters_are_hidden_and_the_attempt_is_logged(signed_in, role):
    household = AdopterHouseholdFactory()
    client = signed_in(role)
    # A practitioner outside an adoption team does not find the household; a role that may never see
    # adopters is refused the page before anything is looked up. Both are logged.
    never = role in (Role.PERFORMANCE_ANALYST, Role.AUDITOR)
    assert client.get(reverse("adoption:adopter_detail", args=[household.pk])).status_code == (403 if never else 404)
    assert client.get(reverse("adoption:adopters")).status_code == 403
    assert AccessLog.objects.filter(user=client.user, outcome="refused",
                                    child_reference=f"adopters:{household.pk}").exists()
    if role in (Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.SOCIAL_WORKER):
        page = client.get(reverse("adoption:dashboard"))
        assert page.context["adopter_stages"] == []
        assert "Adopters by stage" not in page.content.decode()


def test_viewing_an_adopter_household_is_logged(adoption_worker):
    household = AdopterHouseholdFactory()
    assert adoption_worker.get(reverse("adoption:adopter_detail", args=[household.pk])).status_code == 200
    assert AccessLog.objects.filter(user=adoption_worker.user, outcome="viewed",
                                    child_reference=f"adopters:{household.pk}").exists()


def test_adopters_by_stage_on_the_dashboard_count_days_in_stage(adoption_worker):
    today = timezone.localdate()
    AdopterHouseholdFactory(approved_on=today - dt.timedelta(days=30))
    AdopterHouseholdFactory(approved_on=today - dt.timedelta(days=90))
    AdopterHouseholdFactory(enquiry_on=today - dt.timedelta(days=5), stage_one_on=None, stage_two_on=None,
                            approved_on=None)
    stages = {s["key"]: s for s in adoption_worker.get(reverse("adoption:dashboard")).context["adopter_stages"]}
    assert (stages["approved"]["count"], stages["approved"]["average_days"], stages["approved"]["longest"]) == (
        2, 60.0, 90)
    assert stages["enquiry"]["count"] == 1


def test_permanence_orders_in_the_last_year_on_the_dashboard(signed_in):
    today = timezone.localdate()
    PermanenceOrderFactory(made_on=today - dt.timedelta(days=10))
    PermanenceOrderFactory(made_on=today - dt.timedelta(days=400))
    PermanenceOrderFactory(kind="cao", made_on=today - dt.timedelta(days=100))
    orders = signed_in(Role.TEAM_MANAGER).get(reverse("adoption:dashboard")).context["orders"]
    assert orders == {"Special guardianship order": 1, "Child arrangements order (lives with)": 1}


def test_the_childs_adoption_page_runs_the_same_number_of_queries_for_a_longer_history(adoption_worker):
    child = ChildFactory(date_of_birth=D(2020, 1, 1))
    url = reverse("adoption:overview", args=[child.pk])

    def add_history():
        plan = adopted(child, entered=D(2021, 1, 1), order=D(2021, 6, 1), match=D(2021, 8, 1),
                       placed=D(2021, 9, 1))
        AdoptionReviewFactory(plan=plan, held_on=D(2021, 9, 28))
        AdoptionVisitFactory(plan=plan, visited_on=D(2021, 9, 8))
        PermanenceOrderFactory(child=child, made_on=D(2022, 1, 1))

    add_history()
    with CaptureQueriesContext(connection) as few:
        assert adoption_worker.get(url).status_code == 200
    for _ in range(3):
        add_history()
    with CaptureQueriesContext(connection) as many:
        adoption_worker.get(url)
    assert len(many) == len(few)
