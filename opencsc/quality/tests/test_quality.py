"""Case audits, moderation, themed audits and the practice-quality dashboard."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.casework.tests.factories import AllocationFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.quality import selectors, services
from opencsc.quality.models import AuditAction, AuditAnswer, CaseAudit, Grade, Moderation, ThemedAudit
from opencsc.quality.tests.factories import (
    AuditActionFactory,
    AuditQuestionFactory,
    CaseAuditFactory,
    CompletedAuditFactory,
    ModerationFactory,
)

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def questions():
    return [AuditQuestionFactory(area="lived_experience"), AuditQuestionFactory(area="impact")]


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDITOR)


def test_an_audit_through_the_pages_records_answers_grade_and_actions(signed_in, questions, make_user):
    team = TeamFactory(name="Assessment team")
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    child = ChildFactory()
    AllocationFactory(child=child, team=team, worker=worker, start_date=days_ago(30))
    client = signed_in(Role.AUDITOR)
    assert client.post(reverse("quality:audit_start", args=[child.pk])).status_code == 302
    audit = CaseAudit.objects.get(child=child)
    assert (audit.team, audit.worker) == (team, worker)
    data = {"version": 1, f"q{questions[0].pk}": "Her views are quoted", f"q{questions[0].pk}_grade": "good",
            f"q{questions[1].pk}": "School attendance up", "summary": "She is safer and says so",
            "grade": "good", **date_fields("audited_on", days_ago(1)),
            "action_1": "Update the chronology", "owner_1": worker.pk, **date_fields("due_1", days_ago(-14))}
    response = client.post(reverse("quality:audit_complete", args=[child.pk, audit.pk]), data)
    assert response.status_code == 302
    audit.refresh_from_db()
    assert (audit.status, audit.grade, audit.version) == ("completed", "good", 2)
    assert AuditAnswer.objects.filter(audit=audit).count() == 2
    assert AuditAction.objects.get(audit=audit).owner == worker
    page = client.get(reverse("quality:audit_detail", args=[child.pk, audit.pk])).content.decode()
    assert "She is safer and says so" in page and "Update the chronology" in page


def test_an_audit_without_every_answer_is_refused_and_nothing_changes(auditor, questions):
    audit = CaseAuditFactory(auditor=auditor)
    with pytest.raises(ValidationError) as error:
        services.audit_complete(actor=auditor, audit=audit, expected_version=1, audited_on=days_ago(1), grade="good",
                                summary="Safer", answers={questions[0].pk: {"comment": "Yes"}})
    assert error.value.message_dict[f"q{questions[1].pk}"] == ["Answer question 2"]
    audit.refresh_from_db()
    assert audit.status == "in_progress" and not AuditAnswer.objects.exists()


@pytest.mark.parametrize("field, values, message", [
    ("grade", {"grade": ""}, "Select the overall grade"),
    ("summary", {"summary": " "}, "Describe what life is like for the child"),
    ("audited_on", {"audited_on": None}, "Enter the date of the audit"),
])
def test_an_audit_needs_a_grade_the_childs_experience_and_a_date(auditor, questions, field, values, message):
    audit = CaseAuditFactory(auditor=auditor)
    answers = {q.pk: {"comment": "Answered"} for q in questions}
    kwargs = {"audited_on": days_ago(1), "grade": "good", "summary": "Safer", **values}
    with pytest.raises(ValidationError) as error:
        services.audit_complete(actor=auditor, audit=audit, expected_version=1, answers=answers, **kwargs)
    assert message in error.value.message_dict[field][0]
    assert CaseAudit.objects.get().status == "in_progress"


def test_a_second_audit_in_progress_is_refused(auditor, questions):
    child = ChildFactory()
    services.audit_start(actor=auditor, child=child)
    with pytest.raises(ValidationError):
        services.audit_start(actor=auditor, child=child)
    assert CaseAudit.objects.count() == 1


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PERFORMANCE_ANALYST, Role.IRO])
def test_only_auditors_and_managers_audit(make_user, questions, role):
    with pytest.raises(PermissionDenied):
        services.audit_start(actor=make_user(role), child=ChildFactory())
    assert not CaseAudit.objects.exists()


def test_nobody_moderates_their_own_audit(auditor):
    audit = CompletedAuditFactory(auditor=auditor)
    with pytest.raises(ValidationError) as error:
        services.moderation_record(actor=auditor, audit=audit, moderated_on=days_ago(1), grade="good")
    assert error.value.message_dict["grade"] == ["You cannot moderate your own audit"]
    assert not Moderation.objects.exists()


def test_an_audit_in_progress_cannot_be_moderated(make_user):
    audit = CaseAuditFactory()
    with pytest.raises(ValidationError):
        services.moderation_record(actor=make_user(Role.AUDITOR), audit=audit, moderated_on=days_ago(1), grade="good")
    assert not Moderation.objects.exists()


@pytest.mark.parametrize("auditor_grade, moderator_grade, column", [
    (Grade.OUTSTANDING, Grade.GOOD, "higher"),
    (Grade.GOOD, Grade.INADEQUATE, "higher"),
    (Grade.GOOD, Grade.GOOD, "same"),
    (Grade.REQUIRES_IMPROVEMENT, Grade.GOOD, "lower"),
    (Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, "lower"),
])
def test_the_moderation_report_shows_who_grades_higher_than_the_moderator(
        make_user, auditor, auditor_grade, moderator_grade, column):
    ModerationFactory(audit=CompletedAuditFactory(auditor=auditor, grade=auditor_grade), grade=moderator_grade)
    [row] = selectors.moderation_report(user=make_user(Role.SERVICE_MANAGER))
    assert (row.moderated, getattr(row, column)) == (1, 1)
    assert row.higher_percent == (100 if column == "higher" else 0)


def test_the_report_percentage_over_several_audits(make_user, auditor):
    for mine, theirs in [("good", "requires_improvement"), ("good", "good"), ("outstanding", "good"),
                         ("good", "good")]:
        ModerationFactory(audit=CompletedAuditFactory(auditor=auditor, grade=mine), grade=theirs)
    [row] = selectors.moderation_report(user=make_user(Role.AUDITOR))
    assert (row.moderated, row.higher, row.same, row.higher_percent) == (4, 2, 2, 50)


def test_a_themed_audit_samples_the_cohort_leaving_out_restricted_and_busy_children(auditor, questions, make_user):
    team = TeamFactory(name="Assessment team")
    in_team = [ChildFactory() for _ in range(5)]
    for child in in_team:
        AllocationFactory(child=child, team=team, start_date=days_ago(10))
    restricted = ChildFactory(is_restricted=True)
    AllocationFactory(child=restricted, team=team, start_date=days_ago(10))
    CaseAuditFactory(child=in_team[0])  # already being audited
    AllocationFactory(child=ChildFactory(), start_date=days_ago(10))  # another team
    themed = services.themed_audit_create(actor=auditor, title="Allocated children", cohort_kind="allocated",
                                          team=team, sample_size=10, seed=1)
    sampled = set(themed.audits.values_list("child_id", flat=True))
    assert sampled == {c.pk for c in in_team[1:]}


def test_a_themed_audit_takes_only_the_sample_size(auditor, questions):
    children = [ChildFactory() for _ in range(6)]
    for child in children:
        AllocationFactory(child=child, start_date=days_ago(10))
    themed = services.themed_audit_create(actor=auditor, title="Sample", cohort_kind="allocated", sample_size=4, seed=3)
    assert themed.audits.count() == 4 and themed.audits.filter(status="in_progress", auditor=auditor).count() == 4


def test_an_empty_cohort_is_refused(auditor, questions):
    with pytest.raises(ValidationError) as error:
        services.themed_audit_create(actor=auditor, title="CP", cohort_kind="cp_plan", sample_size=4)
    assert "no children in this cohort" in error.value.message_dict["cohort"][0]
    assert not ThemedAudit.objects.exists()


def test_the_dashboard_counts_grades_by_team_and_quarter_and_action_completion(signed_in):
    team = TeamFactory(name="Assessment team")
    today = timezone.localdate()
    for grade in ("good", "good", "inadequate"):
        CompletedAuditFactory(team=team, grade=grade, audited_on=today)
    late = AuditActionFactory(audit=CompletedAuditFactory(team=team, grade="outstanding", audited_on=today),
                              due_date=days_ago(5))
    AuditActionFactory(due_date=days_ago(5), completed_on=days_ago(6))
    client = signed_in(Role.SERVICE_MANAGER)
    context = client.get(reverse("quality:dashboard")).context
    [row] = [t for t in context["teams"] if t["name"] == "Assessment team"]
    current = row["cells"][-1]
    assert (current.total, current.good_or_better) == (4, 3)
    assert (context["actions"]["total"], context["actions"]["completed"], context["actions"]["overdue"]) == (2, 1, 1)
    drill = client.get(reverse("quality:audits"), {"team": team.pk, "grade": "good"}).context["page_obj"]
    assert drill.paginator.count == 2
    assert late.completed_on is None


def test_marking_an_action_done(signed_in):
    client = signed_in(Role.TEAM_MANAGER)
    action = AuditActionFactory()
    child_id = action.audit.child_id
    assert client.post(reverse("quality:action_complete", args=[child_id, action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()
    client.post(reverse("quality:action_complete", args=[child_id, action.pk]))
    assert AuditAction.objects.get().completed_on == timezone.localdate()


def test_a_worker_marks_their_own_action_done_and_no_one_elses(signed_in):
    client = signed_in(Role.SOCIAL_WORKER)
    theirs = AuditActionFactory()
    child_id = theirs.audit.child_id
    assert client.post(reverse("quality:action_complete", args=[child_id, theirs.pk])).status_code == 403
    assert AuditAction.objects.get(pk=theirs.pk).completed_on is None
    mine = AuditActionFactory(owner=client.user, audit=theirs.audit)
    assert client.post(reverse("quality:action_complete", args=[child_id, mine.pk])).status_code == 302
    assert AuditAction.objects.get(pk=mine.pk).completed_on == timezone.localdate()


def test_questions_are_data_the_authority_edits(signed_in):
    client = signed_in(Role.AUDITOR)
    response = client.post(reverse("quality:question_add"), {
        "area": "lived_experience", "text": "Is the child's voice heard?", "guidance": "", "order": 1})
    assert response.status_code == 302
    from opencsc.quality.models import AuditQuestion

    question = AuditQuestion.objects.get()
    response = client.post(reverse("quality:question_edit", args=[question.pk]), {
        "version": 1, "area": "lived_experience", "text": "Is the child's voice heard?", "order": 1})
    question.refresh_from_db()
    assert question.is_active is False and question.version == 2


def test_a_completed_audit_and_its_moderation_appear_in_the_childs_chronology(signed_in):
    moderation = ModerationFactory(audit=CompletedAuditFactory(grade="good"), grade="inadequate")
    CaseAuditFactory(child=moderation.audit.child)  # in progress: not in the chronology
    client = signed_in(Role.SOCIAL_WORKER)
    page = client.get(reverse("casework:chronology", args=[moderation.audit.child_id])).content.decode()
    assert page.count('id="entry-case_audit-') == 1  # one entry (its title is also in its analysis link)
    assert "Case audit: good (moderated: inadequate)" in page


def test_an_incomplete_audit_form_shows_the_errors_and_saves_nothing(signed_in, questions):
    client = signed_in(Role.AUDITOR)
    audit = CaseAuditFactory(auditor=client.user)
    data = {"version": 1, f"q{questions[0].pk}": "Her views are quoted", "summary": "", "grade": "good",
            **date_fields("audited_on", days_ago(1))}
    response = client.post(reverse("quality:audit_complete", args=[audit.child_id, audit.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Answer question 2" in html and "Describe what life is like for the child" in html
    audit.refresh_from_db()
    assert audit.status == "in_progress" and not AuditAnswer.objects.exists()


def test_the_dashboard_runs_the_same_queries_for_more_audits(signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(Role.SERVICE_MANAGER)
    CompletedAuditFactory(team=TeamFactory(name="Team A"), audited_on=timezone.localdate())
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("quality:dashboard"))
    for n in range(5):
        AuditActionFactory(audit=CompletedAuditFactory(team=TeamFactory(name=f"Team {n}"),
                                                       audited_on=timezone.localdate()))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("quality:dashboard"))
    assert len(many) == len(few)
