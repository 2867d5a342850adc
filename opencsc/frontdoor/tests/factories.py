import datetime as dt

import factory
from django.utils import timezone

from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.testing import RecordFactory
from opencsc.frontdoor.models import Contact, ContactChild, DomesticAbuseNotification, InformationRequest
from opencsc.frontdoor.rules import request_due

TZ = timezone.get_default_timezone()


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


class ContactFactory(RecordFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    received_at = at(dt.date(2026, 3, 2))
    referrer_name = factory.Faker("name", locale="en_GB")
    referrer_role = "Designated safeguarding lead"
    referrer_agency = "education"
    referral_source = "2A"
    concerns = "Child came to school hungry with a bruise on the arm."
    created_by = factory.SubFactory(UserFactory, role="mash_practitioner")

    @factory.post_generation
    def children(obj, create, extracted, **kwargs):
        if create and extracted:
            ContactChild.objects.bulk_create([ContactChild(contact=obj, child=c) for c in extracted])


def screened(contact, user, level="3"):
    Contact.objects.filter(pk=contact.pk).update(level_of_need=level, screening_rationale="Threshold met",
                                                 screened_by=user, screened_at=contact.received_at)
    contact.refresh_from_db()
    return contact


class DomesticAbuseNotificationFactory(RecordFactory):
    class Meta:
        model = DomesticAbuseNotification

    contact = factory.SubFactory(ContactFactory, referrer_agency="police", referral_source="6")
    incident_at = factory.LazyAttribute(lambda o: o.contact.received_at - dt.timedelta(hours=8))
    risk_level = "medium"
    children_present = True
    created_by = factory.SubFactory(UserFactory, role="mash_practitioner")


class InformationRequestFactory(RecordFactory):
    class Meta:
        model = InformationRequest

    contact = factory.SubFactory(ContactFactory)
    agency = "police"
    rag = "amber"
    question = "Any call-outs to the address in the last year?"
    requested_at = factory.LazyAttribute(lambda o: o.contact.received_at + dt.timedelta(hours=1))
    due_at = factory.LazyAttribute(lambda o: request_due(o.requested_at, o.rag))
    requested_by = factory.SubFactory(UserFactory, role="mash_practitioner")
