"""The adoption records in the event log (core.Event): what each service writes."""

import datetime as dt

import pytest

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.adoption import services
from opencsc.adoption.tests.factories import AdopterHouseholdFactory, AdoptionPlanFactory
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

D = dt.date
KINDS = ["adoption_plan", "adoption_review", "adoption_visit", "permanence_order"]


# --- What each service leaves in the log ------------------------------------------------------------


@pytest.fixture
def worker(make_user):
    return make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Adoption team", kind=TeamKind.ADOPTION))


def _decided(worker):
    child = ChildFactory(date_of_birth=D(2023, 4, 1))
    return services.adoption_plan_start(actor=worker, child=child, entered_care_on=D(2025, 1, 6),
                                        should_be_placed_on=D(2025, 6, 3), decision_maker="Ann Lee",
                                        ffa_placed_on=D(2025, 6, 20))


def _ordered(worker):
    return services.placement_order_record(actor=worker, plan=_decided(worker), placement_order_on=D(2025, 8, 4))


def _matched(worker):
    return services.adoption_match_record(actor=worker, plan=_ordered(worker), matched_on=D(2025, 10, 6),
                                          adopters=AdopterHouseholdFactory(created_by=worker))


def _placed(worker):
    return services.adoptive_placement_record(actor=worker, plan=_matched(worker), placed_on=D(2025, 11, 3))


def _adopted(worker):
    return services.adoption_order_record(actor=worker, plan=_placed(worker), adoption_order_on=D(2026, 5, 11))


def _ended_before_placement(worker):
    return services.adoption_plan_end(actor=worker, plan=_ordered(worker), ended_on=D(2025, 9, 1), end_reason="RD3",
                                      end_details="Return home")


def _ended_after_placement(worker):
    return services.adoption_plan_end(actor=worker, plan=_placed(worker), ended_on=D(2026, 1, 5), end_reason="RD2",
                                      end_details="Long-term fostering")


def _reviewed(worker):
    plan = _ordered(worker)
    services.adoption_review_record(actor=worker, plan=plan, held_on=D(2025, 8, 29), notes="Family finding")
    return plan


def _visited(worker):
    plan = _placed(worker)
    services.adoption_visit_record(actor=worker, plan=plan, visited_on=D(2025, 11, 7), seen_alone=True)
    return plan


DECIDED = {("adoption_plan", "Decision that the child should be placed for adoption", D(2025, 6, 3), ""),
           ("adoption_plan", "Placed with fostering for adoption carers", D(2025, 6, 20), "")}
ORDERED = DECIDED | {("adoption_plan", "Placement order made", D(2025, 8, 4), "authority_to_place")}
PLACED = ORDERED | {("adoption_plan", "Matched with adopters", D(2025, 10, 6), ""),
                    ("adoption_plan", "Placed for adoption", D(2025, 11, 3), "adoptive_placement")}


@pytest.mark.parametrize("record, expected", [
    (_decided, DECIDED),
    (_ordered, ORDERED),
    (_matched, PLACED - {("adoption_plan", "Placed for adoption", D(2025, 11, 3), "adoptive_placement")}),
    (_placed, PLACED),
    (_adopted, PLACED | {("adoption_plan", "Adoption order made", D(2026, 5, 11), "adoption_order")}),
    (_ended_before_placement, ORDERED | {
        ("adoption_plan", "Plan for adoption ended", D(2025, 9, 1), "authority_to_place_ended")}),
    (_ended_after_placement, PLACED | {
        ("adoption_plan", "Plan for adoption ended", D(2026, 1, 5), "authority_to_place_ended"),
        ("adoption_plan", "", D(2026, 1, 5), "adoptive_placement_ended")}),
    (_reviewed, ORDERED | {("adoption_review", "Adoption review", D(2025, 8, 29), "adoption_review")}),
    (_visited, PLACED | {("adoption_visit", "Visit to the child placed for adoption (seen alone)", D(2025, 11, 7),
                          "adoption_visit")}),
])
def test_each_service_leaves_the_log_matching_the_records(db, worker, record, expected):
    plan = record(worker)

    assert events.verify(kinds=KINDS) == []
    logged = set(Event.objects.filter(child=plan.child_id).values_list("kind", "title", "occurred_on", "clock"))
    assert logged == expected
    assert set(Event.objects.filter(child=plan.child_id).exclude(clock="").values_list("scope", flat=True)) <= {
        f"adoption:{plan.pk}"}


def test_a_permanence_order_is_in_the_chronology(db, worker):
    child = ChildFactory(date_of_birth=D(2020, 1, 1))
    order = services.permanence_order_record(actor=worker, child=child, kind="sgo", made_on=D(2026, 2, 2),
                                             guardians="Maria Okafor", relationship="Grandmother")

    assert events.verify(kinds=KINDS) == []
    assert list(Event.objects.filter(child=child).values_list("kind", "source_id", "title", "detail", "author")) == [
        ("permanence_order", order.pk, "Special guardianship order made", "Maria Okafor (Grandmother)", worker.pk)]


def test_a_plan_made_by_the_factory_is_in_the_log(db):
    plan = AdoptionPlanFactory(placement_order_on=D(2025, 8, 4))
    assert events.verify(kinds=KINDS) == []
    assert Event.objects.filter(kind="adoption_plan", source_id=plan.pk, clock="authority_to_place").exists()
