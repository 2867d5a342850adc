"""Writing the workforce: settings, worker profiles and supervision sessions.

Allocation and transfer go through `casework.services.allocation_transfer`; case discussions at supervision
go through `casework.services.oversight_record` (kind "supervision"), so they are on each child's file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.casework import policy as casework_policy
from opencsc.casework.models import OversightRecord
from opencsc.casework.services import oversight_record
from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent

from . import policy
from .models import CaseDiscussion, SupervisionSession, WorkerProfile, WorkforceSettings
from .selectors import supervisable_workers, teams_for

SETTINGS_FIELDS = ["base_weight", "cp_weight", "cla_weight", "court_weight", "caseload_limit", "asye_caseload_limit",
                   "supervision_every_days", "asye_supervision_every_days", "many_workers"]


def workforce_settings_update(*, actor, expected_version: int | None, **values) -> dict:
    """Change the authority's caseload weights, limits and supervision frequency."""
    policy.may_change_workforce_settings.require(actor)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not workforce settings: {sorted(unknown)}")
    with transaction.atomic():
        current, _ = WorkforceSettings.objects.get_or_create(pk=1)  # the defaults, version 1, until first changed
        return update_with_history(current, actor=actor, expected_version=expected_version, updated_by=actor,
                                   **values)


def can_edit_profile(user, worker) -> bool:
    return any(team.pk == worker.team_id for team in teams_for(user))


def worker_profile_save(*, actor, worker, expected_version: int | None, experience: str, fte: Decimal) -> WorkerProfile:
    """Record a worker's experience level and full-time equivalent (team managers of their team, service managers)."""
    policy.may_edit_worker_profile.require(actor)
    if not can_edit_profile(actor, worker):
        raise PermissionDenied("Only the worker's team manager or a service manager can change this")
    with transaction.atomic():
        profile = WorkerProfile.objects.filter(user=worker).first()
        if profile is None:
            profile = WorkerProfile(user=worker, experience=experience, fte=fte, updated_by=actor)
            profile.full_clean()
            profile.save()
            audit(actor=actor, action=AuditEvent.Action.CREATED, instance=profile,
                  changes={k: [None, v] for k, v in field_values(profile, ["experience", "fte"]).items()},
                  summary="Worker profile recorded")
            return profile
        update_with_history(profile, actor=actor, expected_version=expected_version, experience=experience, fte=fte,
                            updated_by=actor)
    return profile


def _check_session(actor, kind, held_on, supervisees) -> dict:
    errors: dict[str, str] = {}
    if kind not in SupervisionSession.Kind.values:
        errors["kind"] = "Select individual or group supervision"
    if held_on is None:
        errors["held_on"] = "Enter the date of supervision"
    elif held_on > timezone.localdate():
        errors["held_on"] = "The date of supervision must be today or in the past"
    allowed = set(supervisable_workers(actor).values_list("pk", flat=True))
    if not supervisees:
        errors["supervisees"] = "Select who was supervised"
    elif any(s.pk not in allowed for s in supervisees):
        errors["supervisees"] = "You can only record supervision for workers in your team"
    elif kind == SupervisionSession.Kind.INDIVIDUAL and len(supervisees) != 1:
        errors["supervisees"] = "Select one worker for individual supervision, or choose group supervision"
    elif kind == SupervisionSession.Kind.GROUP and len(supervisees) < 2:
        errors["supervisees"] = "Select at least 2 workers for group supervision"
    return errors


def supervision_record(
    *, actor, kind: str, held_on: dt.date, supervisees, notes: str = "", discussions=(),
) -> SupervisionSession:
    """Record a supervision session; each case discussed goes on that child's file as supervision oversight.

    `discussions`: [{"child": Child, "decisions": str, "actions": [{"action", "owner", "due_date"}]}].
    Nothing is saved unless every part is valid.
    """
    casework_policy.may_record_oversight.require(actor)
    supervisees = list(supervisees)
    errors = _check_session(actor, kind, held_on, supervisees)
    children = [d["child"].pk for d in discussions]
    if len(children) != len(set(children)):
        errors["discussions"] = "Each child can only be discussed once in a session"
    if errors:
        raise ValidationError(errors)
    session = SupervisionSession(kind=kind, held_on=held_on, supervisor=actor, notes=(notes or "").strip(),
                                 created_by=actor)
    session.full_clean()
    with transaction.atomic():
        session.save()
        session.supervisees.set(supervisees)
        for number, row in enumerate(discussions, start=1):
            try:
                record = oversight_record(actor=actor, child=row["child"], held_on=held_on,
                                          decisions=row.get("decisions", ""), kind=OversightRecord.Kind.SUPERVISION,
                                          actions=row.get("actions", ()))
            except ValidationError as error:
                messages = [m for ms in getattr(error, "message_dict", {"": error.messages}).values() for m in ms]
                raise ValidationError({"discussions": [f"Case {number}: {m}" for m in messages]}) from None
            except PermissionDenied:
                raise ValidationError(
                    {"discussions": f"Case {number}: you cannot record oversight on this child's file"}) from None
            CaseDiscussion.objects.create(session=session, child=row["child"], oversight=record)
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=session,
              changes={"kind": [None, kind], "held_on": [None, held_on.isoformat()],
                       "supervisees": [None, [s.get_full_name() or s.username for s in supervisees]],
                       "cases discussed": [None, len(discussions)]},
              summary=f"{session.get_kind_display()} recorded")
    return session
