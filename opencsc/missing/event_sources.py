"""This app's sources in the event log (core/events.py): chronology items and statutory clock events.

Return home interviews (rule `return_home_interview`, 72 hours): each return starts a clock,
`missing_returned` at the moment the child came back, and the interview's offer stops it,
`return_home_interview`. Both carry the scope `missing:<episode pk>`, so each episode has its
own clock. Multi-agency exploitation meetings are casework Meetings and already appear in the
chronology through casework.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.core import events
from opencsc.core.events import Fact

from .models import ExploitationAssessment, MissingEpisode, RiskLevel

# An episode's facts: going missing (0), the return (1, with the `missing_returned` clock event at
# the moment of return) and the return home interview's offer (2, with `return_home_interview`
# when the episode has ended). The interview is a row of its own, read with its episode: a change
# to it changes the episode's facts.


def _overview(child_id: int) -> str:
    return reverse("missing:overview", args=[child_id])


def _episode_facts(row: MissingEpisode):
    url = _overview(row.child_id)
    scope = f"missing:{row.pk}"
    start = timezone.localtime(row.started_at)
    police = f"Reported to police ({row.police_reference})" if row.reported_to_police else ""
    yield Fact(
        child_id=row.child_id, on=start.date(), at=row.started_at, seq=0, category="Missing",
        title=f"{row.get_kind_display()} from {row.get_missing_from_display().lower()} at {start:%H:%M}",
        detail=". ".join(x for x in (police, row.risks[:200]) if x), url=url, significant=True,
        author_id=row.created_by_id, recorded_at=row.created_at,
    )
    if row.ended_at:
        end = timezone.localtime(row.ended_at)
        yield Fact(
            child_id=row.child_id, on=end.date(), at=row.ended_at, seq=1, category="Missing",
            title=f"Returned at {end:%H:%M}", detail=row.where_found, url=url, significant=True,
            recorded_at=row.created_at, clock="missing_returned", scope=scope, timed=True,
        )
    interview = getattr(row, "return_interview", None)  # the reverse one-to-one raises AttributeError if none
    if interview is not None:
        offered = timezone.localtime(interview.offered_at)
        clock = {"clock": "return_home_interview", "scope": scope, "timed": True} if row.ended_at else {}
        yield Fact(
            child_id=row.child_id, on=offered.date(), at=interview.offered_at, seq=2, category="Missing",
            title=f"Return home interview offered: {interview.get_response_display().lower()}",
            detail=interview.findings[:300], url=url, recorded_at=row.created_at, **clock,
        )


def _assessment_facts(row: ExploitationAssessment):
    yield Fact(
        child_id=row.child_id, on=row.assessed_on, category="Missing", title="Exploitation risk assessment",
        detail=(f"Sexual exploitation: {row.get_sexual_risk_display().lower()}. "
                f"Criminal exploitation: {row.get_criminal_risk_display().lower()}. "
                f"Review by {row.review_on:%d %b %Y}"),
        url=_overview(row.child_id), significant=row.at_risk and RiskLevel.HIGH in (row.sexual_risk, row.criminal_risk),
        author_id=row.created_by_id, recorded_at=row.created_at,
    )


events.register(events.Source(
    key="missing_episode", label="Missing episodes and return home interviews", model="missing.MissingEpisode",
    project=_episode_facts, related=("return_interview",), follows={"missing.ReturnInterview": "return_interview"},
    starts_clocks=("missing_returned",), stops_clocks=("return_home_interview",),
))
events.register(events.Source(
    key="exploitation_assessment", label="Exploitation risk assessments", model="missing.ExploitationAssessment",
    project=_assessment_facts,
))
