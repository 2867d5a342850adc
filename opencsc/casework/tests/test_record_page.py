"""The child's record page: what it shows, to whom, and in how many queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.casework import summary as summary_registry
from opencsc.casework.selectors import chronology_for, record_events
from opencsc.core.audit import audit
from opencsc.core.models import AuditEvent
from opencsc.people.models import ChildAlias, PartnerShare
from opencsc.people.tests.factories import AddressFactory, ChildFactory, PersonFactory, RelationshipFactory

from .factories import (
    ActionProgressFactory,
    AllocationFactory,
    CaseNoteFactory,
    ChronologyEntryFactory,
    DocumentFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    OversightActionFactory,
    OversightRecordFactory,
    PlanActionFactory,
    PlanFactory,
    VisitFactory,
)


def record_page(client, child):
    return client.get(reverse("casework:child_record", args=[child.pk]))


def test_summary_shows_who_the_child_is(signed_in):
    child = ChildFactory(
        first_name="Amara", last_name="Okafor", preferred_name="Mara", date_of_birth=dt.date(2014, 5, 9),
        sex="F", ethnicity="BAFR", nhs_number="4857773456", upn="A123456789012", la_child_id="C900001",
        first_language="Yoruba", religion="Christian", school_name="Northvale Primary", gender_identity="Girl",
        disabilities=["HAND"],
    )
    ChildAlias.objects.create(child=child, first_name="Amarachi", last_name="Okafor")
    AddressFactory(child=child, line_1="12 Mill Lane", postcode="TW3 1ES", start_date=dt.date(2020, 1, 1),
                   end_date=dt.date(2021, 1, 1))
    AddressFactory(child=child, line_1="4 River Road", postcode="TW4 2AB", start_date=dt.date(2021, 1, 2))
    client = signed_in(Role.SOCIAL_WORKER)

    html = record_page(client, child).content.decode()

    for text in ("Amara Okafor", "Mara", "Amarachi Okafor", "9 May 2014", "years old", "Female", "Girl",
                 "African", "485 777 3456", "A123456789012", "C900001", "Yoruba", "Christian",
                 "Northvale Primary", "4 River Road", "TW4 2AB"):
        assert text in html, text
    assert "12 Mill Lane" not in html


def test_unborn_child_shows_the_expected_date(signed_in):
    expected = timezone.localdate() + dt.timedelta(days=60)
    child = ChildFactory(date_of_birth=None, expected_date_of_birth=expected)
    client = signed_in(Role.SOCIAL_WORKER)

    html = record_page(client, child).content.decode()

    assert f"Unborn, expected {expected.day} {expected:%b %Y}" in html


def test_summary_shows_the_allocated_worker_team_and_service(signed_in):
    child = ChildFactory()
    team = TeamFactory(name="Child protection east", kind=TeamKind.CHILD_PROTECTION)
    AllocationFactory(child=child, team=TeamFactory(name="Old team", kind=TeamKind.EARLY_HELP),
                      worker__first_name="Previous", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 6, 1))
    allocation = AllocationFactory(child=child, team=team, worker__first_name="Priya", worker__last_name="Shah")
    client = signed_in(Role.SOCIAL_WORKER)

    html = record_page(client, child).content.decode()
    html = html[html.index(">Allocated to<"):html.index(">Family network</h2>")]

    assert "Priya Shah" in html
    assert "Child protection east" in html
    assert TeamKind.CHILD_PROTECTION.label in html
    assert "Old team" not in html
    assert allocation.start_date.strftime("%b %Y") in html


def test_unallocated_child_says_so(signed_in):
    child = ChildFactory()
    client = signed_in(Role.SOCIAL_WORKER)

    html = record_page(client, child).content.decode()

    assert "Unallocated" in html
    assert "No open services" in html


def test_other_apps_add_services_through_the_registry(signed_in):
    child = ChildFactory()

    def on_cp_plan(c):
        return ["Child protection plan"] if c.pk == child.pk else []

    summary_registry.register_service_source(on_cp_plan)
    try:
        html = record_page(signed_in(Role.SOCIAL_WORKER), child).content.decode()
    finally:
        summary_registry._SOURCES.remove(on_cp_plan)

    assert "Child protection plan" in html


def test_service_checks_from_every_app_are_answered_in_one_query(signed_in):
    from django.db.models import Exists, OuterRef

    from opencsc.casework.models import Allocation

    child, other = ChildFactory(), ChildFactory()
    AllocationFactory(child=child)

    def expressions():
        return {"allocated": Exists(Allocation.objects.filter(child=OuterRef("pk"), end_date__isnull=True))}

    def labels(values):
        return ["Checked by a test app"] if values["allocated"] else []

    summary_registry.register_service_check(expressions)(labels)
    try:
        with CaptureQueriesContext(connection) as captured:
            labels_for_child = summary_registry.services_for(child)
        labels_for_other = summary_registry.services_for(other)
    finally:
        summary_registry._SOURCES[:] = [
            s for s in summary_registry._SOURCES if getattr(s, "labels", None) is not labels]

    assert "Checked by a test app" in labels_for_child
    assert "Checked by a test app" not in labels_for_other
    assert len(captured) == 1  # every registered check, with the allocations already read


@pytest.mark.parametrize(
    ("child_values", "person_values", "alert"),
    [
        ({"is_restricted": False, "is_uasc": True}, {}, "UASC"),
        ({"interpreter_needed": True, "first_language": "Tigrinya"}, {}, "Interpreter needed"),
        ({"date_of_death": dt.date(2026, 1, 3)}, {}, "Deceased"),
        ({"date_of_birth": None, "expected_date_of_birth": dt.date(2027, 1, 3)}, {}, "Unborn"),
        ({}, {"mappa": True}, "MAPPA"),
        ({}, {"marac": True}, "MARAC"),
        ({}, {"poses_risk": True}, "Poses a risk"),
    ],
)
def test_alerts(signed_in, child_values, person_values, alert):
    child = ChildFactory(**child_values)
    RelationshipFactory(child=child, person=PersonFactory(**person_values))
    plain = ChildFactory()
    RelationshipFactory(child=plain)
    client = signed_in(Role.SOCIAL_WORKER)

    html = record_page(client, child).content.decode()
    plain_html = record_page(client, plain).content.decode()

    assert f">{alert}</strong>" in html
    assert f">{alert}</strong>" not in plain_html
    assert "alerts-heading" not in plain_html


def test_restricted_record_alert_for_someone_with_a_grant(signed_in):
    from opencsc.people.models import RestrictedAccessGrant

    child = ChildFactory(is_restricted=True, restriction_reason="Witness protection")
    client = signed_in(Role.SOCIAL_WORKER)
    RestrictedAccessGrant.objects.create(child=child, user=client.user)

    html = record_page(client, child).content.decode()

    assert ">Restricted record</strong>" in html
    assert "Witness protection" in html


def test_an_ended_relationship_with_a_risky_adult_raises_no_alert(signed_in):
    child = ChildFactory()
    RelationshipFactory(child=child, person=PersonFactory(mappa=True), end_date=dt.date(2024, 1, 1))

    html = record_page(signed_in(Role.SOCIAL_WORKER), child).content.decode()

    assert ">MAPPA</strong>" not in html


def test_family_network_hides_a_restricted_sibling(signed_in):
    child = ChildFactory()
    RelationshipFactory(child=child, person=PersonFactory(first_name="Grace", last_name="Bello"))
    sibling = ChildFactory(first_name="Visible", last_name="Sibling")
    hidden = ChildFactory(first_name="Hidden", last_name="Sibling", is_restricted=True)
    RelationshipFactory(child=child, person=None, related_child=sibling, kind="sibling")
    RelationshipFactory(child=child, person=None, related_child=hidden, kind="sibling")

    html = record_page(signed_in(Role.SOCIAL_WORKER), child).content.decode()

    assert "Grace Bello" in html
    assert "Visible Sibling" in html
    assert reverse("casework:child_record", args=[sibling.pk]) in html
    assert "Hidden Sibling" not in html


def test_recent_chronology_and_notes_show_the_ten_newest(signed_in):
    child = ChildFactory(date_of_birth=dt.date(2015, 1, 1))
    for day in range(1, 13):
        CaseNoteFactory(child=child, contact_date=dt.date(2026, 1, day), subject=f"Visit on day {day:02d}")
    client = signed_in(Role.SOCIAL_WORKER)

    html = record_page(client, child).content.decode()

    assert "Visit on day 12" in html and "Visit on day 03" in html
    assert "Visit on day 02" not in html and "Visit on day 01" not in html


def test_recent_chronology_is_the_newest_ten_of_the_full_chronology(db):
    child = ChildFactory(date_of_birth=dt.date(2015, 1, 1))
    for day in range(1, 9):  # several sources, some on the same days, so the order between them counts
        CaseNoteFactory(child=child, contact_date=dt.date(2026, 1, day))
        ChronologyEntryFactory(child=child, event_date=dt.date(2026, 1, 9 - day))
        VisitFactory(child=child, visited_on=dt.date(2026, 1, day))
    MeetingFactory(child=child, held_on=dt.date(2026, 1, 8))
    OversightRecordFactory(child=child, held_on=dt.date(2026, 1, 7))
    AllocationFactory(child=child, start_date=dt.date(2026, 1, 8))
    user = UserFactory(role=Role.SOCIAL_WORKER)

    everything = list(chronology_for(user=user, child=child))
    with CaptureQueriesContext(connection) as captured:
        recent, notes, _clocks = record_events(user=user, child=child, limit=10)

    assert len(everything) > 10
    assert list(chronology_for(user=user, child=child, limit=10)) == everything[:10]
    assert recent == everything[:10]  # what the record page shows
    assert notes == [e for e in everything if e.kind == "case_note"][:10]
    assert len(captured) == 1  # one read of the event log


def test_empty_record_shows_empty_states(signed_in):
    child = ChildFactory()

    html = record_page(signed_in(Role.SOCIAL_WORKER), child).content.decode()

    assert "No case notes yet" in html
    assert "No events yet" in html
    assert "No family members recorded" in html
    assert "No current address" in html


def test_partner_sees_the_summary_only(signed_in):
    child = ChildFactory(first_name="Shared", last_name="Child")
    PartnerShare.objects.create(child=child, agency="police", reason="Strategy discussion",
                                shared_on=timezone.localdate() - dt.timedelta(days=1))
    RelationshipFactory(child=child, person=PersonFactory(first_name="Secret", last_name="Parent", mappa=True))
    CaseNoteFactory(child=child, subject="Confidential visit")
    ChronologyEntryFactory(child=child, title="Confidential event")
    client = signed_in(Role.PARTNER)

    response = record_page(client, child)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Shared Child" in html
    assert ">MAPPA</strong>" in html
    for hidden in ("Confidential visit", "Confidential event", "Secret Parent", "Family network",
                   reverse("casework:notes", args=[child.pk]), reverse("casework:chronology", args=[child.pk]),
                   reverse("casework:documents", args=[child.pk]), reverse("casework:history", args=[child.pk])):
        assert hidden not in html, hidden
    assert "You can see this summary only" in html


def test_partner_of_another_agency_or_an_ended_share_sees_nothing(signed_in):
    child = ChildFactory()
    PartnerShare.objects.create(child=child, agency="health", reason="x", shared_on=dt.date(2026, 1, 1))
    ended = ChildFactory()
    PartnerShare.objects.create(child=ended, agency="police", reason="x", shared_on=dt.date(2025, 1, 1),
                                ends_on=timezone.localdate() - dt.timedelta(days=1))
    client = signed_in(Role.PARTNER)

    assert record_page(client, child).status_code == 404
    assert record_page(client, ended).status_code == 404


def test_record_nav_marks_the_current_section(signed_in):
    child = ChildFactory()
    client = signed_in(Role.SOCIAL_WORKER)

    html = client.get(reverse("casework:notes", args=[child.pk])).content.decode()

    notes_url = reverse("casework:notes", args=[child.pk])
    assert f'href="{notes_url}" aria-current="page"' in html
    record_nav = html[html.index("Sections of"):]
    record_nav = record_nav[:record_nav.index("</nav>")]
    assert record_nav.count('aria-current="page"') == 1


def _history(child, size, author):
    CaseNoteFactory.create_batch(size, child=child, author=author, contact_date=dt.date(2026, 1, 2))
    ChronologyEntryFactory.create_batch(size, child=child, author=author)
    DocumentFactory.create_batch(max(1, size // 10), child=child, uploaded_by=author)
    for _ in range(size):
        AllocationFactory(child=child, worker=author, team=author.team, start_date=dt.date(2025, 1, 1),
                          end_date=dt.date(2025, 2, 1))
        audit(actor=author, action=AuditEvent.Action.OTHER, child=child, summary="x")
    AllocationFactory(child=child, worker=author, team=author.team)
    for _ in range(size // 5 or 1):
        RelationshipFactory(child=child, person=PersonFactory(poses_risk=True))
        ChildAlias.objects.create(child=child, first_name="Alias", last_name="Name")
    AddressFactory(child=child)
    for _ in range(size // 5 or 1):
        plan = PlanFactory(child=child, created_by=author, review_due=dt.date(2026, 1, 20))
        ended = PlanFactory(child=child, created_by=author, end_date=dt.date(2026, 3, 1))
        meeting = MeetingFactory(child=child, plan=plan, recorded_by=author)
        MeetingFactory(child=child, plan=ended, recorded_by=author)
        MeetingAttendanceFactory(meeting=meeting)
        ActionProgressFactory(meeting=meeting, action=PlanActionFactory(plan=plan))
        VisitFactory(child=child, visitor=author)
        OversightActionFactory(record=OversightRecordFactory(child=child, recorded_by=author))


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.AUDITOR, Role.TEAM_MANAGER])
@pytest.mark.parametrize("page", ["child_record", "chronology", "notes", "documents", "history", "plans", "visits",
                                  "oversight"])
def test_pages_run_the_same_number_of_queries_for_a_short_and_a_long_history(signed_in, role, page):
    client = signed_in(role)
    short, long = ChildFactory(), ChildFactory()
    _history(short, 5, client.user)
    _history(long, 200, client.user)

    counts = []
    for child in (short, long):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"casework:{page}", args=[child.pk]))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SERVICE_MANAGER, {"Change details", "Restriction", "Merge a duplicate record"}),
        (Role.TEAM_MANAGER, {"Change details", "Merge a duplicate record"}),
        (Role.SOCIAL_WORKER, set()),  # not allocated to this child
        (Role.AUDITOR, set()),
        (Role.PERFORMANCE_ANALYST, set()),
    ],
)
def test_manage_links_follow_the_access_rules(signed_in, role, expected):
    child = ChildFactory()
    html = record_page(signed_in(role), child).content.decode()

    shown = {label for label in ("Change details", "Restriction", "Merge a duplicate record")
             if f">{label}</a>" in html}
    assert shown == expected


def test_an_allocated_social_worker_may_change_details_and_family(signed_in):
    child = ChildFactory()
    client = signed_in(Role.SOCIAL_WORKER)
    AllocationFactory(child=child, worker=client.user, team=client.user.team)

    html = record_page(client, child).content.decode()

    assert ">Change details</a>" in html
    assert ">Family network</" in html
    assert ">Restriction</a>" not in html
