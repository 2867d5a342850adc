import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.casework.models import Allocation
from opencsc.core.models import AuditEvent
from opencsc.people.models import RestrictedAccessGrant
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance import services
from opencsc.performance.indicators import BY_KEY, INDICATORS
from opencsc.performance.models import Commentary, Target

from .conftest import AS_AT, rows

pytestmark = pytest.mark.django_db
CONTACTS = BY_KEY["contacts_decided_1wd"]


@pytest.fixture
def week(fake_measures):
    """Two weeks of snapshots: a visible child who met the standard, a restricted one who did not."""
    team = TeamFactory(name="MASH", kind=TeamKind.MASH)
    seen = ChildFactory(first_name="Aoife", last_name="O'Neill")
    hidden = ChildFactory(first_name="Secret", last_name="Person", is_restricted=True)
    Allocation.objects.create(child=seen, team=team, start_date=dt.date(2026, 1, 1))
    fake_measures[CONTACTS.key] = lambda as_at: rows((seen.pk, True), (hidden.pk, False))
    fake_measures["a1_days"] = None  # no measure: "Not available"
    for day in services.weeks_back(AS_AT, 2):
        services.snapshot_take(as_at=day)
    return {"team": team, "seen": seen, "hidden": hidden}


def _get(client, name, *args, **params):
    return client.get(reverse(name, args=args), params)


def test_the_scorecard_before_any_snapshot_says_so(signed_in):
    response = _get(signed_in(Role.PERFORMANCE_ANALYST), "performance:scorecard")
    assert response.status_code == 200
    assert "No scorecard has been taken yet" in response.content.decode()


def test_the_scorecard_shows_value_rating_target_national_trend(signed_in, week):
    response = _get(signed_in(Role.TEAM_MANAGER), "performance:scorecard")
    page = response.content.decode()
    assert response.status_code == 200
    assert CONTACTS.title in page
    assert "50.0%" in page and "1 of 2" in page
    assert "Off target" in page and "govuk-tag--red" in page  # words, not colour only
    assert "22.0%" in page and "England 2024" in page  # re-referrals' national figure
    assert "Not available" in page  # a1_days has no measure
    assert "<svg" in page and "govuk-visually-hidden" in page
    assert escape(week["seen"].full_name) not in page  # the scorecard names nobody


def test_the_scorecard_for_a_team(signed_in, week):
    response = _get(signed_in(Role.SERVICE_MANAGER), "performance:scorecard", scope=f"team:{week['team'].pk}")
    page = response.content.decode()
    assert response.status_code == 200 and "MASH" in page and "100.0%" in page


@pytest.mark.parametrize("params", [{"scope": "team:999999"}, {"scope": "nonsense"}, {"week": "2020-01-01"},
                                    {"week": "not-a-date"}])
def test_an_unknown_scope_or_week_is_not_found(signed_in, week, params):
    assert _get(signed_in(Role.AUDITOR), "performance:scorecard", **params).status_code == 404


def test_an_unknown_indicator_is_not_found(signed_in, week):
    assert _get(signed_in(Role.AUDITOR), "performance:indicator", "nope").status_code == 404


def test_the_drilldown_names_only_children_the_user_may_see(signed_in, week):
    response = _get(signed_in(Role.PERFORMANCE_ANALYST), "performance:drilldown", CONTACTS.key)
    page = response.content.decode()
    assert escape(week["seen"].full_name) in page
    assert escape(week["hidden"].full_name) not in page
    assert "A restricted record" in page
    assert "2 rows" in page  # the restricted row is counted
    assert reverse("casework:child_record", args=[week["seen"].pk]) in page
    assert reverse("casework:child_record", args=[week["hidden"].pk]) not in page


def test_a_grant_shows_the_restricted_child(signed_in, week):
    client = signed_in(Role.PERFORMANCE_ANALYST)
    RestrictedAccessGrant.objects.create(child=week["hidden"], user=client.user, granted_by=client.user)
    page = _get(client, "performance:drilldown", CONTACTS.key).content.decode()
    assert escape(week["hidden"].full_name) in page


@pytest.mark.parametrize("met, shown, not_shown", [("met", "seen", "hidden"), ("not_met", "hidden", "seen")])
def test_the_drilldown_filters_met_and_not_met(signed_in, week, met, shown, not_shown):
    client = signed_in(Role.PERFORMANCE_ANALYST)
    RestrictedAccessGrant.objects.create(child=week["hidden"], user=client.user, granted_by=client.user)
    page = _get(client, "performance:drilldown", CONTACTS.key, met=met).content.decode()
    assert escape(week[shown].full_name) in page and escape(week[not_shown].full_name) not in page
    assert "1 row<" in page


def test_the_drilldown_for_a_team_lists_its_rows_only(signed_in, week):
    page = _get(signed_in(Role.AUDITOR), "performance:drilldown", CONTACTS.key,
                scope="team:unallocated").content.decode()
    assert "A restricted record" in page and escape(week["seen"].full_name) not in page


def test_the_drilldown_is_paginated(signed_in, fake_measures):
    children = [ChildFactory() for _ in range(55)]
    fake_measures[CONTACTS.key] = lambda as_at: rows(*[(c.pk, True) for c in children])
    services.snapshot_take(as_at=AS_AT)
    client = signed_in(Role.AUDITOR)
    first = _get(client, "performance:drilldown", CONTACTS.key).content.decode()
    assert "55 rows" in first and "1 of 2" in first
    second = _get(client, "performance:drilldown", CONTACTS.key, page=2).content.decode()
    assert "2 of 2" in second


def test_the_indicator_page_shows_definition_source_and_a_commentary_form_to_managers(signed_in, week):
    page = _get(signed_in(Role.TEAM_MANAGER), "performance:indicator", CONTACTS.key).content.decode()
    assert escape(CONTACTS.definition) in page and "Save commentary" in page and "No commentary yet" in page


def test_auditors_read_the_indicator_page_without_a_commentary_form(signed_in, week):
    page = _get(signed_in(Role.AUDITOR), "performance:indicator", CONTACTS.key).content.decode()
    assert "Save commentary" not in page


def test_a_manager_writes_commentary_and_it_shows_on_the_scorecard(signed_in, week):
    client = signed_in(Role.TEAM_MANAGER)
    url = reverse("performance:commentary_add", args=[CONTACTS.key]) + "?scope=authority"
    response = client.post(url, {"text": "Schools sent more contacts in September."})
    assert response.status_code == 302
    entry = Commentary.objects.get()
    assert (entry.author, entry.as_at, entry.scope_kind) == (client.user, AS_AT, "authority")
    assert "Schools sent more contacts in September." in _get(client, "performance:scorecard").content.decode()
    detail = _get(client, "performance:indicator", CONTACTS.key).content.decode()
    assert "Schools sent more contacts in September." in detail


def test_empty_commentary_shows_an_error_and_saves_nothing(signed_in, week):
    client = signed_in(Role.SERVICE_MANAGER)
    response = client.post(reverse("performance:commentary_add", args=[CONTACTS.key]), {"text": ""})
    assert response.status_code == 200 and "Enter your commentary" in response.content.decode()
    assert not Commentary.objects.exists()


def test_an_auditor_cannot_post_commentary(signed_in, week):
    client = signed_in(Role.AUDITOR)
    before = AuditEvent.objects.count()
    response = client.post(reverse("performance:commentary_add", args=[CONTACTS.key]), {"text": "Hello"})
    assert response.status_code == 403
    assert not Commentary.objects.exists() and AuditEvent.objects.count() == before


def test_targets_page_lists_every_indicator(signed_in):
    page = _get(signed_in(Role.AUDITOR), "performance:targets").content.decode()
    assert all(escape(i.title) in page for i in INDICATORS)
    assert "Change" not in page


def test_an_analyst_sets_a_team_target(signed_in, week):
    client = signed_in(Role.PERFORMANCE_ANALYST)
    scope = f"team:{week['team'].pk}"
    url = reverse("performance:target_edit", args=[CONTACTS.key]) + f"?scope={scope}"
    assert client.post(url, {"target": "99", "amber_tolerance": "1", "version": 0}).status_code == 302
    target = Target.objects.get()
    assert (target.scope_kind, target.scope_key, target.target, target.set_by) == (
        "team", str(week["team"].pk), 99, client.user)
    page = _get(client, "performance:scorecard", scope=scope).content.decode()
    assert "99.0%" in page


def test_an_impossible_target_shows_an_error(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    response = client.post(reverse("performance:target_edit", args=[CONTACTS.key]),
                           {"target": "150", "amber_tolerance": "1", "version": 0})
    assert response.status_code == 200 and "between 0 and 100" in response.content.decode()
    assert not Target.objects.exists()


def test_a_team_manager_cannot_set_a_target(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    before = AuditEvent.objects.count()
    response = client.post(reverse("performance:target_edit", args=[CONTACTS.key]),
                           {"target": "10", "amber_tolerance": "1"})
    assert response.status_code == 403
    assert not Target.objects.exists() and AuditEvent.objects.count() == before


def test_export_xlsx(signed_in, week):
    from openpyxl import load_workbook

    response = _get(signed_in(Role.AUDITOR), "performance:export_xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Scorecard"]
    assert sheet["A1"].value == "Performance scorecard: The authority, as at 23 Nov 2026"
    assert [c.value for c in sheet[2]][:3] == ["Area", "Indicator", "Value"]
    contacts = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == CONTACTS.title)
    assert contacts[2:7] == (50.0, "1 of 2", 2, CONTACTS.default_target, "Off target")
    a1 = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == BY_KEY["a1_days"].title)
    assert a1[2] == "Not available"
    assert len(book.sheetnames) == 1 + len(INDICATORS)
    trend = book[CONTACTS.key]
    assert [r[1] for r in trend.iter_rows(min_row=3, values_only=True)] == [50.0, 50.0]


def test_export_pdf(signed_in, week):
    response = _get(signed_in(Role.PERFORMANCE_ANALYST), "performance:export_pdf",
                    scope=f"team:{week['team'].pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"Performance scorecard: MASH, as at 23 Nov 2026" in response.content


def test_no_export_before_a_snapshot(signed_in):
    assert _get(signed_in(Role.AUDITOR), "performance:export_pdf").status_code == 404


def test_performance_is_in_the_navigation_for_readers_only(signed_in):
    # Performance is in the menu's "Reports" group, whose page links to it.
    assert reverse("performance:scorecard") in signed_in(Role.AUDITOR).get(
        reverse("core:menu_group", args=["reports"])).content.decode()
    page = signed_in(Role.SOCIAL_WORKER).get(reverse("core:home")).content.decode()
    assert reverse("performance:scorecard") not in page


def test_the_scorecard_page_reads_in_a_bounded_number_of_queries(signed_in, fake_measures,
                                                                 django_assert_max_num_queries):
    children = [ChildFactory() for _ in range(10)]
    fake_measures[CONTACTS.key] = lambda as_at: rows(*[(c.pk, True) for c in children])
    for day in services.weeks_back(AS_AT, 8):
        services.snapshot_take(as_at=day)
    client = signed_in(Role.PERFORMANCE_ANALYST)
    with django_assert_max_num_queries(20):
        assert _get(client, "performance:scorecard").status_code == 200
    with django_assert_max_num_queries(20):
        assert _get(client, "performance:drilldown", CONTACTS.key).status_code == 200


def test_partner_agency_teams_are_not_a_scope_to_choose(signed_in, week):
    partner = TeamFactory(name="Police public protection unit", kind=TeamKind.PARTNER)
    page = _get(signed_in(Role.AUDITOR), "performance:scorecard").content.decode()
    assert f"team:{week['team'].pk}" in page and f"team:{partner.pk}" not in page


def test_the_scorecard_shows_what_a_figure_is_worked_out_from(signed_in, fake_measures):
    """Numerator of denominator for a proportion; for an average, how many children it averages over."""
    fake_measures[CONTACTS.key] = lambda as_at: rows((1, True), (2, False), (3, True))
    fake_measures["a1_days"] = lambda as_at: [r._replace(value=400.0 + r.child_id) for r in rows((1, None), (2, None))]
    services.snapshot_take(as_at=AS_AT)
    page = _get(signed_in(Role.TEAM_MANAGER), "performance:scorecard").content.decode()
    assert "Worked out from" in page and ">Of<" not in page
    assert "2 of 3" in page
    assert "Average of 2 children" in page and "803 of 2" not in page


@pytest.mark.parametrize("text, refused", [
    ("Both MASH posts are filled and the last four weeks are back above target.", True),
    ("Still below target: two MASH posts were vacant.", False),
    ("Two MASH posts were vacant in the summer; both are filled.", False),
])
def test_commentary_cannot_contradict_the_rating_beside_it(signed_in, week, text, refused):
    """The contacts figure is 50% against a target of 95% (higher is better): off target."""
    client = signed_in(Role.SERVICE_MANAGER)
    response = client.post(reverse("performance:commentary_add", args=[CONTACTS.key]), {"text": text})
    if refused:
        assert response.status_code == 200
        assert "Your commentary says &quot;above target&quot;, but the figure is off target: 50.0% is below the " \
               "target of 95.0%" in response.content.decode()
        assert not Commentary.objects.exists()
    else:
        assert response.status_code == 302 and Commentary.objects.count() == 1
        page = _get(client, "performance:scorecard").content.decode()
        assert "Off target: 50.0% is below the target of 95.0%." in page  # the verdict leads the commentary
