"""Deleting a child's records from every area of the service, leaving the logs alone.

Everything that hangs off the child is found by following the foreign keys that point at it, and at
what points at it, whatever app they are in (as the merge in people.services does): rows that cascade
from the child and rows that protect it (a review that protects its meeting is part of the same record).
The audit log and the access log are hash chains: they keep the child's id and LA child ID as they
were written (no database constraint) and are never touched. Rows that only refer to the child loosely
(SET_NULL: a validation issue in a statutory return, another request's item) lose the link.

Also deleted, when nothing else needs them: the adults recorded only in this child's network, the front
door contacts about this child alone, and the early help families of this child alone. Uploaded files
are removed from storage after the transaction commits.

Called only from services.destruction_confirm, after two people have approved.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction

from opencsc.casework.models import Document
from opencsc.core import chain
from opencsc.core.relations import reverse_relations
from opencsc.earlyhelp.models import EarlyHelpEpisode, Family
from opencsc.frontdoor.models import Contact, ContactChild
from opencsc.people.models import Child, Person, Relationship

OWNING = (models.CASCADE, models.PROTECT, models.RESTRICT)


def collect(child_ids: set[int]) -> dict[type[models.Model], set]:
    """{model: primary keys} of every row that belongs to these children's records.

    Refuses (ValidationError) when a row that protects one of them belongs to another child: that
    child's record would lose something it needs.
    """
    owned: dict[type[models.Model], set] = defaultdict(set)
    owned[Child] |= set(child_ids)
    queue = [(Child, set(child_ids))]
    while queue:
        model, pks = queue.pop()
        for rel in reverse_relations(model):
            related, fk = rel.related_model, rel.field
            if related in chain.CHAINED or fk.remote_field.on_delete not in OWNING:
                continue
            rows = related._base_manager.filter(**{f"{fk.name}__in": list(pks)})
            if fk.remote_field.on_delete is not models.CASCADE and related is not Child:
                _refuse_other_childs_rows(related, rows, owned[Child])
            new = set(rows.values_list("pk", flat=True)) - owned[related]
            if new:
                owned[related] |= new
                queue.append((related, new))
    return owned


def _refuse_other_childs_rows(model, rows, child_ids: set[int]) -> None:
    field_names = {f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is Child}
    if "child" in field_names and rows.exclude(child_id__in=child_ids).exists():
        raise ValidationError(
            f"Part of this record ({model._meta.verbose_name_plural}) is linked to another child's record. "
            "Nothing has been destroyed: resolve the link first.")


def _order(owned: dict) -> list:
    """The collected models, each before every model it refers to (so that nothing it protects or cascades
    from is deleted first). Nullable protecting links are cleared beforehand (see destroy)."""
    models_ = [m for m, pks in owned.items() if pks]
    needs: dict = {m: set() for m in models_}  # model -> the models it must be deleted before
    for m in models_:
        for f in m._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target is None or target is m or target not in needs:
                continue
            if f.null and f.remote_field.on_delete is models.PROTECT:
                continue  # cleared before deleting
            needs[m].add(target)
    waiting_for = {m: sum(m in needs[r] for r in models_) for m in models_}  # referrers not yet deleted
    ready = [m for m in models_ if not waiting_for[m]]
    ordered = []
    while ready:
        m = ready.pop()
        ordered.append(m)
        for target in needs[m]:
            waiting_for[target] -= 1
            if not waiting_for[target]:
                ready.append(target)
    if len(ordered) != len(models_):
        missing = sorted(m._meta.label for m in models_ if m not in ordered)
        raise ValidationError(f"These records refer to each other in a loop and cannot be destroyed: {missing}")
    return ordered


def destroy(child_ids: set[int]) -> dict[str, int]:
    """Delete these children's records (a child and the duplicates merged into it); {table: rows}.
    Call inside a transaction, after the approvals are checked."""
    owned = collect(child_ids)
    all_children = owned[Child]
    people = set(Relationship.objects.filter(child_id__in=all_children, person__isnull=False)
                 .values_list("person_id", flat=True))
    contacts = set(ContactChild.objects.filter(child_id__in=all_children).values_list("contact_id", flat=True))
    families = set(EarlyHelpEpisode.objects.filter(child_id__in=all_children).values_list("family_id", flat=True))
    files = [name for name in Document.objects.filter(pk__in=owned.get(Document, ())).values_list("file", flat=True)
             if name]

    # Links that protect a row but may be empty: cleared first, so the order above has no loops.
    for model, pks in owned.items():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.null and f.remote_field.on_delete is models.PROTECT and f.related_model in owned:
                model._base_manager.filter(pk__in=list(pks), **{f"{f.name}__in": list(owned[f.related_model])}
                                           ).update(**{f.name: None})

    counts: dict[str, int] = defaultdict(int)

    def delete(qs):
        _, per_model = qs.delete()
        for label, n in per_model.items():
            if n:
                counts[label] += n

    for model in _order(owned):
        delete(model._base_manager.filter(pk__in=list(owned[model])))
    # What belonged to nobody else once this record had gone.
    delete(Person.objects.filter(pk__in=people).exclude(relationships__isnull=False).exclude(_needed_elsewhere()))
    delete(Contact.objects.filter(pk__in=contacts).exclude(contact_children__isnull=False))
    delete(Family.objects.filter(pk__in=families).exclude(episodes__isnull=False))

    if files:
        transaction.on_commit(lambda: _remove_files(files))
    return dict(sorted(counts.items()))


def _needed_elsewhere() -> models.Q:
    """People another record protects (an adopter in an adopter household): kept when a child's network goes."""
    needed = models.Q(pk__in=[])
    for rel in reverse_relations(Person):
        if rel.field.remote_field.on_delete is models.PROTECT:
            needed |= models.Q(pk__in=rel.related_model._base_manager.values(rel.field.attname))
    return needed


def _remove_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            pass  # already gone
