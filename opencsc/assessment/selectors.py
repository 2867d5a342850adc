"""Reads for episodes of need, always through the access selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.casework.models import Allocation, PlanAction
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.core.work import WorkItem
from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.timescales.authority import timescale as authority_timescale
from opencsc.timescales.core import RED, Timescale

from . import rules
from .models import Assessment, CINEpisode, CINPlan

RAG_LABELS = {
    "green": ("On track", "govuk-tag--green"),
    "amber": ("Due soon", "govuk-tag--yellow"),
    "red": ("Overdue", "govuk-tag--red"),
    "done": ("Authorised in time", "govuk-tag--green"),
    "done_late": ("Authorised late", "govuk-tag--orange"),
}


def episodes_for(*, user, child: Child) -> QuerySet[CINEpisode]:
    """The child's episodes of need, newest first (empty if the user cannot see the child)."""
    return (
        CINEpisode.objects.filter(child__in=children_for(user), child=child)
        .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.order_by("-start_date", "-id")))
        .order_by("-referral_date", "-id")
    )


def episode_for(*, user, child: Child, episode_id) -> CINEpisode:
    try:
        return (
            CINEpisode.objects.filter(child__in=children_for(user), child=child)
            .select_related("child", "created_by")
            .get(pk=int(episode_id))
        )
    except (CINEpisode.DoesNotExist, ValueError, TypeError):
        raise Http404("No episode found") from None


def open_episode_for(child: Child) -> CINEpisode | None:
    """The child's open episode of need, if any (at most one: a database constraint).

    For services and other selectors: the caller has already fetched the child through
    `people.access.child_for`, so this does not check access again.
    """
    return CINEpisode.objects.filter(child=child, closure_date__isnull=True).order_by("-referral_date", "-id").first()


def open_assessment(episode: CINEpisode) -> Assessment | None:
    return episode.assessments.filter(completed_date__isnull=True).order_by("-start_date", "-id").first()


@dataclass(frozen=True)
class AssessmentTimeliness:
    due: object
    working_days: int
    rag: str
    label: str
    tag_class: str
    overdue_text: str = ""  # "3 working days overdue" (the due lists' counting), while overdue


def assessment_timescale() -> Timescale:
    """The assessment rule with the authority's settings and the calendar it counts in (one query)."""
    return authority_timescale(rules.ASSESSMENT_RULE)


def assessment_timeliness(episode: CINEpisode, assessment: Assessment, today=None,
                          timescale: Timescale | None = None) -> AssessmentTimeliness:
    """Due date and verdict from the one engine (``timescales.authority.timescale``), as every view shows them."""
    today = today or timezone.localdate()
    timescale = timescale or assessment_timescale()
    end = assessment.completed_date or today
    verdict = timescale.verdict(episode.referral_date, today, assessment.completed_date)
    label, tag = RAG_LABELS.get(verdict.rag, (verdict.rag, ""))
    return AssessmentTimeliness(
        due=verdict.due,
        working_days=rules.assessment_working_days(episode.referral_date, end, timescale),
        rag=verdict.rag,
        label=label,
        tag_class=tag,
        overdue_text=verdict.overdue_text,
    )


def episode_detail(*, user, child: Child, episode_id) -> dict:
    """Everything the episode page shows, in a bounded number of queries."""
    episode = episode_for(user=user, child=child, episode_id=episode_id)
    assessments = list(
        episode.assessments.select_related("authorised_by", "created_by", "submitted_by", "returned_by",
                                           "child_seen_visit__visitor", "child_seen_alone_visit__visitor")
        .order_by("-start_date", "-id")
    )
    timescale = assessment_timescale() if assessments else None
    rows = [{"assessment": a, "timeliness": assessment_timeliness(episode, a, timescale=timescale)}
            for a in assessments]
    plans = list(
        CINPlan.objects.filter(episode=episode).select_related("plan").prefetch_related("plan__actions")
        .order_by("-plan__start_date", "-id")
    )
    open_plan = next((p for p in plans if p.plan.end_date is None), None)
    return {
        "episode": episode,
        "assessments": rows,
        "open_assessment": next((a for a in assessments if a.completed_date is None), None),
        "authorised": [a for a in assessments if a.completed_date is not None],
        "cin_plans": plans,
        "open_cin_plan": open_plan,
        # Started by an assessment's outcome and not written yet (no actions): the worker writes it.
        "open_cin_plan_unwritten": open_plan is not None and not open_plan.plan.actions.all(),
    }


# --- Work queues (work.py): what a manager must authorise, what a worker must act on ----------------------


def _subject(child: Child) -> str:
    return f"{child.full_name} ({child.la_child_id})"


def _assessment_clock(episode: CINEpisode, timescale: Timescale, today) -> tuple:
    """The assessment's due date and its text, from the engine: (due, due_text, overdue)."""
    verdict = timescale.verdict(episode.referral_date, today)
    if verdict.rag == RED:
        return verdict.due, f"Due {govuk_date(verdict.due)}, {verdict.overdue_text}", True
    return verdict.due, f"Due {govuk_date(verdict.due)}", False


def awaiting_authorisation(user) -> QuerySet[Assessment]:
    """Submitted assessments this manager may authorise: those submitted by a worker in a team they manage
    (a team manager), or any (a service manager); only for children they may see. Oldest first."""
    qs = (Assessment.objects.filter(completed_date__isnull=True, submitted_at__isnull=False,
                                    episode__child__in=children_for(user))
          .select_related("episode__child", "submitted_by").order_by("submitted_at", "id"))
    if user.role == Role.SERVICE_MANAGER:
        return qs
    if user.role == Role.TEAM_MANAGER:
        mine = Q(submitted_by__team__manager=user)
        if user.team_id is not None:
            mine |= Q(submitted_by__team_id=user.team_id)
        return qs.filter(mine)
    return qs.none()


def returned_to(user) -> QuerySet[Assessment]:
    """Assessments returned to the worker who submitted them, not yet submitted again. Oldest first."""
    return (Assessment.objects.filter(completed_date__isnull=True, submitted_at__isnull=True,
                                      returned_at__isnull=False, submitted_by=user,
                                      episode__child__in=children_for(user))
            .select_related("episode__child", "returned_by").order_by("returned_at", "id"))


def _items(rows, user, *, label, url_name, since, detail) -> list[WorkItem]:
    rows = list(rows)
    if not rows:
        return []
    timescale, today = assessment_timescale(), timezone.localdate()
    items = []
    for a in rows:
        child = a.episode.child
        due, due_text, overdue = _assessment_clock(a.episode, timescale, today)
        items.append(WorkItem(
            label=label, url=reverse(url_name, args=[child.pk, a.episode_id]), subject=_subject(child),
            since=since(a), due=due, due_text=due_text, overdue=overdue, detail=detail(a)))
    return items


def awaiting_authorisation_items(user) -> list[WorkItem]:
    return _items(awaiting_authorisation(user), user, label="Authorise the assessment",
                  url_name="assessment:assessment_authorise", since=lambda a: a.submitted_at,
                  detail=lambda a: f"Submitted by {a.submitted_by.display_name}" if a.submitted_by else "")


def returned_items(user) -> list[WorkItem]:
    return _items(returned_to(user), user, label="Change the assessment and submit it again",
                  url_name="assessment:episode_detail", since=lambda a: a.returned_at,
                  detail=lambda a: (f"Returned by {a.returned_by.display_name}: " if a.returned_by else "Returned: ")
                  + a.return_reason[:120])


def _allocated_to(user) -> QuerySet[Child]:
    allocated = Allocation.objects.filter(child=OuterRef("pk"), worker=user, end_date__isnull=True)
    return children_for(user).filter(Exists(allocated))


CLOSE_LABELS = {
    Assessment.Outcome.NFA: "Close the episode: no further action after the assessment",
    Assessment.Outcome.EARLY_HELP: "Close the episode and step down to early help",
}


def next_steps_items(user) -> list[WorkItem]:
    """The next steps of authorised assessments for the children allocated to this worker that no rule
    has a clock for: the child in need plan to write (with its first meeting's due date, from the engine),
    and the episode to close after no further action or a step down to early help. The plan's meetings
    and visits, and a strategy discussion, are clocks: they are in the worker's due list."""
    children = _allocated_to(user)
    items = []
    plans = list(CINPlan.objects.filter(episode__child__in=children, episode__closure_date__isnull=True,
                                        plan__end_date__isnull=True)
                 .exclude(Exists(PlanAction.objects.filter(plan=OuterRef("plan"))))
                 .select_related("plan", "episode__child").order_by("plan__start_date", "id"))
    if plans:
        meeting, today = authority_timescale("cin_review"), timezone.localdate()
        for link in plans:
            child = link.episode.child
            verdict = meeting.verdict(link.plan.start_date, today)
            items.append(WorkItem(
                label="Write the child in need plan",
                url=reverse("assessment:cin_plan_start", args=[child.pk, link.episode_id]), subject=_subject(child),
                since=link.plan.start_date, due=verdict.due,
                due_text=f"First child in need meeting due {govuk_date(verdict.due)}"
                + (f", {verdict.overdue_text}" if verdict.rag == RED else ""),
                overdue=verdict.rag == RED, detail="Started by the assessment's outcome"))
    in_progress = Assessment.objects.filter(episode=OuterRef("episode"), completed_date__isnull=True)
    later = Assessment.objects.filter(episode=OuterRef("episode"), completed_date__isnull=False).filter(
        Q(completed_date__gt=OuterRef("completed_date"))
        | Q(completed_date=OuterRef("completed_date"), pk__gt=OuterRef("pk")))
    closing = (Assessment.objects.filter(episode__child__in=children, episode__closure_date__isnull=True,
                                         outcome__in=list(CLOSE_LABELS))
               .exclude(Exists(in_progress)).exclude(Exists(later))
               .select_related("episode__child").order_by("completed_date", "id"))
    for a in closing:
        child = a.episode.child
        items.append(WorkItem(
            label=CLOSE_LABELS[a.outcome],
            url=reverse("assessment:episode_close", args=[child.pk, a.episode_id]), subject=_subject(child),
            since=a.completed_date, detail=f"Assessment authorised {govuk_date(a.completed_date)}"))
    return items
