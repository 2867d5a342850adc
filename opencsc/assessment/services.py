"""Writes for referrals, assessments, child in need plans and closures.

Each service checks its rules first, writes in a transaction and records an audit
event with old and new values. Callers fetch the child through
`people.access.child_for(..., action="record")`; the services check the role again.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.casework import evidence as visit_evidence
from opencsc.casework import services as casework_services
from opencsc.casework.models import Plan, Visit
from opencsc.codes import ASSESSMENT_FACTORS, PRIMARY_NEED, REASON_FOR_CLOSURE, REFERRAL_SOURCE
from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people.access import require
from opencsc.people.models import Child
from opencsc.timescales.authority import timescale as authority_timescale

from . import policy, rules
from .models import Assessment, CINEpisode, CINPlan

STEP_DOWN_REASON = "RC9"
REFERRAL_NFA_REASON = "RC7"
ASSESSMENT_FIELDS = ("start_date", "child_seen_date", "child_seen_alone_date", "childs_views", "lived_experience",
                     "analysis", "factors")
CP_PLAN_OPEN = "End the child protection plan before closing the episode"
ANALYSIS_REQUIRED = "Record the analysis before the assessment is authorised"
ANALYSIS_BEFORE_SUBMIT = "Record the analysis before you submit the assessment for authorisation"
NOT_SUBMITTED = "The social worker has not submitted this assessment for authorisation yet"
ALREADY_SUBMITTED = "This assessment is already awaiting authorisation"
AWAITING_NO_CHANGES = ("This assessment is awaiting authorisation: a manager must return it to you before you "
                       "can change it")
RETURN_REASON_REQUIRED = "Enter why you are returning the assessment"
LATE_REASON_REQUIRED = "Enter why the assessment took longer than 45 working days"
AUTHORISED_BEFORE_START = "The authorisation date must be the same as or after the assessment start date"


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _require_open(episode: CINEpisode) -> None:
    if episode.closure_date is not None:
        raise ValidationError(f"This episode of need closed on {govuk_date(episode.closure_date)}")


def _not_future(errors: dict, field: str, value: dt.date | None, message: str) -> None:
    if value is not None and value > timezone.localdate() and field not in errors:
        errors[field] = message


# --- Referrals ----------------------------------------------------------------------------


def referral_create(
    *,
    actor,
    child: Child,
    referral_date: dt.date,
    referral_source: str,
    primary_need: str,
    referral_nfa: bool = False,
    referral_details: str = "",
) -> CINEpisode:
    """Open an episode of need. A referral NFA is closed the same day (RC7)."""
    require(actor, "record", child)
    errors: dict[str, str] = {}
    if referral_date is None:
        errors["referral_date"] = "Enter the referral date"
    elif referral_date > timezone.localdate():
        errors["referral_date"] = "The referral date must be today or in the past"
    if referral_source not in REFERRAL_SOURCE:
        errors["referral_source"] = "Select who made the referral"
    if primary_need not in PRIMARY_NEED:
        errors["primary_need"] = "Select the child's primary need"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the child so two referrals at once cannot both open an episode.
        Child.objects.select_for_update().filter(pk=child.pk).first()
        episodes = CINEpisode.objects.filter(child=child)
        open_episode = episodes.filter(closure_date__isnull=True).first()
        if open_episode is not None:
            raise ValidationError(
                f"This child already has an open episode of need, opened on {govuk_date(open_episode.referral_date)}"
            )
        last_closed = episodes.order_by("-closure_date").values_list("closure_date", flat=True).first()
        if last_closed and referral_date < last_closed:
            raise ValidationError({"referral_date": (
                f"The referral date must be the same as or after the day the last episode of need closed "
                f"({govuk_date(last_closed)})"
            )})
        previous = list(
            episodes.filter(referral_date__gte=rules.re_referral_window_start(referral_date),
                            referral_date__lte=referral_date).values_list("referral_date", flat=True)
        )
        episode = CINEpisode(
            child=child,
            referral_date=referral_date,
            referral_source=referral_source,
            primary_need=primary_need,
            referral_nfa=bool(referral_nfa),
            referral_details=(referral_details or "").strip(),
            is_re_referral=rules.is_re_referral(referral_date, previous),
            created_by=actor,
        )
        if referral_nfa:
            episode.closure_date = referral_date
            episode.reason_for_closure = REFERRAL_NFA_REASON
        episode.full_clean()
        episode.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=episode, child=child,
              changes=_created(episode),
              summary="Re-referral recorded" if episode.is_re_referral else "Referral recorded")
    return episode


# --- Assessments --------------------------------------------------------------------------


def _check_assessment(episode: CINEpisode, values: dict) -> dict:
    values = dict(values)
    for text in ("childs_views", "lived_experience", "analysis"):
        values[text] = (values.get(text) or "").strip()
    values["factors"] = list(dict.fromkeys(values.get("factors") or []))
    errors: dict[str, str] = {}
    start = values.get("start_date")
    if start is None:
        errors["start_date"] = "Enter the assessment start date"
    elif start < episode.referral_date:
        errors["start_date"] = (
            f"The assessment start date must be the same as or after the referral date "
            f"({govuk_date(episode.referral_date)})"
        )
    _not_future(errors, "start_date", start, "The assessment start date must be today or in the past")
    for field, name in (("child_seen_date", "date the child was seen"),
                        ("child_seen_alone_date", "date the child was seen alone")):
        value = values.get(field)
        if value is None:
            continue
        if value < episode.referral_date:
            errors[field] = (f"The {name} must be the same as or after the referral date "
                             f"({govuk_date(episode.referral_date)})")
        _not_future(errors, field, value, f"The {name} must be today or in the past")
    if values.get("child_seen_alone_date") and not values.get("child_seen_date"):
        errors.setdefault("child_seen_date", "Enter the date the child was seen, if they were seen alone")
    unknown = [code for code in values["factors"] if code not in ASSESSMENT_FACTORS]
    if unknown:
        errors["factors"] = "Select assessment factors from the list"
    if errors:
        raise ValidationError(errors)
    return values


def assessment_start(*, actor, episode: CINEpisode, **values) -> Assessment:
    """Start an assessment in an open episode (one assessment in progress at a time)."""
    require(actor, "record", episode.child)
    _require_open(episode)
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields {sorted(unknown)}")
    values = _check_assessment(episode, values)
    with transaction.atomic():
        if episode.assessments.filter(completed_date__isnull=True).exists():
            raise ValidationError("An assessment is already in progress for this episode")
        assessment = Assessment(episode=episode, created_by=actor, **values)
        assessment.full_clean()
        assessment.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=assessment, child=episode.child,
              changes=_created(assessment), summary="Assessment started")
    return assessment


def assessment_update(*, actor, assessment: Assessment, expected_version: int | None, **values) -> dict:
    """Change an assessment in progress. Authorised assessments cannot be changed."""
    episode = assessment.episode
    require(actor, "record", episode.child)
    if assessment.completed_date is not None:
        raise ValidationError("This assessment has been authorised and cannot be changed")
    if assessment.submitted_at is not None:
        raise ValidationError(AWAITING_NO_CHANGES)
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields {sorted(unknown)}")
    merged = {f: values.get(f, getattr(assessment, f)) for f in ASSESSMENT_FIELDS}
    merged = _check_assessment(episode, merged)
    changes = {f: merged[f] for f in values}
    # A date changed by hand is no longer the one a visit evidenced.
    for field, link in (("child_seen_date", "child_seen_visit"), ("child_seen_alone_date", "child_seen_alone_visit")):
        if field in changes and changes[field] != getattr(assessment, field):
            changes[link] = None
    with transaction.atomic():
        return update_with_history(
            assessment, actor=actor, expected_version=expected_version, child=episode.child, **changes,
        )


def assessment_submit(*, actor, assessment: Assessment, expected_version: int | None) -> Assessment:
    """The social worker submits the assessment for authorisation: it waits in the managers' queue.

    Refused once authorised, while already awaiting authorisation, and without an analysis.
    """
    episode = assessment.episode
    require(actor, "record", episode.child)
    if assessment.completed_date is not None:
        raise ValidationError(f"This assessment was authorised on {govuk_date(assessment.completed_date)}")
    if assessment.submitted_at is not None:
        raise ValidationError(ALREADY_SUBMITTED)
    if not assessment.analysis.strip():
        raise ValidationError({"__all__": ANALYSIS_BEFORE_SUBMIT})
    with transaction.atomic():
        update_with_history(assessment, actor=actor, expected_version=expected_version, child=episode.child,
                            submitted_at=timezone.now(), submitted_by=actor)
    assessment.refresh_from_db()
    return assessment


def _awaiting_authorisation(actor, assessment: Assessment):
    """Refuse unless this manager may act on an assessment submitted and not yet authorised; its episode."""
    episode = assessment.episode
    require(actor, "record", episode.child)
    policy.may_authorise_assessment.require(actor)
    if assessment.completed_date is not None:
        raise ValidationError(f"This assessment was authorised on {govuk_date(assessment.completed_date)}")
    if assessment.submitted_at is None:
        raise ValidationError(NOT_SUBMITTED)
    return episode


def assessment_return(*, actor, assessment: Assessment, reason: str, expected_version: int | None) -> Assessment:
    """A manager returns a submitted assessment to the worker, with the reason (it is theirs to change again)."""
    episode = _awaiting_authorisation(actor, assessment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": RETURN_REASON_REQUIRED})
    with transaction.atomic():
        update_with_history(assessment, actor=actor, expected_version=expected_version, child=episode.child,
                            submitted_at=None, returned_at=timezone.now(), returned_by=actor, return_reason=reason)
    assessment.refresh_from_db()
    return assessment


def assessment_authorise(
    *,
    actor,
    assessment: Assessment,
    authorised_on: dt.date,
    outcome: str,
    reason_late: str = "",
    expected_version: int | None = None,
) -> Assessment:
    """A manager authorises (completes) a submitted assessment, with its outcome, and starts the next steps
    the outcome asks for (``start_next_steps``).

    Refused before it is submitted, before the assessment started, in the future, without an analysis, and
    without a reason when it is authorised more than 45 working days after the referral.
    """
    episode = _awaiting_authorisation(actor, assessment)
    reason_late = (reason_late or "").strip()
    errors: dict[str, str] = {}
    if authorised_on is None:
        errors["authorised_on"] = "Enter the authorisation date"
    elif authorised_on < assessment.start_date:
        errors["authorised_on"] = AUTHORISED_BEFORE_START
    elif authorised_on > timezone.localdate():
        errors["authorised_on"] = "The authorisation date must be today or in the past"
    if outcome not in Assessment.Outcome.values:
        errors["outcome"] = "Select the outcome of the assessment"
    if not assessment.analysis.strip():
        errors.setdefault("__all__", ANALYSIS_REQUIRED)
    timescale = authority_timescale(rules.ASSESSMENT_RULE)  # the authority's calendar for this rule
    if (authorised_on is not None and "authorised_on" not in errors
            and rules.assessment_is_late(episode.referral_date, authorised_on, timescale) and not reason_late):
        errors["reason_late"] = LATE_REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    late = rules.assessment_is_late(episode.referral_date, authorised_on, timescale)
    with transaction.atomic():
        update_with_history(
            assessment, actor=actor,
            expected_version=assessment.version if expected_version is None else expected_version,
            child=episode.child, completed_date=authorised_on, outcome=outcome, authorised_by=actor,
            reason_late=reason_late if late else "",
        )
        start_next_steps(actor=actor, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def start_next_steps(*, actor, assessment: Assessment) -> None:
    """What an authorised assessment's outcome starts (docs/timescales.md, "What an assessment's outcome starts").

    A child in need plan: the plan itself, from the authorisation date, for the worker to write; its
    ``cin_plan_started`` event starts the clocks of its first meeting and its visits (rules ``cin_review``,
    ``cin_visit``). A strategy discussion: the assessment's own event (``cp_concern``, event_sources.py)
    starts the strategy discussion's clock. No further action and early help: the episode to close, a work
    queue item (work.py), as no rule has a clock for it.
    """
    episode = assessment.episode
    if assessment.outcome == Assessment.Outcome.CIN_PLAN and cin_plan_open(episode) is None:
        plan = casework_services.plan_create(actor=actor, child=episode.child, kind=Plan.Kind.CHILD_IN_NEED,
                                             start_date=assessment.completed_date)
        link = CINPlan.objects.create(episode=episode, plan=plan)
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=link, child=episode.child,
              changes={"plan": [None, plan.pk]},
              summary="Child in need plan started by the assessment's outcome, for the social worker to write")


# --- Visits as evidence (casework.evidence) ------------------------------------------------


def _evidence_targets(child: Child) -> list[visit_evidence.Target]:
    """The child's assessment in progress (in the open episode), if there is one."""
    assessment = (Assessment.objects.filter(episode__child=child, episode__closure_date__isnull=True,
                                            completed_date__isnull=True)
                  .order_by("-start_date", "-id").first())
    if assessment is None:
        return []
    return [visit_evidence.Target(key=f"assessment:{assessment.pk}",
                                  label=f"The assessment started {govuk_date(assessment.start_date)}")]


def visit_evidences_assessment(*, actor, visit: Visit, key: str) -> None:
    """A visit with the child seen sets the assessment's "child seen" date (and "seen alone"), when it is the
    first such date: an earlier date already recorded stays. Called in the visit's transaction."""
    assessment = (Assessment.objects.select_for_update().select_related("episode")
                  .get(pk=int(key.partition(":")[2]), episode__child_id=visit.child_id, completed_date__isnull=True))
    if not visit.child_seen:
        return
    episode = assessment.episode
    if visit.visited_on < episode.referral_date:
        raise ValidationError({"evidence": (
            f"The visit is before the referral ({govuk_date(episode.referral_date)}), so it cannot count towards "
            f"this assessment")})
    changes = {}
    if assessment.child_seen_date is None or visit.visited_on < assessment.child_seen_date:
        changes.update(child_seen_date=visit.visited_on, child_seen_visit=visit)
    if visit.child_seen_alone and (assessment.child_seen_alone_date is None
                                   or visit.visited_on < assessment.child_seen_alone_date):
        changes.update(child_seen_alone_date=visit.visited_on, child_seen_alone_visit=visit)
    if changes:
        update_with_history(assessment, actor=actor, expected_version=assessment.version, child=episode.child,
                            **changes)


visit_evidence.register(visit_evidence.EvidenceSource(
    code="assessment", targets=_evidence_targets, apply=visit_evidences_assessment))


# --- Child in need plans ------------------------------------------------------------------


def cin_plan_open(episode: CINEpisode) -> CINPlan | None:
    return episode.cin_plans.select_related("plan").filter(plan__end_date__isnull=True).first()


def cin_plan_unwritten(link: CINPlan) -> bool:
    """Started by an assessment's outcome and not yet written: no actions."""
    return not link.plan.actions.exists()


def cin_plan_start(
    *,
    actor,
    episode: CINEpisode,
    start_date: dt.date,
    actions: list[dict],
    summary: str = "",
    contingency: str = "",
    child_friendly_summary: str = "",
    review_due: dt.date | None = None,
) -> CINPlan:
    """Start the episode's child in need plan with its first SMART actions (at least one)."""
    child = episode.child
    require(actor, "record", child)
    _require_open(episode)
    existing = cin_plan_open(episode)
    if existing is not None and not cin_plan_unwritten(existing):
        raise ValidationError("This episode already has a child in need plan")
    if start_date is not None and start_date < episode.referral_date:
        raise ValidationError({"start_date": (
            f"The plan's start date must be the same as or after the referral date ({govuk_date(episode.referral_date)})"
        )})
    if not actions:
        raise ValidationError({"actions": "Add at least one action to the plan"})
    if existing is not None:  # started by the assessment's outcome: the worker writes it now
        if start_date is None:
            raise ValidationError({"start_date": "Enter the date the plan started"})
        if start_date > timezone.localdate():
            raise ValidationError({"start_date": "The plan's start date must be today or in the past"})
        with transaction.atomic():
            plan = Plan.objects.select_for_update().get(pk=existing.plan_id)
            if review_due is not None and start_date is not None and review_due < start_date:
                raise ValidationError({"review_due": "The review date must be the same as or after the plan's "
                                                     "start date"})
            update_with_history(plan, actor=actor, expected_version=plan.version, child=child,
                                start_date=start_date, summary=(summary or "").strip(),
                                contingency=(contingency or "").strip(),
                                child_friendly_summary=(child_friendly_summary or "").strip(), review_due=review_due)
            for action in actions:
                casework_services.plan_action_add(actor=actor, plan=plan, **action)
        existing.refresh_from_db()
        return existing
    with transaction.atomic():
        plan = casework_services.plan_create(
            actor=actor, child=child, kind="cin", start_date=start_date, summary=summary,
            contingency=contingency, child_friendly_summary=child_friendly_summary, review_due=review_due,
        )
        for action in actions:
            casework_services.plan_action_add(actor=actor, plan=plan, **action)
        link = CINPlan.objects.create(episode=episode, plan=plan)
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=link, child=child,
              changes={"plan": [None, plan.pk]}, summary="Child in need plan started")
    return link


# --- Closing an episode -------------------------------------------------------------------


def episode_close(
    *,
    actor,
    episode: CINEpisode,
    closure_date: dt.date,
    reason_for_closure: str,
    expected_version: int | None = None,
) -> CINEpisode:
    """Close the episode with its DfE reason; ends an open CIN plan on the same day.

    Closing with RC9, or after an assessment whose outcome was early help, records the
    step-down to early help on the closure date.
    """
    child = episode.child
    require(actor, "record", child)
    _require_open(episode)
    errors: dict[str, str] = {}
    if closure_date is None:
        errors["closure_date"] = "Enter the closure date"
    elif closure_date < episode.referral_date:
        errors["closure_date"] = (
            f"The closure date must be the same as or after the referral date ({govuk_date(episode.referral_date)})"
        )
    elif closure_date > timezone.localdate():
        errors["closure_date"] = "The closure date must be today or in the past"
    if reason_for_closure not in REASON_FOR_CLOSURE:
        errors["reason_for_closure"] = "Select the reason for closure"
    assessments = list(episode.assessments.all())
    if any(a.completed_date is None for a in assessments):
        errors.setdefault("__all__", "The assessment in progress must be authorised before the episode is closed")
    if reason_for_closure in ("RC8", "RC9") and not any(a.completed_date for a in assessments):
        errors.setdefault("reason_for_closure",
                          "Closing after assessment needs an authorised assessment in this episode")
    cp_plan_ends = list(episode.cp_plans.values_list("plan__end_date", flat=True))
    if None in cp_plan_ends:
        errors["__all__"] = [*([errors["__all__"]] if "__all__" in errors else []), CP_PLAN_OPEN]
    elif cp_plan_ends and closure_date and "closure_date" not in errors and closure_date < max(cp_plan_ends):
        errors["closure_date"] = (
            f"The closure date must be the same as or after the child protection plan ended "
            f"({govuk_date(max(cp_plan_ends))})"
        )
    link = cin_plan_open(episode)
    if link and closure_date and "closure_date" not in errors and closure_date < link.plan.start_date:
        errors["closure_date"] = (
            f"The closure date must be the same as or after the child in need plan started "
            f"({govuk_date(link.plan.start_date)})"
        )
    if errors:
        raise ValidationError(errors)
    latest = max((a for a in assessments if a.completed_date), key=lambda a: (a.completed_date, a.pk), default=None)
    step_down = reason_for_closure == STEP_DOWN_REASON or (
        latest is not None and latest.outcome == Assessment.Outcome.EARLY_HELP
    )
    with transaction.atomic():
        if link is not None:
            casework_services.plan_end(actor=actor, plan=link.plan, end_date=closure_date)
        update_with_history(
            episode, actor=actor, expected_version=episode.version if expected_version is None else expected_version,
            child=child,
            closure_date=closure_date, reason_for_closure=reason_for_closure,
            step_down_to_early_help=step_down, step_down_date=closure_date if step_down else None,
        )
    episode.refresh_from_db()
    return episode
