"""Test helpers shared by every app."""

from __future__ import annotations

import factory.django

from . import events


class RecordFactory(factory.django.DjangoModelFactory):
    """A factory for records: a record made in a test is in the event log (core/events.py), as one
    made by a service is, so chronologies and due lists read it. Every app's factories derive from it."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create and instance.pk is not None:
            events.announce(instance)
