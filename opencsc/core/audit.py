"""Recording who changed what: one audit event per change, with old and new values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import chain
from .models import AuditEvent


class StaleRecordError(Exception):
    """Someone else changed the record after this user opened it."""

    message = (
        "Someone else changed this record after you opened it. "
        "Your changes have not been saved: check the latest version and make them again."
    )

    def __str__(self):
        return self.message


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def field_values(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The current values of a model's concrete fields, as JSON-ready values."""
    out = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        out[field.name] = _plain(getattr(instance, field.attname))
    return out


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def audit(
    *,
    actor,
    action: str,
    instance: models.Model | None = None,
    child=None,
    changes: dict | None = None,
    summary: str = "",
) -> AuditEvent:
    """Record one event: the one writer of AuditEvent rows (a hash chain, see core/chain.py)."""
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance) if instance is not None else None,
        object_id=str(instance.pk) if instance is not None else "",
        object_repr=str(instance)[:200] if instance is not None else "",
        child=child,
        child_identifier=(getattr(child, "la_child_id", "") or "")[:64],
        changes=changes or {},
        summary=summary[:300],
    )
    return chain.append(AuditEvent, [event])[0]


def update_with_history(
    instance: models.Model, *, actor, expected_version: int | None, child=None, **values
) -> dict:
    """Apply `values` to `instance`, check it, save it and audit the change.

    With a `version` field, refuses (StaleRecordError) when the stored version is
    not the one the user started from, and changes nothing. Call inside a transaction.
    Returns the {field: [old, new]} changes (empty when nothing changed).
    """
    model = type(instance)
    has_version = any(f.name == "version" for f in model._meta.concrete_fields)
    if has_version:
        current = model.objects.select_for_update().filter(pk=instance.pk).values_list("version", flat=True).first()
        if expected_version is None or current != expected_version:
            raise StaleRecordError()
    before = field_values(instance)
    for key, value in values.items():
        setattr(instance, key, value)
    instance.full_clean()
    changes = diff(before, field_values(instance))
    changes.pop("updated_at", None)
    if not changes:
        return {}
    if has_version:
        instance.version = expected_version + 1
    instance.save()
    audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=instance, child=child, changes=changes)
    return changes
