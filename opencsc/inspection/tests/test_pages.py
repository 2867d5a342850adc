"""The pages, through the Django test client: entering, pasting with a preview, the plan, owners, export."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from openpyxl import load_workbook

from opencsc.accounts.roles import Role
from opencsc.core.navigation import items_for
from opencsc.inspection import indicators
from opencsc.inspection.models import Action, ActionUpdate, AreaForImprovement, Inspection
from opencsc.inspection.tests.factories import (
    ActionFactory,
    ActionUpdateFactory,
    AreaFactory,
    InspectionFactory,
)
from opencsc.timescales.models import ClosureDay

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 6, 15)  # a Monday, the first working day after the plan for a report of 2 March was due


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year} if day else {
        f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}


def test_a_service_manager_enters_an_inspection_and_pastes_its_areas(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    response = client.post(reverse("inspection:add"), {
        "kind": "ilacs_standard", **date_fields("started_on", D(2026, 1, 12)), **date_fields("ended_on", D(2026, 1, 23)),
        **date_fields("report_received_on", D(2026, 3, 2)), **date_fields("published_on", None),
        "overall_judgement": "requires_improvement", "leaders_judgement": "requires_improvement",
        "help_and_protection_judgement": "inadequate", "children_in_care_judgement": "good",
        "care_leavers_judgement": "", "report_url": "https://reports.ofsted.gov.uk/provider/44/80503"})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspection:detail", args=[inspection.pk])
    assert inspection.help_and_protection_judgement == "inadequate"

    url = reverse("inspection:areas_paste", args=[inspection.pk])
    text = "What needs to improve\n\n- The timeliness of responses to referrals.\n- Partner engagement in strategy\n" \
           "discussions.\n"
    preview = client.post(url, {"text": text, "preview": "1"})
    assert preview.status_code == 200
    assert not AreaForImprovement.objects.exists()  # a preview saves nothing
    assert b"2 areas for improvement" in preview.content
    assert b"Partner engagement in strategy discussions." in preview.content
    assert b"Left out as headings" in preview.content
    assert escape(text.strip()).encode() in preview.content  # the pasted text is kept in the box
    saved = client.post(url, {"text": text, "save": "1", "is_priority_action": "on"})
    assert saved.status_code == 302
    assert list(AreaForImprovement.objects.values_list("order", "text", "is_priority_action")) == [
        (1, "The timeliness of responses to referrals.", True),
        (2, "Partner engagement in strategy discussions.", True)]


@pytest.mark.parametrize("text", ["", "   \n\n", "Areas for improvement"])
def test_pasting_nothing_usable_shows_an_error_and_keeps_the_text(signed_in, text):
    client = signed_in(Role.ADMINISTRATOR)
    inspection = InspectionFactory()
    for button in ("preview", "save"):
        response = client.post(reverse("inspection:areas_paste", args=[inspection.pk]), {"text": text, button: "1"})
        assert response.status_code == 200
        assert b"Paste at least one area for improvement" in response.content
        assert b"govuk-error-summary" in response.content
        assert escape(text.strip()).encode() in response.content
    assert not AreaForImprovement.objects.exists()


def test_a_bad_inspection_form_keeps_what_was_typed(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    response = client.post(reverse("inspection:add"), {
        "kind": "focused_visit", **date_fields("started_on", D(2026, 1, 12)), **date_fields("ended_on", D(2026, 1, 5)),
        "overall_judgement": "good", "report_url": "https://example.org/report"})
    assert response.status_code == 200
    assert b"The last day must be on or after the first day" in response.content
    assert b"Only ILACS inspections give judgements" in response.content
    assert b'value="https://example.org/report"' in response.content
    assert not Inspection.objects.exists()


def test_the_plan_page_shows_the_deadline_areas_indicators_and_actions_with_rag(signed_in, monkeypatch, make_user):
    monkeypatch.setattr(indicators, "known_indicators", lambda: {"assessments_45wd": "Assessments in 45 working days",
                                                                 "cp_visits_in_time": "CP visits in time"})
    monkeypatch.setattr(indicators, "reverse", lambda name, args: f"/performance/indicators/{args[0]}/")
    inspection = InspectionFactory(report_received_on=D(2026, 3, 2))
    area = AreaFactory(inspection=inspection, text="The timeliness and quality of assessments",
                       indicator_keys=["assessments_45wd"], is_priority_action=True)
    owner = make_user(Role.TEAM_MANAGER, first_name="Aoife", last_name="O'Neill")
    ActionFactory(area=area, description="Weekly tracker", owner=owner, due_on=D(2026, 6, 12))
    ActionFactory(area=area, description="Audit ten assessments", owner=owner, due_on=D(2026, 6, 29))
    ActionFactory(area=area, description="Training", owner=owner, due_on=D(2026, 9, 1))
    AreaFactory(inspection=inspection, text="Partner engagement in strategy discussions")
    response = signed_in(Role.AUDITOR).get(reverse("inspection:detail", args=[inspection.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The action plan was due on 12 Jun 2026 and has not been sent to Ofsted (1 working day overdue)" in html
    assert '<a class="govuk-link" href="/performance/indicators/assessments_45wd/">Assessments in 45 working days</a>' \
        in html
    assert "none linked" in html
    assert "Priority action" in html
    assert escape("Aoife O'Neill") in html
    assert "3 actions: 1 overdue, 1 due soon, 1 on track, 0 done." in html
    assert "Add an action" not in html and "Change the inspection" not in html  # auditors read only


def test_sending_the_plan_stops_the_clock_on_the_page(signed_in):
    inspection = InspectionFactory(report_received_on=D(2026, 3, 2))
    client = signed_in(Role.SERVICE_MANAGER)
    response = client.post(reverse("inspection:edit", args=[inspection.pk]), {
        "version": 1, "kind": "ilacs_standard", **date_fields("started_on", inspection.started_on),
        **date_fields("ended_on", inspection.ended_on), **date_fields("report_received_on", D(2026, 3, 2)),
        **date_fields("published_on", None), **date_fields("plan_submitted_on", D(2026, 6, 10)),
        "overall_judgement": "requires_improvement"})
    assert response.status_code == 302
    html = client.get(reverse("inspection:detail", args=[inspection.pk])).content.decode()
    assert "Sent to Ofsted on 10 Jun 2026" in html and "Done on time" in html
    assert "has not been sent" not in html


def test_days_left_before_the_deadline_whatever_the_authority_closes(signed_in, monkeypatch):
    """Ofsted's 70 working days are national ones: the authority's closure days do not move the deadline."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: D(2026, 12, 1))
    inspection = InspectionFactory(report_received_on=D(2026, 11, 2))
    client = signed_in(Role.PERFORMANCE_ANALYST)
    html = client.get(reverse("inspection:detail", args=[inspection.pk])).content.decode()
    assert "11 Feb 2027" in html and "49 working days left." in html
    for day in (D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)):
        ClosureDay.objects.create(date=day, reason="Christmas closure")
    html = client.get(reverse("inspection:detail", args=[inspection.pk])).content.decode()
    assert "11 Feb 2027" in html and "49 working days left." in html


def test_the_list_shows_each_inspection_with_its_counts_and_deadline(signed_in):
    inspection = InspectionFactory(report_received_on=D(2026, 3, 2))
    area = AreaFactory(inspection=inspection)
    ActionFactory(area=area, due_on=D(2026, 6, 1))
    ActionFactory(area=area, due_on=D(2026, 6, 1), status="done", completed_on=D(2026, 5, 30))
    InspectionFactory(kind="monitoring_visit", started_on=D(2025, 5, 1), ended_on=D(2025, 5, 2),
                      report_received_on=None, overall_judgement="")
    response = signed_in(Role.TEAM_MANAGER).get(reverse("inspection:list"))
    html = response.content.decode()
    assert "2 inspections" in html
    assert "Due 12 Jun 2026" in html and "Overdue" in html
    assert "No action plan deadline" in html
    row = html[html.index("ILACS standard inspection"):html.index("Monitoring visit")]
    assert [c.split(">")[-1] for c in row.split("</td>")[2:5]] == ["1", "2", "1"]


def test_empty_states(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    assert b"No inspections have been entered yet." in client.get(reverse("inspection:list")).content
    assert b"No actions are overdue." in client.get(reverse("inspection:overdue")).content
    assert b"You have no actions still to do." in client.get(reverse("inspection:my_actions")).content
    inspection = InspectionFactory()
    assert b"No areas for improvement have been entered yet." in client.get(
        reverse("inspection:detail", args=[inspection.pk])).content


def test_an_owner_sees_and_updates_their_own_actions_only(signed_in, make_user):
    client = signed_in(Role.SOCIAL_WORKER)
    mine = ActionFactory(owner=client.user, description="Run the referral tracker", due_on=D(2026, 6, 1))
    done = ActionFactory(owner=client.user, description="Finished work", status="done", completed_on=D(2026, 5, 1))
    theirs = ActionFactory(description="Someone else's action")
    page = client.get(reverse("inspection:my_actions")).content.decode()
    assert "Run the referral tracker" in page and "Someone else" not in page and "Finished work" not in page
    assert "Finished work" in client.get(reverse("inspection:my_actions") + "?show=all").content.decode()
    assert client.get(reverse("inspection:action", args=[mine.pk])).status_code == 200
    assert client.get(reverse("inspection:action", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("inspection:detail", args=[mine.area.inspection_id])).status_code == 403

    response = client.post(reverse("inspection:action_update", args=[mine.pk]), {
        "version": 1, "note": "Tracker reviewed weekly at the duty meeting", "status": "done",
        "evidence_of_impact": "Referrals decided in 1 working day: 78% to 93%", **date_fields("completed_on", TODAY)})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.completed_on, mine.version) == ("done", TODAY, 2)
    page = client.get(reverse("inspection:action", args=[mine.pk])).content.decode()
    assert "Tracker reviewed weekly at the duty meeting" in page and "Done late" in page

    before = (ActionUpdate.objects.count(), Action.objects.filter(pk=theirs.pk).values().get())
    response = client.post(reverse("inspection:action_update", args=[theirs.pk]), {
        "version": 1, "note": "Not mine", "status": "done", **date_fields("completed_on", TODAY)})
    assert response.status_code == 403
    assert (ActionUpdate.objects.count(), Action.objects.filter(pk=theirs.pk).values().get()) == before
    assert done.status == "done"


def test_a_stale_progress_form_keeps_what_was_typed(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    action = ActionFactory()
    Action.objects.filter(pk=action.pk).update(version=2)
    response = client.post(reverse("inspection:action_update", args=[action.pk]), {
        "version": 1, "note": "My careful update", "status": "in_progress", **date_fields("completed_on", None)})
    assert response.status_code == 200
    assert b"Someone else changed this record" in response.content
    assert b"My careful update" in response.content
    assert not ActionUpdate.objects.exists()


def test_a_manager_adds_and_changes_an_action(signed_in, make_user):
    client = signed_in(Role.TEAM_MANAGER)
    area = AreaFactory()
    owner = make_user(Role.SENIOR_PRACTITIONER)
    url = reverse("inspection:action_add", args=[area.inspection_id, area.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"description": "Dip sample ten strategy discussions a month", "owner": owner.pk,
                                 **date_fields("due_on", D(2026, 9, 30))})
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.owner, action.due_on, action.created_by) == (owner, D(2026, 9, 30), client.user)
    response = client.post(reverse("inspection:action_edit", args=[action.pk]), {
        "version": 1, "description": action.description, "owner": owner.pk, **date_fields("due_on", D(2026, 10, 30))})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.due_on, action.version) == (D(2026, 10, 30), 2)


def test_the_overdue_list(signed_in):
    late = ActionFactory(description="Late action", due_on=D(2026, 6, 14))
    ActionFactory(description="Due today", due_on=TODAY)
    ActionFactory(description="Done late", due_on=D(2026, 6, 1), status="done", completed_on=D(2026, 6, 3))
    html = signed_in(Role.AUDITOR).get(reverse("inspection:overdue")).content.decode()
    assert "Late action" in html and "Due today" not in html and "Done late" not in html
    assert late.owner.get_full_name() in html or escape(late.owner.get_full_name()) in html


def test_editing_an_area_links_indicators(signed_in, monkeypatch):
    monkeypatch.setattr(indicators, "known_indicators", lambda: {"assessments_45wd": "Assessments in 45 working days",
                                                                 "icpc_15wd": "ICPCs in 15 working days"})
    area = AreaFactory(text="Assessments")
    client = signed_in(Role.SERVICE_MANAGER)
    url = reverse("inspection:area_edit", args=[area.inspection_id, area.pk])
    assert b"ICPCs in 15 working days" in client.get(url).content
    response = client.post(url, {"version": 1, "text": "Assessments", "order": 1,
                                 "indicator_keys": ["icpc_15wd", "assessments_45wd"]})
    assert response.status_code == 302
    area.refresh_from_db()
    assert set(area.indicator_keys) == {"icpc_15wd", "assessments_45wd"}


def test_before_the_performance_definitions_exist_keys_are_typed_and_shown_without_links(signed_in, monkeypatch):
    monkeypatch.setattr(indicators, "known_indicators", lambda: None)

    def no_url(name, args):
        raise NoReverseMatch(name)

    monkeypatch.setattr(indicators, "reverse", no_url)
    area = AreaFactory(text="Visits")
    client = signed_in(Role.SERVICE_MANAGER)
    url = reverse("inspection:area_edit", args=[area.inspection_id, area.pk])
    response = client.post(url, {"version": 1, "text": "Visits", "order": 1,
                                 "indicator_keys": "cp_visits_in_time, cin_visits_in_time"})
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.indicator_keys == ["cp_visits_in_time", "cin_visits_in_time"]
    assert b'value="cp_visits_in_time, cin_visits_in_time"' in client.get(url).content
    html = client.get(reverse("inspection:detail", args=[area.inspection_id])).content.decode()
    assert "Performance indicators:\n  cp_visits_in_time, cin_visits_in_time" in html


def test_export_the_plan_as_a_spreadsheet(signed_in, make_user, monkeypatch):
    monkeypatch.setattr(indicators, "known_indicators", lambda: {"average_caseload": "Average caseload"})
    inspection = InspectionFactory(report_received_on=D(2026, 3, 2))
    area = AreaFactory(inspection=inspection, order=1, text="Management oversight", is_priority_action=True,
                       indicator_keys=["average_caseload"])
    owner = make_user(Role.TEAM_MANAGER, first_name="Sam", last_name="Patel")
    action = ActionFactory(area=area, description="Monthly supervision audit", owner=owner, due_on=D(2026, 6, 1))
    ActionUpdateFactory(action=action, note="First audit done")
    AreaFactory(inspection=inspection, order=2, text="Partner engagement")
    response = signed_in(Role.PERFORMANCE_ANALYST).get(reverse("inspection:export", args=[inspection.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="action-plan-ilacs-standard-2026-01-12.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["Action plan"]
    rows = [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]
    assert ("Action plan due", "12 Jun 2026") == rows[4][:2]
    header = rows.index(next(r for r in rows if r[0] == "No."))
    assert rows[header + 1][:6] == (1, "Management oversight", "Yes", "Average caseload", "Monthly supervision audit",
                                    "Sam Patel")
    assert (rows[header + 1][6].date(), rows[header + 1][7]) == (D(2026, 6, 1), "Overdue")
    assert rows[header + 1][8] == "First audit done"
    assert rows[header + 2][:5] == (2, "Partner engagement", "No", None, "No actions yet")


def test_text_that_looks_like_a_formula_is_exported_as_text(signed_in):
    area = AreaFactory(text='=HYPERLINK("http://example.org","Click")')
    response = signed_in(Role.AUDITOR).get(reverse("inspection:export", args=[area.inspection_id]))
    sheet = load_workbook(io.BytesIO(response.content))["Action plan"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == area.text)
    assert cell.data_type == "s"


def test_the_plan_page_runs_the_same_queries_however_long_the_plan(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    inspection = InspectionFactory()
    ActionUpdateFactory(action=ActionFactory(area=AreaFactory(inspection=inspection)))
    url = reverse("inspection:detail", args=[inspection.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(5):
        area = AreaFactory(inspection=inspection)
        for _ in range(3):
            ActionUpdateFactory(action=ActionFactory(area=area))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


@pytest.mark.parametrize("role, labels", [
    (Role.SERVICE_MANAGER, {"Inspection"}),
    (Role.AUDITOR, {"Inspection"}),
    (Role.SOCIAL_WORKER, {"Inspection actions"}),
    (Role.PARTNER, set()),
])
def test_navigation(make_user, role, labels):
    found = {i["label"] for i in items_for(make_user(role), "/") if i["label"].startswith("Inspection")}
    assert found == labels


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.AUDITOR, Role.SOCIAL_WORKER])
def test_refused_page_posts_change_nothing(signed_in, role):
    client = signed_in(role)
    area = AreaFactory()
    before = (Inspection.objects.values().get(), AreaForImprovement.objects.values().get())
    assert client.post(reverse("inspection:areas_paste", args=[area.inspection_id]),
                       {"text": "- New", "save": "1"}).status_code == 403
    assert client.post(reverse("inspection:area_remove", args=[area.inspection_id, area.pk])).status_code == 403
    assert client.post(reverse("inspection:edit", args=[area.inspection_id]), {"version": 1}).status_code == 403
    assert (Inspection.objects.values().get(), AreaForImprovement.objects.values().get()) == before
