"""The other duties pages, through the test client."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES, Role
from opencsc.otherduties.models import CareProceedings, Extension, LadoAllegation, PrivateFostering
from opencsc.people.tests.factories import ChildFactory

from .factories import CareProceedingsFactory, LadoAllegationFactory, PrivateFosteringFactory

D = dt.date


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=D(2012, 6, 1))


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.mark.parametrize("role", sorted(Role.values))
def test_recording_a_notification_is_for_casework_roles(signed_in, child, role):
    response = signed_in(role).post(reverse("otherduties:private_fostering_add", args=[child.pk]), {
        **date_fields("notified_on", D(2026, 3, 2)), **date_fields("arrangement_start", D(2026, 2, 20)),
        "carer_name": "Maureen Hall", "parents_consent": "on", "outcome": "pending"})
    if role in CASEWORK_ROLES:
        assert response.status_code == 302
        assert PrivateFostering.objects.get().parents_consent is True
    else:  # a role that may never record is refused the page (403) before the child is looked up
        assert response.status_code == 403
        assert not PrivateFostering.objects.exists()


def test_a_final_order_before_issue_is_shown_against_the_field(signed_in, child):
    proceedings = CareProceedingsFactory(child=child)
    response = signed_in("social_worker").post(reverse("otherduties:final_order", args=[child.pk, proceedings.pk]), {
        "version": 1, "final_order": "care", **date_fields("final_order_on", D(2026, 2, 1))})
    assert response.status_code == 200
    assert "on or after the date of issue" in response.context["form"].errors["final_order_on"][0]
    assert CareProceedings.objects.get().final_order_on is None


def test_the_overview_shows_weeks_and_extensions(signed_in, child):
    client = signed_in("social_worker")
    issued = timezone.localdate() - dt.timedelta(weeks=30)
    proceedings = CareProceedingsFactory(child=child, issued_on=issued)
    client.post(reverse("otherduties:extension_add", args=[child.pk, proceedings.pk]), {
        **date_fields("granted_on", issued + dt.timedelta(weeks=20)), "reason": "Expert report late"})
    assert Extension.objects.count() == 1
    page = client.get(reverse("otherduties:overview", args=[child.pk])).content.decode()
    assert "govuk-tag--red\">Week 30" in page
    assert "extended 1 time" in page
    assert "Overdue" not in page  # 34 weeks with the extension


def test_the_overview_has_empty_states_and_no_buttons_for_readers(signed_in, child):
    page = signed_in("auditor").get(reverse("otherduties:overview", args=[child.pk])).content.decode()
    assert "No private fostering arrangements recorded." in page
    assert "No care proceedings recorded." in page
    assert "Record care proceedings" not in page


def test_the_overview_takes_the_same_number_of_queries_however_long_the_history(signed_in, child):
    client = signed_in("social_worker")
    url = reverse("otherduties:overview", args=[child.pk])
    PrivateFosteringFactory(child=child, ended_on=D(2026, 4, 1), end_reason="moved")
    CareProceedingsFactory(child=child, final_order="care", final_order_on=D(2026, 8, 1))
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for year in (2023, 2024, 2025):
        PrivateFosteringFactory(child=child, notified_on=D(year, 1, 5), arrangement_start=D(year, 1, 1),
                                ended_on=D(year, 6, 1), end_reason="moved")
        CareProceedingsFactory(child=child, issued_on=D(year, 1, 5), final_order="care",
                               final_order_on=D(year, 6, 1))
    with CaptureQueriesContext(connection) as longer:
        client.get(url)
    assert len(longer) == len(short)


def test_the_proceedings_list_shows_open_proceedings_of_visible_children(signed_in, db):
    today = timezone.localdate()
    late = CareProceedingsFactory(issued_on=today - dt.timedelta(weeks=27))
    recent = CareProceedingsFactory(issued_on=today - dt.timedelta(weeks=3))
    CareProceedingsFactory(child=ChildFactory(is_restricted=True, first_name="Hiddenchild"))
    done = CareProceedingsFactory(final_order="care", final_order_on=today - dt.timedelta(days=3))
    client = signed_in("performance_analyst")
    page = client.get(reverse("otherduties:proceedings_list")).content.decode()
    assert escape(late.child.full_name) in page and escape(recent.child.full_name) in page
    assert "Hiddenchild" not in page and escape(done.child.full_name) not in page
    assert "govuk-tag--red\">Week 27" in page and "govuk-tag--green\">Week 3" in page
    assert done.child.full_name in client.get(reverse("otherduties:proceedings_list"),
                                              {"status": "closed"}).content.decode()


def test_the_private_fostering_list(signed_in, db):
    open_one = PrivateFosteringFactory()
    ended = PrivateFosteringFactory(ended_on=D(2026, 5, 1), end_reason="moved")
    page = signed_in("auditor").get(reverse("otherduties:private_fostering_list")).content.decode()
    assert escape(open_one.child.full_name) in page and escape(ended.child.full_name) not in page


def test_lado_journey_through_the_pages(signed_in, child):
    client = signed_in("service_manager")
    response = client.post(reverse("otherduties:lado_add"), {
        **date_fields("received_on", D(2026, 3, 2)), **date_fields("lado_informed_on", D(2026, 3, 4)),
        "person_name": "Gary Lamb", "person_role": "Coach", "employer": "Northvale Juniors FC", "agency": "sport",
        "allegation": "Late night messages", "children": child.la_child_id.lower()})
    allegation = LadoAllegation.objects.get()
    assert response.status_code == 302
    assert list(allegation.children.all()) == [child]
    page = client.get(reverse("otherduties:lado_detail", args=[allegation.pk])).content.decode()
    assert "Late</strong>" in page  # told 2 working days later
    assert escape(child.full_name) in page
    assert client.post(reverse("otherduties:lado_meeting_add", args=[allegation.pk]), {
        "kind": "strategy", **date_fields("held_on", D(2026, 3, 5)), "attendees": "DS Cole, Police",
        "decisions": "Police to lead"}).status_code == 302
    assert client.post(reverse("otherduties:lado_outcome", args=[allegation.pk]), {
        "version": 1, "outcome": "unfounded", **date_fields("outcome_on", D(2026, 4, 1))}).status_code == 302
    assert LadoAllegation.objects.get().outcome == "unfounded"


def test_an_unknown_child_id_is_an_error_on_the_lado_form(signed_in, db):
    hidden = ChildFactory(is_restricted=True)
    response = signed_in("team_manager").post(reverse("otherduties:lado_add"), {
        **date_fields("received_on", D(2026, 3, 2)), "person_name": "A", "person_role": "B", "employer": "C",
        "agency": "health", "allegation": "D", "children": f"{hidden.la_child_id}"})
    assert f"No child found with LA child ID {hidden.la_child_id}" in response.context["form"].errors["children"][0]
    assert not LadoAllegation.objects.exists()


def test_the_lado_list_searches_and_filters(signed_in, db):
    LadoAllegationFactory(person_name="Gary Lamb", employer="Northvale Juniors FC")
    LadoAllegationFactory(person_name="Ann Bell", employer="St Mary's", outcome="false", outcome_on=D(2026, 5, 1))
    client = signed_in("team_manager")
    page = client.get(reverse("otherduties:lado_list")).content.decode()
    assert "Gary Lamb" in page and "Ann Bell" not in page
    page = client.get(reverse("otherduties:lado_list"), {"status": "all", "q": "mary"}).content.decode()
    assert "Ann Bell" in page and "Gary Lamb" not in page


@pytest.mark.parametrize("role", sorted(Role.values))
def test_lado_pages_are_for_managers_only(signed_in, db, role):
    allegation = LadoAllegationFactory()
    response = signed_in(role).get(reverse("otherduties:lado_detail", args=[allegation.pk]))
    assert response.status_code == (200 if role in MANAGER_ROLES else 403)


def test_lado_refusals_are_in_the_access_log(signed_in, db):
    from opencsc.accounts.models import AccessLog

    allegation = LadoAllegationFactory()
    response = signed_in("social_worker").get(reverse("otherduties:lado_detail", args=[allegation.pk]))
    assert response.status_code == 403
    assert AccessLog.objects.filter(user__role="social_worker", outcome="refused").exists()
    response = signed_in("team_manager").get(reverse("otherduties:lado_detail", args=[allegation.pk + 1000]))
    assert response.status_code == 404
    refusal = AccessLog.objects.get(user__role="team_manager", outcome="refused")
    assert refusal.child_reference == f"lado:{allegation.pk + 1000}"


def test_lado_detail_hides_children_the_manager_cannot_see(signed_in, db):
    allegation = LadoAllegationFactory()
    hidden = ChildFactory(is_restricted=True, first_name="Secretchild")
    allegation.children.add(hidden)
    page = signed_in("team_manager").get(reverse("otherduties:lado_detail", args=[allegation.pk])).content.decode()
    assert "Secretchild" not in page


def test_the_lado_list_takes_the_same_number_of_queries_however_many_allegations(signed_in, db):
    client = signed_in("team_manager")
    LadoAllegationFactory()
    with CaptureQueriesContext(connection) as short:
        client.get(reverse("otherduties:lado_list"))
    for _ in range(5):
        LadoAllegationFactory()
    with CaptureQueriesContext(connection) as longer:
        client.get(reverse("otherduties:lado_list"))
    assert len(longer) == len(short)


def test_the_proceedings_list_takes_the_same_number_of_queries_however_many_rows(signed_in, db):
    client = signed_in("team_manager")
    CareProceedingsFactory()
    with CaptureQueriesContext(connection) as short:
        client.get(reverse("otherduties:proceedings_list"))
    for _ in range(5):
        CareProceedingsFactory()
    with CaptureQueriesContext(connection) as longer:
        client.get(reverse("otherduties:proceedings_list"))
    assert len(longer) == len(short)
