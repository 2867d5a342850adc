import factory

from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.testing import RecordFactory
from opencsc.returns.models import ReturnRun, ReturnRunFile, ValidationIssue


class ReturnRunFactory(RecordFactory):
    """A finished, validated CIN census run for 2026."""

    class Meta:
        model = ReturnRun

    kind = "cin"
    year = 2026
    requested_by = factory.SubFactory(UserFactory, role="performance_analyst")
    status = ReturnRun.Status.SUCCEEDED
    validated = True


class ReturnRunFileFactory(RecordFactory):
    class Meta:
        model = ReturnRunFile

    run = factory.SubFactory(ReturnRunFactory)
    name = "cin_census_2026.xml"
    content_type = "application/xml"
    content = b"<Message/>"
    size = 10


class ValidationIssueFactory(RecordFactory):
    class Meta:
        model = ValidationIssue

    run = factory.SubFactory(ReturnRunFactory)
    rule = "8840"
    message = "The child's date of birth must be on or before the referral date"
    child_reference = factory.LazyAttribute(lambda o: o.child.la_child_id if o.child else "")
    child = None
    field = "PersonBirthDate"
    table = "ChildIdentifiers"
