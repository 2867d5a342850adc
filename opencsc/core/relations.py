"""Every foreign key that points at a model, from any app, hidden relations included: what a merge moves
(people.services.child_merge) and what a destruction follows (retention.destruction)."""

from __future__ import annotations


def reverse_relations(model):
    """The model's reverse one-to-many and one-to-one relations (rel.related_model holds the foreign key
    rel.field)."""
    for rel in model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one):
            yield rel
