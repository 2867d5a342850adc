"""The care pages through the test client, and the selectors behind them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opencsc.care import selectors, services
from opencsc.care.models import CareEpisode, IROEscalation, LookedAfterReview, PeriodOfCare, Placement
from opencsc.care.tests.factories import FOSTER, looked_after
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory

D = dt.date


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def worker(make_user):
    return make_user("social_worker", username="carer_worker")


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=D(2014, 6, 1), first_name="Tayo", last_name="Adeyemi")


PLACEMENT_POST = {"placement_type": "U3", "provider": "PR1", "carer_name": "Mr and Mrs Okafor",
                  "postcode": "TW4 5HB", "in_authority": "yes", "distance_km": "3.2",
                  "siblings_placed_together": "none", "visit_regime": "standard"}


def test_a_child_becomes_looked_after_through_the_form(signed_in, child):
    client = signed_in("social_worker")
    response = client.post(reverse("care:become_looked_after", args=[child.pk]), {
        **date_fields("start_date", D(2026, 4, 1)), "legal_status": "C2", "category_of_need": "N1",
        "home_postcode": "TW3 1ES", **PLACEMENT_POST})
    assert response.status_code == 302
    page = client.get(reverse("care:overview", args=[child.pk])).content.decode()
    assert "Looked after since" in page and "1 Apr 2026" in page and "Mr and Mrs Okafor" in page
    assert "Full care order (C2)" in page and "Foster placement with family or friends, not long term (U3)" in page  # codes with labels


def test_a_code_not_in_the_dfe_list_is_shown_as_an_error_and_nothing_is_saved(signed_in, child):
    client = signed_in("social_worker")
    response = client.post(reverse("care:become_looked_after", args=[child.pk]), {
        **date_fields("start_date", D(2026, 4, 1)), "legal_status": "C9", "category_of_need": "N1",
        **PLACEMENT_POST})
    assert response.status_code == 200
    assert "Select the legal status" in response.content.decode()
    assert PeriodOfCare.objects.count() == 0


def test_a_service_refusal_is_shown_against_its_field(signed_in, child):
    client = signed_in("social_worker")
    response = client.post(reverse("care:become_looked_after", args=[child.pk]), {
        **date_fields("start_date", D(2026, 4, 1)), "legal_status": "C2", "category_of_need": "N1",
        **PLACEMENT_POST, "placement_type": "P1"})
    assert response.status_code == 200
    assert "Placement provider PR1 cannot provide a placement of type P1" in response.content.decode()
    assert PeriodOfCare.objects.count() == Placement.objects.count() == 0


def test_a_move_through_the_form(signed_in, child, worker):
    looked_after(worker, child, D(2026, 4, 1))
    client = signed_in("social_worker")
    response = client.post(reverse("care:placement_change", args=[child.pk]), {
        **date_fields("change_date", D(2026, 6, 1)), "reason_for_change": "CARPL", "legal_status": "",
        **PLACEMENT_POST, "placement_type": "K2", "provider": "PR2", "postcode": "B12 9QT"})
    assert response.status_code == 302
    assert list(CareEpisode.objects.order_by("start_date").values_list("reason_new_episode", flat=True)) == ["S", "P"]


def test_a_move_ending_before_the_placement_started_is_refused(signed_in, child, worker):
    looked_after(worker, child, D(2026, 4, 1))
    client = signed_in("social_worker")
    response = client.post(reverse("care:placement_change", args=[child.pk]), {
        **date_fields("change_date", D(2026, 3, 1)), "reason_for_change": "CARPL", **PLACEMENT_POST})
    assert response.status_code == 200
    assert "The move cannot be before the current placement started" in response.content.decode()
    assert CareEpisode.objects.count() == 1


@pytest.mark.parametrize("name", ["placement_change", "legal_status_change", "period_end", "care_plan_add",
                                  "iro_appoint", "review_add"])
def test_pages_about_a_looked_after_child_are_not_found_for_other_children(signed_in, child, name):
    client = signed_in("social_worker")
    assert client.get(reverse(f"care:{name}", args=[child.pk])).status_code == 404


def test_a_review_and_an_escalation_through_the_forms(signed_in, child, worker, make_user):
    looked_after(worker, child, D(2026, 4, 1))
    iro = make_user("iro")
    client = signed_in("iro")
    response = client.post(reverse("care:review_add", args=[child.pk]), {
        **date_fields("held_on", D(2026, 4, 28)), "iro": iro.pk, "participation": "PN1",
        "decisions": "Stay with carers", "child_attended": "on"})
    assert response.status_code == 302
    assert LookedAfterReview.objects.get().iro == iro
    response = client.post(reverse("care:escalation_add", args=[child.pk]), {
        **date_fields("raised_on", D(2026, 5, 1)), "stage": "informal", "concern": "No care plan",
        **date_fields("response_due_on", D(2026, 5, 11))})
    assert response.status_code == 302
    escalation = IROEscalation.objects.get()
    listing = client.get(reverse("care:escalations")).content.decode()
    assert "Tayo Adeyemi" in listing
    response = client.post(reverse("care:escalation_progress", args=[child.pk, escalation.pk]), {
        "version": 1, **date_fields("resolved_on", D(2026, 5, 6)), "outcome": "resolved"})
    assert response.status_code == 302
    assert "Tayo Adeyemi" not in client.get(reverse("care:escalations")).content.decode()


def test_the_permanence_flag_shows_after_the_second_review_without_a_plan(signed_in, child, worker):
    looked_after(worker, child, D(2026, 4, 1))
    for day in (D(2026, 4, 28), D(2026, 7, 20)):
        services.review_record(actor=worker, child=child, held_on=day, participation="PN1", decisions="OK")
    page = signed_in("social_worker").get(reverse("care:overview", args=[child.pk])).content.decode()
    assert "No permanence plan by the second review" in page


@pytest.mark.parametrize("decided_on, flagged", [(D(2026, 7, 20), False), (D(2026, 7, 21), True), (None, True)])
def test_permanence_must_be_decided_by_the_second_review(child, worker, decided_on, flagged):
    looked_after(worker, child, D(2026, 4, 1))
    for day in (D(2026, 4, 28), D(2026, 7, 20)):
        services.review_record(actor=worker, child=child, held_on=day, participation="PN1", decisions="OK")
    if decided_on:
        services.care_plan_record(actor=worker, child=child, start_date=decided_on, summary="Plan",
                                  permanence_option="adoption", permanence_decided_on=decided_on)
    period = PeriodOfCare.objects.get(child=child)
    assert selectors.permanence_flag(list(period.reviews.all()), list(period.care_plans.all())) is flagged


def test_the_overview_shows_three_placements_this_year(signed_in, child, worker):
    looked_after(worker, child, D(2026, 4, 1))
    for day, kind in ((D(2026, 5, 1), "U4"), (D(2026, 6, 1), "U5")):
        services.placement_change(actor=worker, child=child, change_date=day, reason_for_change="CARPL",
                                  placement_type=kind, provider="PR1", siblings_placed_together="none")
    page = signed_in("social_worker").get(reverse("care:overview", args=[child.pk])).content.decode()
    assert "3 or more placements this year" in page


# --- The authority list and the stability measures --------------------------------------------


@pytest.fixture
def authority(db, worker):
    """Three children in care and one who has left."""
    today = timezone.localdate()
    settled = ChildFactory(first_name="Settled", last_name="Child", date_of_birth=today.replace(year=today.year - 10))
    looked_after(worker, settled, today - dt.timedelta(days=365 * 3), legal_status="C2")
    mover = ChildFactory(first_name="Moving", last_name="Child", date_of_birth=D(2012, 1, 1))
    looked_after(worker, mover, today - dt.timedelta(days=20), legal_status="V2", in_authority=False)
    for days_ago, kind in ((10, "U4"), (5, "U5")):
        services.placement_change(actor=worker, child=mover, change_date=today - dt.timedelta(days=days_ago),
                                  reason_for_change="CARPL", placement_type=kind, provider="PR1",
                                  siblings_placed_together="none", in_authority=False)
    restricted = ChildFactory(first_name="Hidden", last_name="Child", is_restricted=True)
    looked_after(worker, restricted, today - dt.timedelta(days=50))
    left = ChildFactory(first_name="Left", last_name="Child", date_of_birth=D(2012, 1, 1))
    looked_after(worker, left, D(2025, 1, 1))
    services.period_end(actor=worker, child=left, end_date=D(2025, 6, 1), reason_ceased="E4A")
    return {"settled": settled, "mover": mover, "restricted": restricted, "left": left}


def test_looked_after_on_and_current_placement(authority):
    today = timezone.localdate()
    everyone = selectors.every_child()
    assert set(selectors.looked_after_on(today, everyone)) == {authority["settled"], authority["mover"],
                                                               authority["restricted"]}
    assert set(selectors.looked_after_on(D(2025, 3, 1), everyone)) >= {authority["left"]}
    assert authority["left"] not in selectors.looked_after_on(D(2025, 6, 1), everyone)  # ceased that day
    assert selectors.current_placement(authority["mover"]).placement_type == "U5"
    assert selectors.current_placement(authority["left"]) is None


@pytest.mark.parametrize("filters, expected", [
    ({}, {"Settled", "Moving"}),
    ({"q": "moving"}, {"Moving"}),
    ({"legal_status": "V2"}, {"Moving"}),
    ({"placement_type": "U3"}, {"Settled"}),
    ({"location": "out"}, {"Moving"}),
    ({"location": "in"}, {"Settled"}),
    ({"stability_flag": "many_placements"}, {"Moving"}),
    ({"stability_flag": "long_term_stable"}, {"Settled"}),
    ({"stability_flag": "long_term_unstable"}, set()),
])
def test_the_list_of_children_in_care_filters_and_hides_restricted_records(signed_in, authority, filters, expected):
    client = signed_in("team_manager")
    page = client.get(reverse("care:list"), filters).content.decode()
    shown = {name for name in ("Settled", "Moving", "Hidden", "Left") if f"{name} Child" in page}
    assert shown == expected


def test_the_authority_stability_measures(authority, make_user):
    from opencsc.people.access import children_for

    measures = selectors.stability(children_for(make_user("team_manager")))
    assert (measures.looked_after, measures.many_placements, measures.long_term_cohort,
            measures.long_term_stable) == (2, 1, 1, 1)


def test_the_list_takes_a_fixed_number_of_queries(signed_in, worker, db):
    client = signed_in("team_manager")
    looked_after(worker, ChildFactory(), D(2026, 4, 1))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("care:list"))
    for _ in range(5):
        looked_after(worker, ChildFactory(), D(2026, 4, 1), **{**FOSTER, "placement_type": "U1"})
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("care:list"))
    assert len(six) == len(one)
    assert Child.objects.count() == 6


def test_the_overview_takes_a_fixed_number_of_queries(signed_in, child, worker):
    client = signed_in("social_worker")
    looked_after(worker, child, D(2026, 4, 1))
    url = reverse("care:overview", args=[child.pk])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n, kind in enumerate(("U4", "U5", "U6")):
        services.placement_change(actor=worker, child=child, change_date=D(2026, 5, 1 + n), reason_for_change="CARPL",
                                  placement_type=kind, provider="PR1", siblings_placed_together="none")
        services.review_record(actor=worker, child=child, held_on=D(2026, 5, 1 + n), participation="PN1",
                               decisions="OK")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
