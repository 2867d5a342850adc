"""Reads for missing children and exploitation. Every child comes through `people.access`.

The quarterly report tags each episode of a quarter (where from, time of day, day of week,
duration, return home interview) in one pass over one query, so its figures and the
drill-down to the children behind each figure are the same calculation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from opencsc.casework.models import MeetingAttendance
from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.timescales.authority import authority_calendar
from opencsc.timescales.core.engine import due_date
from opencsc.timescales.core.rules import get_rule

from .models import ExploitationAssessment, ExploitationMeeting, MissingEpisode, ReturnInterview, RiskLevel

REPEAT_EPISODES = 3  # a child missing 3 or more times in the quarter
HOUR_BANDS = (("00:00 to 05:59", 0, 6), ("06:00 to 11:59", 6, 12), ("12:00 to 17:59", 12, 18),
              ("18:00 to 23:59", 18, 24))
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DURATIONS = (("Under 24 hours", dt.timedelta(hours=24)), ("1 to 3 days", dt.timedelta(days=3)),
             ("3 to 7 days", dt.timedelta(days=7)), ("7 days or more", None))
STILL_MISSING = "Still missing"


def rhi_due(returned_at: dt.datetime, calendar=None) -> dt.datetime:
    """When the return home interview must be offered (the rule `return_home_interview`)."""
    return due_date(get_rule("return_home_interview"), returned_at, calendar or authority_calendar())


@dataclass(frozen=True)
class RhiStatus:
    due: dt.datetime | None
    offered_in_time: bool | None  # None until the child has returned
    completed_in_time: bool
    overdue: bool  # returned, not offered, and the 72 hours have passed


def rhi_status(episode: MissingEpisode, interview: ReturnInterview | None, now: dt.datetime, calendar) -> RhiStatus:
    if episode.ended_at is None:
        return RhiStatus(None, None, False, False)
    due = rhi_due(episode.ended_at, calendar)
    offered = interview is not None and interview.offered_at <= due
    completed = interview is not None and interview.completed_at is not None and interview.completed_at <= due
    return RhiStatus(due, offered, completed, interview is None and now > due)


def _interview(episode) -> ReturnInterview | None:
    try:
        return episode.return_interview
    except ReturnInterview.DoesNotExist:
        return None


def missing_overview(*, user, child: Child) -> dict:
    """Everything on the child's Missing page, in a bounded number of queries."""
    now = timezone.now()
    today = timezone.localdate()
    calendar = authority_calendar()
    episodes = []
    for episode in MissingEpisode.objects.filter(child=child).select_related("return_interview") \
            .order_by("-started_at", "-id"):
        interview = _interview(episode)
        episodes.append({"episode": episode, "interview": interview, "rhi": rhi_status(episode, interview, now, calendar)})
    assessments = list(ExploitationAssessment.objects.filter(child=child).order_by("-assessed_on", "-id"))
    latest = assessments[0] if assessments else None
    meetings = list(
        ExploitationMeeting.objects.filter(child=child).select_related("meeting")
        .prefetch_related(Prefetch("meeting__attendance", queryset=MeetingAttendance.objects.order_by("id")))
        .order_by("-meeting__held_on", "-id")
    )
    return {
        "episodes": episodes,
        "open_episode": next((e["episode"] for e in episodes if e["episode"].is_open), None),
        "assessments": assessments,
        "latest_assessment": latest,
        "review_overdue": latest is not None and latest.at_risk and latest.review_on < today,
        "meetings": meetings,
    }


def episode_for(*, user, child: Child, episode_id) -> MissingEpisode:
    """An episode of a child the caller already fetched through child_for (404 otherwise)."""
    return get_object_or_404(MissingEpisode.objects.select_related("child"), child=child, pk=episode_id)


def currently_missing(*, user) -> QuerySet[MissingEpisode]:
    """Open episodes of the children this user may see, longest missing first."""
    return (
        MissingEpisode.objects.filter(child__in=children_for(user), ended_at__isnull=True)
        .select_related("child")
        .order_by("started_at", "id")
    )


def latest_assessments(*, user, overdue_only: bool = False, today: dt.date | None = None):
    """Each visible child's latest exploitation assessment showing a risk, soonest review first."""
    today = today or timezone.localdate()
    latest = (
        ExploitationAssessment.objects.filter(child_id=OuterRef("child_id"))
        .order_by("-assessed_on", "-id").values("pk")[:1]
    )
    qs = (
        ExploitationAssessment.objects.filter(child__in=children_for(user), pk=Subquery(latest))
        .exclude(sexual_risk=RiskLevel.NONE, criminal_risk=RiskLevel.NONE)
        .select_related("child")
        .order_by("review_on", "id")
    )
    if overdue_only:
        qs = qs.filter(review_on__lt=today)
    return qs


# --- The quarterly report -----------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        nxt = self.next()
        return nxt.start - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.start:%B} to {self.end:%B %Y}"

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, key: str | None, default: Quarter) -> Quarter:
        try:
            year, number = (key or "").split("-Q")
            quarter = cls(int(year), int(number))
        except ValueError:
            return default
        return quarter if 1 <= quarter.number <= 4 and 2000 <= quarter.year <= 2100 else default


def quarters_to_choose(today: dt.date, count: int = 8) -> list[Quarter]:
    """The current quarter and the ones before it, newest first."""
    quarter, out = Quarter.containing(today), []
    for _ in range(count):
        out.append(quarter)
        quarter = quarter.previous()
    return out


def _hour_band(moment: dt.datetime) -> str:
    hour = timezone.localtime(moment).hour
    return next(label for label, low, high in HOUR_BANDS if low <= hour < high)


def _duration_band(episode: MissingEpisode) -> str:
    if episode.ended_at is None:
        return STILL_MISSING
    length = episode.ended_at - episode.started_at
    return next(label for label, limit in DURATIONS if limit is None or length < limit)


def _episode_tags(episode: MissingEpisode, interview: ReturnInterview | None, now: dt.datetime, calendar) -> set[str]:
    local = timezone.localtime(episode.started_at)
    tags = {"all", f"from:{episode.missing_from}", f"kind:{episode.kind}", f"hour:{_hour_band(episode.started_at)}",
            f"day:{DAYS[local.weekday()]}", f"duration:{_duration_band(episode)}"}
    if episode.reported_to_police:
        tags.add("police")
    if episode.ended_at is not None:
        tags.add("returned")
        status = rhi_status(episode, interview, now, calendar)
        tags.add("rhi_offered_72" if status.offered_in_time else "rhi_not_offered_72")
        if status.completed_in_time:
            tags.add("rhi_completed_72")
        if interview is not None and interview.response == ReturnInterview.Response.DECLINED:
            tags.add("rhi_declined")
    return tags


MEASURES = {
    "all": "Went missing or away",
    "from:care": "From a care placement",
    "from:home": "From home",
    "from:education": "From school or education",
    "kind:M": "Missing",
    "kind:A": "Away from placement without authorisation",
    "police": "Reported to the police",
    "returned": "Returned in the quarter or since",
    "rhi_offered_72": "Return home interview offered within 72 hours",
    "rhi_not_offered_72": "Return home interview not offered within 72 hours",
    "rhi_completed_72": "Return home interview completed within 72 hours",
    "rhi_declined": "Return home interview declined",
    "repeat": f"Missing {REPEAT_EPISODES} or more times in the quarter",
    "at_risk": "Assessed as at risk of exploitation",
    **{f"hour:{label}": f"Went missing {label}" for label, _, _ in HOUR_BANDS},
    **{f"day:{day}": f"Went missing on a {day}" for day in DAYS},
    **{f"duration:{label}": f"Missing for {label.lower()}" for label, _ in DURATIONS},
    f"duration:{STILL_MISSING}": STILL_MISSING,
}


def _quarter_episodes(user, quarter: Quarter):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(quarter.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(quarter.next().start, dt.time.min, tzinfo=tz)
    return (
        MissingEpisode.objects.filter(child__in=children_for(user), started_at__gte=start, started_at__lt=end)
        .select_related("return_interview")
        .order_by("started_at", "id")
    )


def _child_tags(user, quarter: Quarter) -> tuple[dict[str, int], dict[str, set[int]]]:
    """(episodes per measure, children per measure) for the quarter."""
    now = timezone.now()
    calendar = authority_calendar()
    episode_counts: dict[str, int] = defaultdict(int)
    children: dict[str, set[int]] = defaultdict(set)
    per_child: dict[int, int] = defaultdict(int)
    for episode in _quarter_episodes(user, quarter):
        per_child[episode.child_id] += 1
        for tag in _episode_tags(episode, _interview(episode), now, calendar):
            episode_counts[tag] += 1
            children[tag].add(episode.child_id)
    children["repeat"] = {pk for pk, n in per_child.items() if n >= REPEAT_EPISODES}
    episode_counts["repeat"] = sum(per_child[pk] for pk in children["repeat"])
    latest = (
        ExploitationAssessment.objects.filter(child_id=OuterRef("child_id"), assessed_on__lte=quarter.end)
        .order_by("-assessed_on", "-id").values("pk")[:1]
    )
    at_risk = set(
        ExploitationAssessment.objects.filter(child_id__in=list(per_child), pk=Subquery(latest))
        .exclude(sexual_risk=RiskLevel.NONE, criminal_risk=RiskLevel.NONE)
        .values_list("child_id", flat=True)
    )
    children["at_risk"] = at_risk
    episode_counts["at_risk"] = sum(per_child[pk] for pk in at_risk)
    return episode_counts, children


def missing_report(*, user, quarter: Quarter) -> dict:
    """The quarter's figures: for each measure, episodes and children (with the measure's key for drill-down)."""
    episode_counts, children = _child_tags(user, quarter)

    def row(key):
        return {"key": key, "label": MEASURES[key], "episodes": episode_counts.get(key, 0),
                "children": len(children.get(key, ()))}

    returned = episode_counts.get("returned", 0)

    def rate(key):
        return round(100 * episode_counts.get(key, 0) / returned) if returned else None

    return {
        "quarter": quarter,
        "summary": [row(k) for k in ("all", "from:care", "from:home", "from:education", "kind:M", "kind:A",
                                     "police", "repeat", "at_risk")],
        "interviews": [row(k) for k in ("returned", "rhi_offered_72", "rhi_not_offered_72", "rhi_completed_72",
                                        "rhi_declined")],
        "offered_rate": rate("rhi_offered_72"),
        "completed_rate": rate("rhi_completed_72"),
        "hours": [row(f"hour:{label}") for label, _, _ in HOUR_BANDS],
        "days": [row(f"day:{day}") for day in DAYS],
        "durations": [row(f"duration:{label}") for label, _ in DURATIONS] + [row(f"duration:{STILL_MISSING}")],
    }


def report_children(*, user, quarter: Quarter, measure: str) -> QuerySet[Child]:
    """The children behind one figure of the report."""
    _, children = _child_tags(user, quarter)
    return children_for(user).filter(pk__in=sorted(children.get(measure, ()))).order_by("last_name", "first_name",
                                                                                          "pk")
