"""Writes about children and the people around them.

Every function here is keyword-only, checks first that the actor may do it to this child
(``access.require`` or a permission of ``policy``: the same rules as the pages, PermissionDenied
otherwise), then its guards, writes in one transaction and records an audit event with the old and
new values. A refused change raises django.core.exceptions.ValidationError (with field names where
the error belongs to a field) or core.audit.StaleRecordError, and changes nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from opencsc.core import chain, events
from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent, Event
from opencsc.core.relations import reverse_relations

from . import access, policy
from .models import (
    Address,
    Child,
    ChildAlias,
    MatchCheck,
    PartnerShare,
    Person,
    Relationship,
    RestrictedAccessGrant,
)
from .names import fold, search_keys
from .validators import normalise_nhs_number, normalise_postcode, normalise_upn

LA_ID_PATTERN = re.compile(r"^C\d{7}$")

CHILD_FIELDS = frozenset(
    {
        "la_child_id", "nhs_number", "upn", "first_name", "middle_names", "last_name", "preferred_name",
        "date_of_birth", "expected_date_of_birth", "date_of_death", "sex", "gender_identity", "ethnicity",
        "disabilities", "first_language", "interpreter_needed", "religion", "is_uasc", "uasc_ceased",
        "school_name", "school_urn",
    }
)
PERSON_FIELDS = frozenset(
    {"first_name", "last_name", "date_of_birth", "sex", "phone", "address", "postcode", "mappa", "marac",
     "poses_risk"}
)
RELATIONSHIP_FIELDS = frozenset(
    {"kind", "lives_with_child", "parental_responsibility", "lives_elsewhere", "notes", "start_date"}
)


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# Children ----------------------------------------------------------------------


def _unknown_fields(fields: dict, allowed: frozenset) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")


def _clean_child_values(values: dict, *, current: Child | None) -> dict:
    """Normalise identifiers and names, and check the rules that span fields. Returns the cleaned values."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(values)
    for key in ("first_name", "middle_names", "last_name", "preferred_name"):
        if key in cleaned and isinstance(cleaned[key], str):
            cleaned[key] = " ".join(cleaned[key].split())

    for key, normalise in (("nhs_number", normalise_nhs_number), ("upn", normalise_upn)):
        if key not in cleaned:
            continue
        raw = cleaned[key]
        if raw in (None, "") or not str(raw).strip():
            cleaned[key] = None
            continue
        try:
            cleaned[key] = normalise(str(raw))
        except ValidationError as exc:
            errors.setdefault(key, []).extend(exc.messages)
    if "la_child_id" in cleaned:
        cleaned["la_child_id"] = (cleaned["la_child_id"] or "").strip().upper()

    others = Child.objects.all() if current is None else Child.objects.exclude(pk=current.pk)
    labels = {"nhs_number": "NHS number", "upn": "UPN", "la_child_id": "LA child ID"}
    for key, label in labels.items():
        value = cleaned.get(key)
        if key in errors or not value:
            continue
        if current is not None and getattr(current, key) == value:
            continue
        if others.filter(**{key: value}).exists():
            errors.setdefault(key, []).append(f"A child with this {label} already exists")

    def get(key):
        if key in cleaned:
            return cleaned[key]
        return getattr(current, key) if current is not None else None

    today = timezone.localdate()
    birth, expected, death = get("date_of_birth"), get("expected_date_of_birth"), get("date_of_death")
    if birth and birth > today:
        errors.setdefault("date_of_birth", []).append("Date of birth must be today or in the past")
    if death and death > today:
        errors.setdefault("date_of_death", []).append("Date of death must be today or in the past")
    if birth and death and death < birth:
        errors.setdefault("date_of_death", []).append("Date of death must be the same as or after the date of birth")
    if expected and birth:
        errors.setdefault("expected_date_of_birth", []).append(
            "Enter an expected date of birth only for an unborn child: this child has a date of birth"
        )
    elif expected and expected > add_months(today, 10):
        errors.setdefault("expected_date_of_birth", []).append(
            "Expected date of birth must be within the next 10 months"
        )
    ceased = get("uasc_ceased")
    if ceased and not get("is_uasc"):
        errors.setdefault("uasc_ceased", []).append("Enter the date UASC status ended only for a UASC")
    _raise(errors)
    return cleaned


def _next_la_child_id() -> str:
    highest = Child.objects.filter(la_child_id__regex=r"^C[0-9]{7}$").aggregate(m=Max("la_child_id"))["m"]
    number = int(highest[1:]) + 1 if highest else 1
    return f"C{number:07d}"


def child_create(*, actor, **fields) -> Child:
    """Record a new child. An LA child ID (C + 7 digits) is allocated if none is given."""
    policy.may_create_child.require(actor)
    _unknown_fields(fields, CHILD_FIELDS)
    cleaned = _clean_child_values(fields, current=None)
    allocate = not cleaned.get("la_child_id")
    for attempt in range(5):
        if allocate:
            cleaned["la_child_id"] = _next_la_child_id()
        child = Child(**cleaned, **search_keys(cleaned.get("first_name", ""), cleaned.get("last_name", "")))
        child.full_clean()
        try:
            with transaction.atomic():
                child.save()
                audit(
                    actor=actor, action=AuditEvent.Action.CREATED, instance=child, child=child,
                    changes={k: [None, v] for k, v in field_values(child).items() if v not in (None, "", [], False)},
                )
        except IntegrityError:
            if not allocate or attempt == 4:
                raise
            continue  # someone took the same LA child ID meanwhile: allocate the next one
        return child
    raise AssertionError("unreachable")


def child_update(*, actor, child: Child, expected_version: int, **fields) -> dict:
    """Change a child's details. Refuses (StaleRecordError) if someone else changed it since `expected_version`."""
    access.require(actor, "edit", child)
    _unknown_fields(fields, CHILD_FIELDS)
    cleaned = _clean_child_values(fields, current=child)
    if not cleaned.get("la_child_id", child.la_child_id):
        raise ValidationError({"la_child_id": ["Enter the LA child ID"]})
    first = cleaned.get("first_name", child.first_name)
    last = cleaned.get("last_name", child.last_name)
    cleaned.update(search_keys(first, last))
    with transaction.atomic():
        return update_with_history(child, actor=actor, expected_version=expected_version, child=child, **cleaned)


# Aliases -------------------------------------------------------------------------


def alias_add(*, actor, child: Child, first_name: str, last_name: str, kind: str = ChildAlias.Kind.ALSO_KNOWN_AS
              ) -> ChildAlias:
    access.require(actor, "edit", child)
    first_name, last_name = " ".join((first_name or "").split()), " ".join((last_name or "").split())
    if not first_name and not last_name:
        raise ValidationError({"first_name": ["Enter a first name or a last name"]})
    alias = ChildAlias(child=child, first_name=first_name, last_name=last_name, kind=kind,
                       **search_keys(first_name, last_name))
    alias.full_clean()
    with transaction.atomic():
        alias.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=alias, child=child,
              changes={"alias": [None, str(alias)], "kind": [None, kind]})
    return alias


def alias_remove(*, actor, alias: ChildAlias) -> None:
    access.require(actor, "edit", alias.child)
    child = alias.child
    with transaction.atomic():
        audit(actor=actor, action=AuditEvent.Action.DELETED, instance=alias, child=child,
              changes={"alias": [str(alias), None]})
        alias.delete()


# Addresses -----------------------------------------------------------------------


def address_add(*, actor, child: Child, line_1: str, postcode: str, start_date: dt.date, line_2: str = "",
                town: str = "") -> Address:
    """Add the child's new current address; the previous current address ends the day before."""
    access.require(actor, "edit", child)
    errors: dict[str, list[str]] = {}
    try:
        postcode = normalise_postcode(postcode)
    except ValidationError as exc:
        errors["postcode"] = exc.messages
    if not (line_1 or "").strip():
        errors["line_1"] = ["Enter address line 1, typically the building and street"]
    today = timezone.localdate()
    if start_date is None:
        errors["start_date"] = ["Enter the date the child started living here"]
    elif start_date > today:
        errors["start_date"] = ["Date the child started living here must be today or in the past"]
    current = list(Address.objects.filter(child=child, end_date__isnull=True))
    if start_date and "start_date" not in errors:
        for previous in current:
            if start_date <= previous.start_date:
                errors["start_date"] = [
                    "Date the child started living here must be after the start of the current address "
                    f"({previous.start_date:%d/%m/%Y})"
                ]
    _raise(errors)
    address = Address(child=child, line_1=line_1.strip(), line_2=(line_2 or "").strip(),
                      town=(town or "").strip(), postcode=postcode, start_date=start_date)
    address.full_clean()
    with transaction.atomic():
        for previous in current:
            update_with_history(previous, actor=actor, expected_version=None, child=child,
                                end_date=start_date - dt.timedelta(days=1))
        address.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=address, child=child,
              changes={k: [None, v] for k, v in field_values(address).items() if v not in (None, "")})
    return address


# People and relationships -------------------------------------------------------------


def _clean_person(values: dict) -> dict:
    cleaned = dict(values)
    errors: dict[str, list[str]] = {}
    for key in ("first_name", "last_name"):
        if key in cleaned:
            cleaned[key] = " ".join((cleaned[key] or "").split())
    if cleaned.get("postcode"):
        try:
            cleaned["postcode"] = normalise_postcode(cleaned["postcode"])
        except ValidationError as exc:
            errors["postcode"] = exc.messages
    birth = cleaned.get("date_of_birth")
    if birth and birth > timezone.localdate():
        errors["date_of_birth"] = ["Date of birth must be today or in the past"]
    _raise(errors)
    return cleaned


def person_create(*, actor, first_name: str, last_name: str, child: Child | None = None, **fields) -> Person:
    """Record an adult (or a child without a record here) in a child's network."""
    if child is not None:
        access.require(actor, "edit", child)
    _unknown_fields(fields, PERSON_FIELDS)
    cleaned = _clean_person({"first_name": first_name, "last_name": last_name, **fields})
    person = Person(**cleaned, **search_keys(cleaned["first_name"], cleaned["last_name"]))
    person.full_clean()
    with transaction.atomic():
        person.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=person, child=child,
              changes={k: [None, v] for k, v in field_values(person).items() if v not in (None, "", False)})
    return person


def person_update(*, actor, person: Person, expected_version: int, child: Child | None = None, **fields) -> dict:
    if child is not None:
        access.require(actor, "edit", child)
    _unknown_fields(fields, PERSON_FIELDS)
    cleaned = _clean_person(fields)
    if "first_name" in cleaned or "last_name" in cleaned:
        cleaned.update(search_keys(cleaned.get("first_name", person.first_name),
                                   cleaned.get("last_name", person.last_name)))
    with transaction.atomic():
        return update_with_history(person, actor=actor, expected_version=expected_version, child=child, **cleaned)


PERSON_RISK_FIELDS = ("mappa", "marac", "poses_risk")
PERSON_CONTACT_FIELDS = ("phone", "address", "postcode")


def person_fill_in(*, actor, person: Person, child: Child | None = None, **fields) -> dict:
    """What a form adds to an existing person chosen from the possible matches (someone already known): a
    risk ticked, and contact details where the person has none. Nothing recorded about them is overwritten."""
    _unknown_fields(fields, frozenset(PERSON_RISK_FIELDS + PERSON_CONTACT_FIELDS))
    updates = {k: True for k in PERSON_RISK_FIELDS if fields.get(k) and not getattr(person, k)}
    updates.update({k: fields[k] for k in PERSON_CONTACT_FIELDS if fields.get(k) and not getattr(person, k)})
    if not updates:
        return {}
    return person_update(actor=actor, person=person, expected_version=person.version, child=child, **updates)


def _check_relationship_dates(start_date, end_date=None) -> None:
    today = timezone.localdate()
    errors = {}
    if start_date and start_date > today:
        errors["start_date"] = ["Start date must be today or in the past"]
    if end_date and end_date > today:
        errors["end_date"] = ["End date must be today or in the past"]
    elif end_date and start_date and end_date < start_date:
        errors["end_date"] = ["End date must be the same as or after the start date"]
    _raise(errors)


def relationship_add(*, actor, child: Child, kind: str, person: Person | None = None,
                     related_child: Child | None = None, **fields) -> Relationship:
    """Link a person, or another child with a record here, to the child."""
    access.require(actor, "edit", child)
    _unknown_fields(fields, RELATIONSHIP_FIELDS - {"kind"})
    if (person is None) == (related_child is None):
        raise ValidationError("Choose either a person or a child with a record here")
    if related_child is not None and related_child.pk == child.pk:
        raise ValidationError({"related_child": ["A child cannot be related to themselves"]})
    party = {"person": person} if person is not None else {"related_child": related_child}
    if Relationship.objects.filter(child=child, end_date__isnull=True, **party).exists():
        raise ValidationError(f"{person or related_child} is already in this child's family network")
    _check_relationship_dates(fields.get("start_date"))
    relationship = Relationship(child=child, person=person, related_child=related_child, kind=kind, **fields)
    relationship.full_clean()
    with transaction.atomic():
        relationship.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=relationship, child=child,
              changes={k: [None, v] for k, v in field_values(relationship).items() if v not in (None, "", False)},
              summary=f"{relationship.get_kind_display()}: {person or related_child}")
    return relationship


def relationship_update(*, actor, relationship: Relationship, expected_version: int, **fields) -> dict:
    access.require(actor, "edit", relationship.child)
    _unknown_fields(fields, RELATIONSHIP_FIELDS)
    if relationship.end_date is not None:
        raise ValidationError("This relationship has ended and cannot be changed")
    _check_relationship_dates(fields.get("start_date", relationship.start_date))
    with transaction.atomic():
        return update_with_history(relationship, actor=actor, expected_version=expected_version,
                                   child=relationship.child, **fields)


def relationship_end(*, actor, relationship: Relationship, end_date: dt.date, expected_version: int) -> dict:
    access.require(actor, "edit", relationship.child)
    if relationship.end_date is not None:
        raise ValidationError("This relationship has already ended")
    if end_date is None:
        raise ValidationError({"end_date": ["Enter the date the relationship ended"]})
    _check_relationship_dates(relationship.start_date, end_date)
    with transaction.atomic():
        return update_with_history(relationship, actor=actor, expected_version=expected_version,
                                   child=relationship.child, end_date=end_date)


# Duplicate checks ----------------------------------------------------------------


def match_check_record(*, actor, subject: str, first_name: str, last_name: str, date_of_birth: dt.date | None,
                       matches, chosen=None, child: Child | None = None, person: Person | None = None,
                       related_child: Child | None = None, relationship: Relationship | None = None) -> MatchCheck:
    """Record what the actor was shown of the possible matches of someone they added (`matches`, a
    selectors.PossibleMatches) and what they chose (`chosen`, one of its matches, or None for a new record),
    on the record (MatchCheck) and in the audit. Called inside the transaction that adds the person."""
    for record in (child, related_child):
        if record is not None:
            access.require(actor, "view", record)
    if chosen is not None and chosen not in matches.matches:
        raise ValidationError({"match": ["Select one of the possible matches shown"]})
    check = MatchCheck(
        subject=subject, first_name=" ".join((first_name or "").split()), last_name=" ".join((last_name or "").split()),
        date_of_birth=date_of_birth, shown=[{"kind": m.kind, "id": m.record.pk, "label": m.label}
                                            for m in matches.matches],
        hidden=bool(matches.hidden), chose_existing=chosen is not None, child=child, person=person,
        related_child=related_child, relationship=relationship, made_by=actor,
    )
    check.full_clean()
    with transaction.atomic():
        check.save()
        audit(actor=actor, action=AuditEvent.Action.OTHER, instance=check, child=child,
              changes={"possible_matches": [None, [m["label"] for m in check.shown]],
                       "match_not_shown": [None, check.hidden],
                       "chosen": [None, chosen.label if chosen is not None else "new record"]},
              summary=f"{check.get_subject_display()}: {check.summary}")
    return check


# Merging duplicates ----------------------------------------------------------------

MERGE_FILL_FIELDS = ("nhs_number", "upn", "date_of_birth", "middle_names", "preferred_name")


def _child_foreign_keys():
    """Every (model, field name) that points at Child, including other apps' models and hidden relations."""
    for rel in reverse_relations(Child):
        if rel.field.model is Child and rel.field.name == "merged_into":
            continue  # merged records are handled below
        if rel.related_model in chain.CHAINED:
            continue  # the audit and access logs are append-only: they keep the record as it was then
        if rel.related_model is Event:
            continue  # the event log is written again from the moved records (events.announce_child)
        yield rel.related_model, rel.field.name


def child_merge(*, actor, keep: Child, duplicate: Child) -> dict:
    """Move everything recorded against `duplicate` onto `keep`.

    The duplicate row stays, marked merged_into=keep, so old links and references resolve.
    Returns {model label: rows moved}.
    """
    access.require(actor, "merge", keep)
    access.require(actor, "merge", duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError("A record cannot be merged with itself")
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError("One of these records has already been merged")
    with transaction.atomic():
        keep = Child.objects.select_for_update().get(pk=keep.pk)
        duplicate = Child.objects.select_for_update().get(pk=duplicate.pk)
        if keep.merged_into_id or duplicate.merged_into_id:
            raise ValidationError("One of these records has already been merged")
        moved: dict[str, int] = {}

        # Rows that would become duplicates of rows the kept record already has.
        RestrictedAccessGrant.objects.filter(
            child=duplicate, user__in=RestrictedAccessGrant.objects.filter(child=keep).values("user")
        ).delete()
        Relationship.objects.filter(child=duplicate, related_child=keep).delete()
        Relationship.objects.filter(child=keep, related_child=duplicate).delete()

        for model, field_name in _child_foreign_keys():
            qs = model._default_manager.filter(**{field_name: duplicate})
            try:
                with transaction.atomic():
                    count = qs.update(**{field_name: keep})
            except IntegrityError:
                raise ValidationError(
                    f"Both records have {model._meta.verbose_name_plural} that cannot be combined. "
                    "Resolve these before merging."
                ) from None
            if count:
                moved[model._meta.label] = moved.get(model._meta.label, 0) + count
        events.announce_child(keep.pk)  # the moved records' events: on the kept child, linked to its pages
        earlier = Child.objects.filter(merged_into=duplicate).update(merged_into=keep)
        if earlier:
            moved["people.Child (earlier merges)"] = earlier

        # The duplicate's identifiers and details fill gaps in the kept record.
        before = field_values(keep)
        fills = {}
        for name in MERGE_FILL_FIELDS:
            if not getattr(keep, name) and getattr(duplicate, name):
                fills[name] = getattr(duplicate, name)
        if duplicate.is_restricted and not keep.is_restricted:
            fills["is_restricted"] = True
            fills["restriction_reason"] = keep.restriction_reason or duplicate.restriction_reason
        clear = {name: None for name in ("nhs_number", "upn") if name in fills}
        dup_before = field_values(duplicate)
        Child.objects.filter(pk=duplicate.pk).update(merged_into=keep, version=duplicate.version + 1, **clear)
        duplicate.refresh_from_db()
        if fills:
            for name, value in fills.items():
                setattr(keep, name, value)
            keep.version += 1
            keep.save()

        if (fold(duplicate.first_name), fold(duplicate.last_name)) != (fold(keep.first_name), fold(keep.last_name)):
            ChildAlias.objects.create(
                child=keep, first_name=duplicate.first_name, last_name=duplicate.last_name,
                kind=ChildAlias.Kind.ALSO_KNOWN_AS, **search_keys(duplicate.first_name, duplicate.last_name),
            )
        summary = f"Merged duplicate record {duplicate.la_child_id} into {keep.la_child_id}"
        audit(actor=actor, action=AuditEvent.Action.MERGED, instance=keep, child=keep,
              changes={**{k: v for k, v in _diff(before, field_values(keep)).items()},
                       "moved": [None, moved], "duplicate": [None, duplicate.la_child_id]},
              summary=summary)
        audit(actor=actor, action=AuditEvent.Action.MERGED, instance=duplicate, child=keep,
              changes=_diff(dup_before, field_values(duplicate)), summary=summary)
    return moved


def _diff(before: dict, after: dict) -> dict:
    changes = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
    changes.pop("updated_at", None)
    return changes


# Restriction --------------------------------------------------------------------------


def _resolve_users(usernames) -> list:
    User = get_user_model()
    users, missing = [], []
    for name in (u.strip() for u in usernames if u and u.strip()):
        user = User.objects.filter(is_active=True, username__iexact=name).first()
        if user is None:
            missing.append(name)
        else:
            users.append(user)
    if missing:
        raise ValidationError({"named_users": [f"There is no active user called {', '.join(missing)}"]})
    return users


def child_restrict(*, actor, child: Child, reason: str, named_users=()) -> Child:
    """Restrict a record to named users. The person restricting it is always one of them.

    `named_users` may be User objects or usernames.
    """
    access.require(actor, "restrict", child)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Enter the reason for restricting this record"]})
    User = get_user_model()
    users = [u for u in named_users if isinstance(u, User)]
    users += _resolve_users([u for u in named_users if not isinstance(u, User)])
    users.append(actor)  # a service manager (access.require above): always one of the named users
    with transaction.atomic():
        update_with_history(child, actor=actor, expected_version=child.version, child=child,
                            is_restricted=True, restriction_reason=reason[:200])
        for user in {u.pk: u for u in users}.values():
            access_grant_add(actor=actor, child=child, user=user)
    return child


def child_unrestrict(*, actor, child: Child) -> Child:
    access.require(actor, "restrict", child)
    if not child.is_restricted:
        raise ValidationError("This record is not restricted")
    with transaction.atomic():
        update_with_history(child, actor=actor, expected_version=child.version, child=child,
                            is_restricted=False, restriction_reason="")
    return child


def access_grant_add(*, actor, child: Child, user) -> RestrictedAccessGrant:
    access.require(actor, "restrict", child)
    existing = RestrictedAccessGrant.objects.filter(child=child, user=user).first()
    if existing:
        return existing
    if not user.is_active:
        raise ValidationError({"user": ["This user's account is not active"]})
    with transaction.atomic():
        grant = RestrictedAccessGrant.objects.create(
            child=child, user=user, granted_by=actor if getattr(actor, "pk", None) else None
        )
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=grant, child=child,
              changes={"access_granted_to": [None, user.username]})
    return grant


def access_grant_remove(*, actor, grant: RestrictedAccessGrant) -> None:
    access.require(actor, "restrict", grant.child)
    if grant.user_id == getattr(actor, "pk", None):
        raise ValidationError("You cannot remove your own access")
    with transaction.atomic():
        audit(actor=actor, action=AuditEvent.Action.DELETED, instance=grant, child=grant.child,
              changes={"access_granted_to": [grant.user.username, None]})
        grant.delete()


# Sharing with partner agencies ------------------------------------------------------------


def partner_share_add(*, actor, child: Child, agency: str, reason: str, shared_on: dt.date | None = None,
                      ends_on: dt.date | None = None) -> PartnerShare:
    access.require(actor, "edit", child)
    today = timezone.localdate()
    shared_on = shared_on or today
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = ["Enter the reason for sharing this record"]
    if shared_on > today:
        errors["shared_on"] = ["Date sharing starts must be today or in the past"]
    if ends_on and ends_on < max(shared_on, today):
        errors["ends_on"] = ["Date sharing ends must be today or in the future, and not before it starts"]
    open_share = PartnerShare.objects.filter(child=child, agency=agency).filter(
        models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today)
    )
    if agency and open_share.exists():
        errors["agency"] = ["This record is already shared with this agency"]
    _raise(errors)
    share = PartnerShare(child=child, agency=agency, reason=reason.strip(), shared_on=shared_on, ends_on=ends_on,
                         shared_by=actor if getattr(actor, "pk", None) else None)
    share.full_clean()
    with transaction.atomic():
        share.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=share, child=child,
              changes={k: [None, v] for k, v in field_values(share).items() if v not in (None, "")})
    return share


def partner_share_end(*, actor, share: PartnerShare, expected_version: int) -> dict:
    """Stop sharing now: the share's last day becomes yesterday, so the partner loses access today."""
    access.require(actor, "edit", share.child)
    today = timezone.localdate()
    if share.ends_on is not None and share.ends_on < today:
        raise ValidationError("Sharing with this agency has already ended")
    with transaction.atomic():
        return update_with_history(share, actor=actor, expected_version=expected_version, child=share.child,
                                   ends_on=today - dt.timedelta(days=1))
