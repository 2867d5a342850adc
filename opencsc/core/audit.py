"""Recording who changed what: one audit event per change, with old and new values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from django.utils import timezone

from . import chain, events
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


def _readable(field, value):
    """A recorded value as a person reads it: a code as its label ("Full care order (C2)")."""
    if field is None or value in (None, "") or not getattr(field, "choices", None):
        return value
    labels = dict(field.flatchoices)
    if isinstance(value, list):
        return [_readable(field, v) for v in value]
    label = labels.get(value)
    if label is None or str(label) == str(value):
        return value
    return f"{label} ({value})" if len(str(value)) <= 6 and str(value).isupper() else str(label)


def readable_changes(event: AuditEvent) -> list[dict]:
    """An audit event's changes for the history page, oldest field name first: each field's label from its
    model ("Legal status (LS)") and each coded value with its label, never a bare code."""
    model = event.content_type.model_class() if event.content_type_id else None
    rows = []
    for name, pair in sorted((event.changes or {}).items()):
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:  # a field since removed, or a change that is not a field: its recorded name
            field = None
        old = pair[0] if isinstance(pair, list | tuple) and pair else None
        new = pair[1] if isinstance(pair, list | tuple) and len(pair) > 1 else pair
        label = str(getattr(field, "verbose_name", "") or name.replace("_", " "))
        rows.append({"field": label[:1].upper() + label[1:], "old": _readable(field, old),
                     "new": _readable(field, new)})
    return rows


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
    if instance is not None and action != AuditEvent.Action.DELETED and instance.pk is not None:
        events.announce(instance)  # the event log follows every audited change (core/events.py)
    return chain.append(AuditEvent, [event])[0]


def update_with_history(
    instance: models.Model, *, actor, expected_version: int | None, child=None, **values
) -> dict:
    """Apply `values` to `instance`, check it, save it and audit the change.

    With a `version` field the save is ONE conditional UPDATE:
    ``UPDATE ... SET <changed fields>, version = version + 1 WHERE pk = ... AND version = <expected>``.
    No row updated means someone saved the record after this user opened it: StaleRecordError, with
    nothing written (the check is in the database's WHERE clause, so two saves racing cannot both pass).
    `expected_version` is the version the form was opened at; None is refused on a versioned model (a
    system write passes the version it has just read). Call inside a transaction.
    Returns the {field: [old, new]} changes (empty when nothing changed).
    """
    model = type(instance)
    fields = {f.name: f for f in model._meta.concrete_fields}
    has_version = "version" in fields
    if has_version and expected_version is None:
        raise StaleRecordError()
    before = field_values(instance)
    originals = {f.attname: getattr(instance, f.attname) for f in fields.values()}
    for key, value in values.items():
        setattr(instance, key, value)
    try:
        instance.full_clean()
    except Exception:
        _restore(instance, originals)
        raise
    changes = diff(before, field_values(instance))
    changes.pop("updated_at", None)
    if not has_version:
        if not changes:
            return {}
        instance.save()
    else:
        current = model.objects.filter(pk=instance.pk, version=expected_version)
        if not changes:
            if not current.exists():
                _restore(instance, originals)
                raise StaleRecordError()
            return {}
        now = timezone.now()
        update = {}
        for field in fields.values():
            if getattr(field, "auto_now", False):
                value = now if isinstance(field, models.DateTimeField) else timezone.localdate()
                setattr(instance, field.attname, value)
                update[field.attname] = value
            elif field.name in changes and not field.primary_key:
                update[field.attname] = getattr(instance, field.attname)
        update["version"] = F("version") + 1
        if current.update(**update) != 1:
            _restore(instance, originals)
            raise StaleRecordError()
        instance.version = expected_version + 1
    audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=instance, child=child, changes=changes)
    return changes


def claim_version(instance: models.Model, expected_version: int | None) -> None:
    """The version check for a service that saves a versioned model itself (accounts' users and teams):
    ``UPDATE ... SET version = version + 1 WHERE pk = ... AND version = <expected>``, StaleRecordError
    when no row matched. `expected_version` None (a system write, e.g. deactivating an account from a
    confirm page) moves the version on without checking it, so forms opened before it are refused.
    Call inside the transaction that then saves the instance."""
    model = type(instance)
    rows = model.objects.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1) != 1:
        raise StaleRecordError()
    instance.version = model.objects.filter(pk=instance.pk).values_list("version", flat=True).get()


def _restore(instance: models.Model, originals: dict) -> None:
    for attname, value in originals.items():
        setattr(instance, attname, value)
