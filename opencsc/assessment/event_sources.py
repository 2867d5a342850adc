"""This app's entries in the event registry (chronology items and clock events) and
its "which services now" labels on the record summary."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, OuterRef, Subquery
from django.urls import reverse

from opencsc.casework.events import ChronologyItem, ClockEvent, EventSource, register
from opencsc.casework.summary import register_service_check
from opencsc.codes import REASON_FOR_CLOSURE, REFERRAL_SOURCE

from .models import Assessment, CINEpisode


def _episodes(child, date_from=None, date_to=None):
    """Referrals and closures: one query."""
    qs = CINEpisode.objects.filter(child=child).select_related("created_by")
    for episode in qs:
        url = reverse("assessment:episode_detail", args=[child.pk, episode.pk])
        in_range = (not date_from or episode.referral_date >= date_from) and (
            not date_to or episode.referral_date <= date_to)
        if in_range:
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
        if episode.closure_date and not episode.referral_nfa and (
            (not date_from or episode.closure_date >= date_from) and (not date_to or episode.closure_date <= date_to)
        ):
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


def _assessments(child, date_from=None, date_to=None):
    """Assessment starts and authorisations: one query."""
    qs = Assessment.objects.filter(episode__child=child).select_related("authorised_by", "created_by")
    for a in qs:
        url = reverse("assessment:episode_detail", args=[child.pk, a.episode_id])
        for day, title, who, order in (
            (a.start_date, "Child and family assessment started", a.created_by, 1),
            (a.completed_date, "Child and family assessment authorised", a.authorised_by, 2),
        ):
            if day is None or (date_from and day < date_from) or (date_to and day > date_to):
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


def episode_clock_events(children):
    """`referral` and `case_closed` per episode (scope: `episode:<pk>`); one query."""
    rows = CINEpisode.objects.filter(child__in=children).values_list(
        "pk", "child_id", "referral_date", "closure_date"
    )
    for pk, child_id, referral_date, closure_date in rows:
        yield ClockEvent(child_id=child_id, event="referral", on=referral_date, scope=f"episode:{pk}")
        if closure_date:
            yield ClockEvent(child_id=child_id, event="case_closed", on=closure_date, scope=f"episode:{pk}")


def assessment_clock_events(children):
    """`assessment_completed` on authorisation (scope: `episode:<pk>`); one query."""
    rows = Assessment.objects.filter(episode__child__in=children, completed_date__isnull=False).values_list(
        "episode_id", "episode__child_id", "completed_date"
    )
    for episode_id, child_id, completed in rows:
        yield ClockEvent(child_id=child_id, event="assessment_completed", on=completed,
                         scope=f"episode:{episode_id}")


register(EventSource(
    key="cin_episode", label="Referrals and closures", fetch=_episodes,
    starts_clocks=("referral",), stops_clocks=("case_closed",), clock_events=episode_clock_events,
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
