"""The returns pages: who may make and read returns, the forms' errors, the history and downloads,
and the validation report (summary, filters, pagination, links only to children the user may see, CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from opencsc.accounts.roles import Role
from opencsc.core.models import AuditEvent
from opencsc.jobs.models import Job
from opencsc.jobs.testing import run_jobs
from opencsc.returns.base import Issue
from opencsc.returns.models import ReturnRun, ReturnRunFile, ValidationIssue
from opencsc.returns.policy import may_make_returns, may_read_return_reports

from .factories import ReturnRunFactory, ReturnRunFileFactory, ValidationIssueFactory

pytestmark = pytest.mark.django_db

NOT_GENERATORS = sorted(set(Role.values) - may_make_returns.roles)
NOT_READERS = sorted(set(Role.values) - may_read_return_reports.roles)


def _counts():
    return (ReturnRun.objects.count(), ReturnRunFile.objects.count(), ValidationIssue.objects.count(),
            AuditEvent.objects.count(), Job.objects.count())


# --- Making a return ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(may_make_returns.roles))
def test_a_returns_role_makes_a_return_in_the_background_and_is_sent_to_its_report(role, signed_in, fake):
    from opencsc.people.tests.factories import ChildFactory

    child = ChildFactory()
    fake.ISSUES = [Issue(rule="8840", message="Date of birth after referral", child_id=child.pk,
                         child_reference=child.la_child_id, field="PersonBirthDate", table="ChildIdentifiers"),
                   Issue(rule="2884Q", message="Check the UPN", child_id=None, severity="query")]
    client = signed_in(role)
    response = client.post(reverse("returns:make"), {"kind": "cin", "cin-year": "2026"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.params, job.started_by, job.state) == ("returns.build", {"kind": "cin", "year": 2026},
                                                                client.user, "queued")
    assert job.title == "Make the Children in need census for 2025 to 2026"
    assert not ReturnRun.objects.exists() and fake.CALLS == []  # nothing is built inside the request

    run_jobs()

    run = ReturnRun.objects.get()
    assert (run.status, run.year, run.error_count, run.query_count, run.validated) == ("succeeded", 2026, 1, 1, True)
    assert run.requested_by == client.user and run.finished_at is not None
    assert list(run.files.values_list("name", flat=True)) == ["fake_2026.xml"]
    assert AuditEvent.objects.filter(object_id=str(run.pk), action="created", actor=client.user).exists()
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result_url == reverse("returns:report", args=[run.pk])
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f'href="{reverse("returns:report", args=[run.pk])}">See the validation report</a>' in page


def test_a_second_click_while_a_return_is_being_made_shows_the_first(signed_in, fake):
    client = signed_in("performance_analyst")
    first = client.post(reverse("returns:make"), {"kind": "cin", "cin-year": "2026"})
    before = _counts()
    second = client.post(reverse("returns:make"), {"kind": "cin", "cin-year": "2025"}, follow=True)
    assert second.redirect_chain[-1][0] == first["Location"] and _counts() == before
    assert "already being made" in second.content.decode()


@pytest.mark.parametrize("role", NOT_GENERATORS)
def test_other_roles_are_refused_and_nothing_is_stored(role, signed_in, fake):
    client = signed_in(role)
    before = _counts()
    response = client.post(reverse("returns:make"), {"kind": "cin", "cin-year": "2026"})
    assert response.status_code == 403
    assert _counts() == before
    assert fake.CALLS == []


@pytest.mark.parametrize("data, message", [
    ({}, "Choose which return to make"),
    ({"kind": "nonsense"}, "Choose which return to make"),
    ({"kind": "cin"}, "Select a collection year"),
    ({"kind": "cin", "cin-year": "1999"}, "Select a collection year from the list"),
    ({"kind": "annexa", "annexa-start_0": "1", "annexa-start_1": "12", "annexa-start_2": "2025"},
     "Enter the end of the period, or leave both dates empty"),
    ({"kind": "annexa", "annexa-start_0": "1", "annexa-start_1": "12", "annexa-start_2": "2025",
      "annexa-end_0": "1", "annexa-end_1": "11", "annexa-end_2": "2025"},
     "The end of the period must be on or after its start"),
    ({"kind": "annexa", "annexa-start_0": "31", "annexa-start_1": "2", "annexa-start_2": "2026",
      "annexa-end_0": "1", "annexa-end_1": "3", "annexa-end_2": "2026"}, "Start of the period must be a real date"),
    ({"kind": "annexa", "annexa-start_0": "1", "annexa-start_1": "1", "annexa-start_2": "2026",
      "annexa-end_0": "1", "annexa-end_1": "1", "annexa-end_2": "2099"},
     "End of the period must be today or in the past"),
    ({"kind": "annexa", "annexa-start_0": "1", "annexa-start_1": "1", "annexa-start_2": "2020",
      "annexa-end_0": "1", "annexa-end_1": "1", "annexa-end_2": "2026"}, "The period must be 2 years or shorter"),
])
def test_bad_input_shows_a_clear_error_and_stores_nothing(data, message, signed_in, fake):
    client = signed_in("performance_analyst")
    before = _counts()
    response = client.post(reverse("returns:make"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content and escape(message) in content
    assert "<title>Error:" in content
    assert _counts() == before


def test_annex_a_made_from_the_page(signed_in):
    client = signed_in("service_manager")
    response = client.post(reverse("returns:make"), {
        "kind": "annexa", "annexa-start_0": "1", "annexa-start_1": "12", "annexa-start_2": "2025",
        "annexa-end_0": "30", "annexa-end_1": "11", "annexa-end_2": "2026"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.params == {"kind": "annexa", "start": "2025-12-01", "end": "2026-11-30"}
    run_jobs()
    run = ReturnRun.objects.get()
    assert (run.kind, run.start, run.end, run.validated) == ("annexa", dt.date(2025, 12, 1), dt.date(2026, 11, 30), False)
    assert run.files.get().name == "annex_a_20251201_20261130.xlsx"
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result_url == reverse("returns:history")


def test_annex_a_with_no_dates_covers_the_12_months_to_today(signed_in):
    from django.utils import timezone

    client = signed_in("performance_analyst")
    client.post(reverse("returns:make"), {"kind": "annexa"})
    run_jobs()
    run = ReturnRun.objects.get()
    assert run.end == timezone.localdate() and (run.end - run.start).days in (364, 365)


def test_a_failed_build_is_stored_as_failed_tried_again_and_reported(signed_in, fake, settings):
    settings.OPENCSC_JOB_RETRY_SECONDS = 0  # the retries are due at once
    fake.FAIL = RuntimeError("the XSD could not be read")
    client = signed_in("performance_analyst")
    response = client.post(reverse("returns:make"), {"kind": "cin", "cin-year": "2026"}, follow=True)
    assert "is being made" in response.content.decode()
    run_jobs()
    runs = list(ReturnRun.objects.all())
    assert len(runs) == 3  # each attempt is in the history
    assert all(r.status == "failed" and "XSD" in r.failure and not r.files.exists() for r in runs)
    job = Job.objects.get()
    assert (job.state, job.attempts) == ("failed", 3)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "This job failed" in page
    assert "The Children in need census could not be made: the XSD could not be read" in page


# --- Home and history -------------------------------------------------------------------------------


def test_home_offers_each_return_to_those_who_make_them(signed_in, fake):
    content = signed_in("performance_analyst").get(reverse("returns:home")).content.decode()
    assert "Make the Children in need census" in content
    assert "Make the Ofsted Annex A lists" in content
    assert 'name="annexa-start_0"' in content  # GOV.UK date inputs
    assert "2025 to 2026 (1 April 2025 to 31 March 2026)" in content


def test_team_managers_see_reports_but_no_forms_or_files(signed_in, fake):
    run = ReturnRunFileFactory().run
    ReturnRunFactory(kind="annexa", year=None, start=dt.date(2025, 12, 1), end=dt.date(2026, 11, 30), validated=False)
    client = signed_in("team_manager")
    home = client.get(reverse("returns:home")).content.decode()
    assert "Make the" not in home
    assert reverse("returns:report", args=[run.pk]) in home
    history = client.get(reverse("returns:history")).content.decode()
    assert reverse("returns:report", args=[run.pk]) in history
    assert "cin_census_2026.xml" not in history
    assert "Ofsted Annex A" not in history  # runs without validation are not theirs to see
    assert client.get(reverse("returns:download", args=[run.pk, run.files.get().pk])).status_code == 403


def test_history_lists_runs_newest_first_with_downloads(signed_in):
    older = ReturnRunFileFactory(name="older.xml").run
    newer = ReturnRunFileFactory(name="newer.xml").run
    content = signed_in("performance_analyst").get(reverse("returns:history")).content.decode()
    assert content.index("newer.xml") < content.index("older.xml")
    assert reverse("returns:download", args=[newer.pk, newer.files.get().pk]) in content
    assert reverse("returns:download", args=[older.pk, older.files.get().pk]) in content


def test_history_when_empty(signed_in):
    assert "No returns have been made yet" in signed_in("service_manager").get(reverse("returns:history")).content.decode()


def test_download_gives_the_file_and_is_audited(signed_in):
    return_file = ReturnRunFileFactory(content=b"<Message>1</Message>")
    client = signed_in("performance_analyst")
    response = client.get(reverse("returns:download", args=[return_file.run_id, return_file.pk]))
    assert response.status_code == 200 and response.content == b"<Message>1</Message>"
    assert 'filename="cin_census_2026.xml"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(summary="Downloaded cin_census_2026.xml", actor=client.user).exists()


def test_download_of_a_file_from_another_run_is_not_found(signed_in):
    one, other = ReturnRunFileFactory(), ReturnRunFileFactory()
    client = signed_in("performance_analyst")
    assert client.get(reverse("returns:download", args=[one.run_id, other.pk])).status_code == 404


def test_nav_shows_returns_to_the_roles_that_use_it(make_user):
    from opencsc.core.navigation import items_for

    for role in Role.values:
        labels = [i["label"] for i in items_for(make_user(role=role), "/")]
        assert ("Returns" in labels) is (role in may_read_return_reports.roles), role


# --- The validation report --------------------------------------------------------------------------


@pytest.fixture
def report_run():
    from opencsc.accounts.tests.factories import TeamFactory
    from opencsc.people.tests.factories import ChildFactory

    run = ReturnRunFactory(error_count=3, query_count=1)
    north, south = TeamFactory(name="North CIN team"), TeamFactory(name="South CIN team")
    seen = ChildFactory(first_name="Aoife", last_name="O'Neill")
    hidden = ChildFactory(first_name="Secret", last_name="Child", is_restricted=True)
    ValidationIssueFactory(run=run, child=seen, team=north)
    ValidationIssueFactory(run=run, child=hidden, team=south)
    ValidationIssueFactory(run=run, rule="1103", message="The UPN is not valid", child=seen, team=north, field="UPN")
    ValidationIssueFactory(run=run, rule="2884Q", message="Check the date of death", child=None,
                           child_reference="", severity="query", team=None)
    return {"run": run, "seen": seen, "hidden": hidden, "north": north, "south": south}


def _report(client, run, **params):
    return client.get(reverse("returns:report", args=[run.pk]), params).content.decode()


def test_report_counts_issues_by_rule_with_the_rule_text(signed_in, report_run):
    content = _report(signed_in("team_manager"), report_run["run"])
    assert "Pre-submission validation report" in content
    assert "The child&#x27;s date of birth must be on or before the referral date" in content
    assert "The UPN is not valid" in content
    summary = content[content.index("Issues by rule"):content.index("</table>")]
    row_8840 = summary[summary.index(">8840<"):]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in row_8840[:1200]


def test_report_links_only_children_the_user_may_see(signed_in, report_run):
    content = _report(signed_in("team_manager"), report_run["run"])
    seen, hidden = report_run["seen"], report_run["hidden"]
    assert reverse("casework:child_record", args=[seen.pk]) in content
    assert escape(seen.full_name) in content
    assert reverse("casework:child_record", args=[hidden.pk]) not in content
    assert escape(hidden.full_name) not in content
    assert hidden.la_child_id in content  # shown as its reference, so the team knows it is there
    assert "The return as a whole" in content


def test_a_grant_on_the_restricted_child_shows_its_link(signed_in, report_run):
    from opencsc.people.models import RestrictedAccessGrant

    client = signed_in("team_manager")
    RestrictedAccessGrant.objects.create(child=report_run["hidden"], user=client.user)
    content = _report(client, report_run["run"])
    assert reverse("casework:child_record", args=[report_run["hidden"].pk]) in content


@pytest.mark.parametrize("params, expected", [
    ({}, {"8840-seen", "8840-hidden", "1103-seen", "2884Q-none"}),
    ({"rule": "8840"}, {"8840-seen", "8840-hidden"}),
    ({"severity": "query"}, {"2884Q-none"}),
    ({"severity": "error"}, {"8840-seen", "8840-hidden", "1103-seen"}),
    ({"team": "north"}, {"8840-seen", "1103-seen"}),
    ({"team": "none"}, {"2884Q-none"}),
    ({"rule": "8840", "team": "south"}, {"8840-hidden"}),
    ({"rule": "not-a-rule"}, {"8840-seen", "8840-hidden", "1103-seen", "2884Q-none"}),  # an invalid filter is ignored
])
def test_report_filters(params, expected, signed_in, report_run):
    params = {k: (str(report_run[v].pk) if k == "team" and v in ("north", "south") else v) for k, v in params.items()}
    client = signed_in("service_manager")
    response = client.get(reverse("returns:report_csv", args=[report_run["run"].pk]), params)
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Rule", "Severity", "Message", "LA child ID", "Table", "Field", "Team"]
    names = {report_run["seen"].la_child_id: "seen", report_run["hidden"].la_child_id: "hidden", "": "none"}
    assert {f"{row[0]}-{names[row[3]]}" for row in lines[1:]} == expected
    page = _report(client, report_run["run"], **params)
    assert f"{len(expected)} issue{'s' if len(expected) != 1 else ''}" in page


def test_report_pages_50_issues_at_a_time(signed_in):
    run = ReturnRunFactory()
    ValidationIssueFactory.create_batch(51, run=run, child_reference="C1")
    client = signed_in("team_manager")
    first = _report(client, run)
    assert "1 of 2" in first and "51 issues" in first
    issues_table = first[first.index('<h2 class="govuk-heading-m">Issues</h2>'):]
    assert issues_table.count('<tr class="govuk-table__row">') == 50 + 1  # the issues and the head
    assert "2 of 2" in _report(client, run, page=2)


def test_report_with_no_issues(signed_in):
    run = ReturnRunFactory()
    content = _report(signed_in("team_manager"), run)
    assert "No issues found" in content and "No issues match these filters" in content


def test_report_queries_do_not_grow_with_the_page(signed_in, django_assert_max_num_queries):
    from opencsc.people.tests.factories import ChildFactory

    run = ReturnRunFactory()
    for _ in range(30):
        ValidationIssueFactory(run=run, child=ChildFactory())
    client = signed_in("team_manager")
    with django_assert_max_num_queries(20):
        client.get(reverse("returns:report", args=[run.pk]))


def test_no_report_for_a_run_without_validation(signed_in):
    run = ReturnRunFactory(kind="annexa", year=None, validated=False)
    assert signed_in("performance_analyst").get(reverse("returns:report", args=[run.pk])).status_code == 404


@pytest.mark.parametrize("role", NOT_READERS)
def test_report_refused_to_other_roles(role, signed_in, report_run):
    client = signed_in(role)
    assert client.get(reverse("returns:report", args=[report_run["run"].pk])).status_code == 403
    assert client.get(reverse("returns:report_csv", args=[report_run["run"].pk])).status_code == 403


def test_a_team_manager_is_offered_their_own_teams_issues(signed_in, make_user, report_run):
    from django.test import Client

    client = Client()
    manager = make_user(role="team_manager", team=report_run["north"])
    client.force_login(manager)
    content = _report(client, report_run["run"])
    assert f'href="?team={report_run["north"].pk}"' in content and "Show only the issues for North CIN team" in content
    other = signed_in("team_manager")
    assert "Show only the issues for" not in _report(other, report_run["run"])
