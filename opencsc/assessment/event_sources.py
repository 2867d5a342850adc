"""This app's sources in the event log (chronology entries and clock facts) and
its "which services now" labels on the record summary."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, OuterRef, Subquery
from django.urls import reverse

from opencsc.casework.summary import register_service_check
from opencsc.codes import REASON_FOR_CLOSURE, REFERRAL_SOURCE
from opencsc.core import events

from .models import Assessment, CINEpisode


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


@register_service_check(_need_expressions, section="assessment:episodes")
def need_services(values) -> list[str]:
    """'Assessment' while an assessment is in progress; 'Child in need' while an episode is open."""
    if not values["open"]:
        return []
    return ["Assessment", "Child in need"] if values["in_progress"] else ["Child in need"]


# --- The event log (core/events.py): written by the services -----------------------------------


def _episode_facts(episode: CINEpisode):
    """The referral (and its clock) and the closure (the closure's clock even for a referral NFA,
    which has no chronology entry of its own). Over for good once closed, not before the referral."""
    scope = f"episode:{episode.pk}"
    url = reverse("assessment:episode_detail", args=[episode.child_id, episode.pk])
    closed, settled = episode.closure_date, _episode_settled_on(episode)
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
    """Started, and authorised (which stops the episode's assessment clock; an outcome of a strategy
    discussion starts its clock)."""
    child_id = a.episode.child_id
    url = reverse("assessment:episode_detail", args=[child_id, a.episode_id])
    yield events.Fact(child_id=child_id, on=a.start_date, seq=1, title="Child and family assessment started",
                      category="Assessment", url=url, author_id=a.created_by_id, recorded_at=a.created_at)
    if a.completed_date is not None:
        yield events.Fact(child_id=child_id, on=a.completed_date, seq=2,
                          title="Child and family assessment authorised", category="Assessment",
                          detail=a.get_outcome_display(), url=url, significant=True, author_id=a.authorised_by_id,
                          recorded_at=a.created_at, scope=f"episode:{a.episode_id}", clock="assessment_completed",
                          settled_on=_episode_settled_on(a.episode))
        if a.outcome == Assessment.Outcome.STRATEGY:
            # The outcome's next step: a strategy discussion, whose clock this starts (rule strategy_discussion;
            # the front door's decision for one starts it the same way).
            yield events.Fact(child_id=child_id, on=a.completed_date, seq=3, clock="cp_concern",
                              scope=f"assessment:{a.pk}", recorded_at=a.created_at)


def _episode_settled_on(episode: CINEpisode):
    """The day the episode's clocks were over for good: its closure, unless dated before the referral."""
    closed = episode.closure_date
    return closed if closed is not None and closed >= episode.referral_date else None


events.register(events.Source(
    key="cin_episode", label="Referrals and closures", model="assessment.CINEpisode", project=_episode_facts,
    starts_clocks=("referral",), stops_clocks=("case_closed",), closes=(("referral", "case_closed"),),
))
events.register(events.Source(
    key="assessment", label="Assessments", model="assessment.Assessment", project=_assessment_facts,
    child="episode__child", related=("episode",), stops_clocks=("assessment_completed",),
    starts_clocks=("cp_concern",),
    # Left out of what is outstanding with their episode's referral (the only start in the episode's scope).
    closes=(("referral", "case_closed"),), follows={"assessment.CINEpisode": "episode"},
))
