"""This app's entries in the event registry (chronology items and clock events) and
its "which services now" labels on the record summary."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse

from opencsc.casework.events import (
    ChronologyItem,
    ClockEvent,
    EventSource,
    children_query,
    of_children,
    recorded_rows,
    register,
    within,
)
from opencsc.casework.summary import register_service_check
from opencsc.codes import REASON_FOR_CLOSURE, REFERRAL_SOURCE
from opencsc.core import events
from opencsc.core.prepared import prepared

from .models import Assessment, CINEpisode

_episode_rows = recorded_rows(CINEpisode)


def _episodes(child, date_from=None, date_to=None):
    """Referrals and closures: one query."""
    for episode in _episode_rows(child.pk):
        url = reverse("assessment:episode_detail", args=[child.pk, episode.pk])
        if within(episode.referral_date, date_from, date_to):
            yield ChronologyItem(
                date=episode.referral_date,
                source="cin_episode",
                category="Referral",
                title="Re-referral received" if episode.is_re_referral else "Referral received",
                detail=f"From: {REFERRAL_SOURCE.label(episode.referral_source)}"
                       + (". No further action" if episode.referral_nfa else ""),
                url=url,
                significant=True,
                author=episode.created_by.display_name,
                sort_key=(episode.pk, 0),
            )
        if not episode.referral_nfa and within(episode.closure_date, date_from, date_to):
            yield ChronologyItem(
                date=episode.closure_date,
                source="cin_episode",
                category="Case closed",
                title="Stepped down to early help" if episode.step_down_to_early_help else "Episode of need closed",
                detail=REASON_FOR_CLOSURE.label(episode.reason_for_closure),
                url=url,
                significant=True,
                sort_key=(episode.pk, 9),
            )


@prepared
def _assessment_rows(child_id):
    return Assessment.objects.filter(episode__child_id=child_id).select_related("authorised_by", "created_by")


def _assessments(child, date_from=None, date_to=None):
    """Assessment starts and authorisations: one query."""
    for a in _assessment_rows(child.pk):
        url = reverse("assessment:episode_detail", args=[child.pk, a.episode_id])
        for day, title, who, order in (
            (a.start_date, "Child and family assessment started", a.created_by, 1),
            (a.completed_date, "Child and family assessment authorised", a.authorised_by, 2),
        ):
            if not within(day, date_from, date_to):
                continue
            yield ChronologyItem(
                date=day,
                source="assessment",
                category="Assessment",
                title=title,
                detail=a.get_outcome_display() if order == 2 else "",
                url=url,
                significant=order == 2,
                author=who.display_name if who else "",
                sort_key=(a.pk, order),
            )


def _clock_episodes(children):
    return of_children(CINEpisode.objects.all(), children)


@children_query
def _episode_clock_rows(children):
    return _clock_episodes(children).values_list("pk", "child_id", "referral_date", "closure_date")


def episode_clock_events(children):
    """`referral` and `case_closed` per episode (scope: `episode:<pk>`); one query."""
    return _episode_events(_episode_clock_rows(children))


@children_query
def _open_episode_rows(children, *, on_or_before):
    still_open = (Q(closure_date__isnull=True) | Q(closure_date__gt=on_or_before)
                  | Q(closure_date__lt=F("referral_date")))
    return _clock_episodes(children).filter(still_open).values_list("pk", "child_id", "referral_date", "closure_date")


def open_episode_clock_events(children, on_or_before):
    """The episodes not closed on or before the date (see the source's `closes`)."""
    return _episode_events(_open_episode_rows(children, on_or_before=on_or_before))


def _episode_events(rows):
    for pk, child_id, referral_date, closure_date in rows:
        yield ClockEvent(child_id=child_id, event="referral", on=referral_date, scope=f"episode:{pk}")
        if closure_date:
            yield ClockEvent(child_id=child_id, event="case_closed", on=closure_date, scope=f"episode:{pk}")


@children_query
def _assessment_clock_rows(children):
    return of_children(
        Assessment.objects.filter(completed_date__isnull=False), children, via="episode__child"
    ).values_list("episode_id", "episode__child_id", "completed_date")


def assessment_clock_events(children):
    """`assessment_completed` on authorisation (scope: `episode:<pk>`); one query."""
    for episode_id, child_id, completed in _assessment_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="assessment_completed", on=completed,
                         scope=f"episode:{episode_id}")


register(EventSource(
    key="cin_episode", label="Referrals and closures", fetch=_episodes,
    starts_clocks=("referral",), stops_clocks=("case_closed",), clock_events=episode_clock_events,
    open_clock_events=open_episode_clock_events, closes=(("referral", "case_closed"),),
))
register(EventSource(
    key="assessment", label="Assessments", fetch=_assessments,
    stops_clocks=("assessment_completed",), clock_events=assessment_clock_events,
))


def _need_expressions():
    in_progress = Assessment.objects.filter(episode=OuterRef("pk"), completed_date__isnull=True)
    latest_open = (
        CINEpisode.objects.filter(child=OuterRef("pk"), closure_date__isnull=True)
        .order_by("-referral_date", "-id").annotate(in_progress=Exists(in_progress))
    )
    return {
        "open": Exists(latest_open),
        "in_progress": Subquery(latest_open.values("in_progress")[:1], output_field=BooleanField()),
    }


@register_service_check(_need_expressions)
def need_services(values) -> list[str]:
    """'Assessment' while an assessment is in progress; 'Child in need' while an episode is open."""
    if not values["open"]:
        return []
    return ["Assessment", "Child in need"] if values["in_progress"] else ["Child in need"]


# --- The event log (core/events.py): the same entries, written by the services -----------------


def _episode_facts(episode: CINEpisode):
    """The referral (and its clock) and the closure (the closure's clock even for a referral NFA,
    which has no chronology entry of its own). Over for good once closed, not before the referral."""
    scope = f"episode:{episode.pk}"
    url = reverse("assessment:episode_detail", args=[episode.child_id, episode.pk])
    closed = episode.closure_date
    settled = closed if closed is not None and closed >= episode.referral_date else None
    yield events.Fact(
        child_id=episode.child_id, on=episode.referral_date, seq=0,
        title="Re-referral received" if episode.is_re_referral else "Referral received", category="Referral",
        detail=f"From: {REFERRAL_SOURCE.label(episode.referral_source)}"
               + (". No further action" if episode.referral_nfa else ""),
        url=url, significant=True, author_id=episode.created_by_id, recorded_at=episode.created_at,
        scope=scope, clock="referral", settled_on=settled,
    )
    if closed is not None:
        entry = {} if episode.referral_nfa else {
            "title": "Stepped down to early help" if episode.step_down_to_early_help else "Episode of need closed",
            "category": "Case closed", "detail": REASON_FOR_CLOSURE.label(episode.reason_for_closure),
            "url": url, "significant": True,
        }
        yield events.Fact(child_id=episode.child_id, on=closed, seq=9, recorded_at=episode.created_at,
                          scope=scope, clock="case_closed", settled_on=settled, **entry)


def _assessment_facts(a: Assessment):
    """Started, and authorised (which stops the episode's assessment clock)."""
    child_id = a.episode.child_id
    url = reverse("assessment:episode_detail", args=[child_id, a.episode_id])
    yield events.Fact(child_id=child_id, on=a.start_date, seq=1, title="Child and family assessment started",
                      category="Assessment", url=url, author_id=a.created_by_id, recorded_at=a.created_at)
    if a.completed_date is not None:
        yield events.Fact(child_id=child_id, on=a.completed_date, seq=2,
                          title="Child and family assessment authorised", category="Assessment",
                          detail=a.get_outcome_display(), url=url, significant=True, author_id=a.authorised_by_id,
                          recorded_at=a.created_at, scope=f"episode:{a.episode_id}", clock="assessment_completed")


events.register(events.Source(
    key="cin_episode", label="Referrals and closures", model="assessment.CINEpisode", project=_episode_facts,
    starts_clocks=("referral",), stops_clocks=("case_closed",), closes=(("referral", "case_closed"),),
))
events.register(events.Source(
    key="assessment", label="Assessments", model="assessment.Assessment", project=_assessment_facts,
    child="episode__child", related=("episode",), stops_clocks=("assessment_completed",),
))
