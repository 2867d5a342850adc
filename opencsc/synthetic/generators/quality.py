"""Case audits for the synthetic authority: the authority's questions, a year of audits, moderation, actions.

Reads staff and allocations from the database. About 20 audits a month (at the default size) of children
open to a team, by the practice auditors and the service managers; grades follow what inspections find
(about half good or better). About a quarter are moderated by a second auditor, who grades the case as it
is; one auditor in three is over-optimistic and grades a step higher about half the time, so the
moderation report has something true to show. One or two actions per audit for the worker, most done and
some late or overdue; and one themed audit of children on child protection plans, half finished.
"""

from __future__ import annotations

import datetime as dt

from opencsc.accounts.models import User
from opencsc.accounts.roles import Role
from opencsc.casework.models import Allocation
from opencsc.protection.models import CPPlan
from opencsc.quality.models import (
    AuditAction,
    AuditAnswer,
    AuditQuestion,
    CaseAudit,
    Grade,
    Moderation,
    ThemedAudit,
)

from ..context import GenerationContext, bulk_create, historical_timestamps

AUDITS_PER_MONTH = 20
MONTHS = 12
MODERATED_RATE = 0.25
OPTIMISM_RATE = 0.5
GRADES = (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)
GRADE_WEIGHTS = (5, 45, 40, 10)
ACTION_DONE_RATE = 0.7
THEMED_SAMPLE = 12

QUESTIONS = (
    (AuditQuestion.Area.LIVED_EXPERIENCE, "How well does the record show what life is like for this child, day to day?",
     "Look for the child's routines, relationships and worries, in their own words where possible."),
    (AuditQuestion.Area.LIVED_EXPERIENCE, "Is the child's voice heard, and has it changed what we do?",
     "Wishes and feelings recorded, seen alone, and the plan shows what changed because of them."),
    (AuditQuestion.Area.IMPACT, "What difference has our involvement made for the child?",
     "Evidence of progress against the plan, not only activity."),
    (AuditQuestion.Area.PRACTICE, "Is the assessment analytical, with risks and strengths weighed?", ""),
    (AuditQuestion.Area.PRACTICE, "Is the plan SMART, and does the family understand it?", ""),
    (AuditQuestion.Area.OVERSIGHT, "Is management oversight and supervision on file, and does it add direction?", ""),
    (AuditQuestion.Area.COMPLIANCE, "Were statutory visits, reviews and assessments on time?", ""),
)
COMMENTS = {
    Grade.OUTSTANDING: "Exceptional: the child's experience is vivid on the file and the impact is clear.",
    Grade.GOOD: "Clear and child-focused; the difference made is evident.",
    Grade.REQUIRES_IMPROVEMENT: "Some evidence, but the child's experience is described rather than understood.",
    Grade.INADEQUATE: "Little evidence; the child is not visible in the record.",
}
SUMMARIES = (
    "She is attending school more and says home is calmer; the plan has reduced the risk.",
    "He is not seen alone often enough; his views are second-hand. Risks at home remain unclear.",
    "The family have engaged well; the child's wellbeing has improved since the plan began.",
    "Drift between reviews; the child's needs about identity and contact are not addressed.",
)
ACTIONS = (
    "See the child alone and record their views in their own words",
    "Update the assessment with an analysis of risk",
    "Make the plan's actions specific, with who and by when",
    "Record management oversight of the decision to step down",
    "Complete a chronology of significant events",
)


def _step_up(grade: str) -> str:
    index = GRADES.index(grade)
    return GRADES[max(0, index - 1)]


def generate_quality(ctx: GenerationContext) -> None:
    rng = ctx.rng("quality")
    today = ctx.today
    staff = list(User.objects.filter(role__in=(Role.AUDITOR, Role.SERVICE_MANAGER), is_active=True).order_by("pk"))
    if not staff:
        return
    author = next((u for u in staff if u.username == "auditor.demo"), staff[0])
    questions = bulk_create(AuditQuestion, [
        AuditQuestion(area=area, text=text, guidance=guidance, order=n * 10, created_by=author)
        for n, (area, text, guidance) in enumerate(QUESTIONS, start=1)
    ], ctx, "audit questions")
    optimistic = {u.pk for u in staff if rng.random() < 1 / 3} or {staff[0].pk}
    allocations = list(Allocation.objects.filter(end_date__isnull=True, worker__isnull=False)
                       .order_by("child_id", "-start_date").values_list("child_id", "team_id", "worker_id",
                                                                         "start_date"))
    holders = {}
    for child_id, team_id, worker_id, start in allocations:
        holders.setdefault(child_id, (team_id, worker_id, start))
    if not holders:
        return
    child_ids = sorted(holders)
    wanted = min(len(child_ids), ctx.scaled(AUDITS_PER_MONTH * MONTHS, minimum=4))
    chosen = rng.sample(child_ids, wanted)

    audits, truths = [], []
    for child_id in chosen:
        team_id, worker_id, start = holders[child_id]
        earliest = max(start, today - dt.timedelta(days=30 * MONTHS))
        span = max(0, (today - earliest).days)
        audited_on = earliest + dt.timedelta(days=rng.randint(0, span))
        auditor = rng.choice(staff)
        truth = rng.choices(GRADES, GRADE_WEIGHTS)[0]
        grade = _step_up(truth) if auditor.pk in optimistic and rng.random() < OPTIMISM_RATE else truth
        audits.append(CaseAudit(child_id=child_id, auditor_id=auditor.pk, team_id=team_id, worker_id=worker_id,
                                status=CaseAudit.Status.COMPLETED, audited_on=audited_on, grade=grade,
                                summary=rng.choice(SUMMARIES), created_at=ctx.at(audited_on, 11)))
        truths.append(truth)

    cp_children = list(CPPlan.objects.filter(plan__end_date__isnull=True, child_id__in=child_ids)
                       .exclude(child_id__in=chosen).order_by("child_id").values_list("child_id", flat=True).distinct())
    themed = None
    if cp_children:
        themed = ThemedAudit.objects.create(
            title="Children on child protection plans: is the child's voice heard?", cohort=ThemedAudit.Cohort.CP_PLAN,
            sample_size=min(THEMED_SAMPLE, len(cp_children)), created_by=author,
            created_on=today - dt.timedelta(days=21))
        ctx.count("themed audits", 1)
        for n, child_id in enumerate(sorted(rng.sample(cp_children, themed.sample_size))):
            team_id, worker_id, _ = holders[child_id]
            done = n % 2 == 0
            audited_on = today - dt.timedelta(days=rng.randint(1, 20)) if done else None
            truth = rng.choices(GRADES, GRADE_WEIGHTS)[0]
            audits.append(CaseAudit(child_id=child_id, themed_audit=themed, auditor_id=author.pk, team_id=team_id,
                                    worker_id=worker_id,
                                    status=CaseAudit.Status.COMPLETED if done else CaseAudit.Status.IN_PROGRESS,
                                    audited_on=audited_on, grade=truth if done else "",
                                    summary=rng.choice(SUMMARIES) if done else "",
                                    created_at=ctx.at(today - dt.timedelta(days=21), 9)))
            truths.append(truth)
    with historical_timestamps(CaseAudit, "created_at"):
        audits = bulk_create(CaseAudit, audits, ctx, "case audits")

    answers, actions, moderations = [], [], []
    for audit, truth in zip(audits, truths, strict=True):
        if audit.status != CaseAudit.Status.COMPLETED:
            continue
        for question in questions:
            answer_grade = truth if rng.random() < 0.7 else rng.choice(GRADES)
            answers.append(AuditAnswer(audit_id=audit.pk, question_id=question.pk, grade=answer_grade,
                                       comment=COMMENTS[answer_grade]))
        for _ in range(rng.randint(1, 2)):
            due = audit.audited_on + dt.timedelta(days=rng.randint(14, 42))
            completed = None
            if due <= today + dt.timedelta(days=14) and rng.random() < ACTION_DONE_RATE:
                completed = min(today, due + dt.timedelta(days=rng.randint(-10, 14)))
                completed = max(completed, audit.audited_on)
            actions.append(AuditAction(audit_id=audit.pk, action=rng.choice(ACTIONS),
                                       owner_id=audit.worker_id or audit.auditor_id, due_date=due,
                                       completed_on=completed, created_by_id=audit.auditor_id,
                                       created_at=ctx.at(audit.audited_on, 12)))
        others = [u for u in staff if u.pk != audit.auditor_id]
        if others and audit.themed_audit_id is None and rng.random() < MODERATED_RATE:
            moderated_on = min(today, audit.audited_on + dt.timedelta(days=rng.randint(3, 30)))
            moderations.append(Moderation(audit_id=audit.pk, moderator_id=rng.choice(others).pk,
                                          moderated_on=moderated_on, grade=truth,
                                          created_at=ctx.at(moderated_on, 15)))
    bulk_create(AuditAnswer, answers, ctx, "audit answers")
    with historical_timestamps(AuditAction, "created_at"):
        bulk_create(AuditAction, actions, ctx, "audit actions")
    with historical_timestamps(Moderation, "created_at"):
        bulk_create(Moderation, moderations, ctx, "moderations")
    ctx.extra["optimistic_auditors"] = sorted(optimistic)
