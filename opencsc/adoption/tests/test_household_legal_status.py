"""The adopters' legal status (SSDA903 AD1 LS_ADOPTR), entered on the adopters' enquiry page."""

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.adoption.models import AdopterHousehold
from opencsc.core.models import AuditEvent

from .test_pages import adoption_team, adoption_worker, date_fields  # noqa: F401 (fixtures)

URL = "adoption:adopter_add"


def post(client, **values):
    return client.post(reverse(URL), {"name": "Sam and Alex Shah", **date_fields("enquiry_on", dt.date(2025, 3, 3)),
                                      **values})


@pytest.mark.parametrize(("adopters", "status"), [
    ("MF", "L11"), ("MF", "L3"), ("FF", "L12"), ("MM", "L2"), ("FF", "L4"), ("F1", "L0"), ("M1", "L0"),
    ("", "L11"), ("MF", ""),
])
def test_the_legal_status_is_recorded_shown_and_audited(adoption_worker, adopters, status):  # noqa: F811
    page = adoption_worker.get(reverse(URL)).content.decode()
    assert 'name="legal_status"' in page and "Couple in a civil partnership" in page
    response = post(adoption_worker, adopters=adopters, legal_status=status)
    household = AdopterHousehold.objects.get()
    assert response.status_code == 302
    assert (household.adopters, household.legal_status) == (adopters, status)
    detail = adoption_worker.get(reverse("adoption:adopter_detail", args=[household.pk])).content.decode()
    assert (household.get_legal_status_display() if status else "Not known yet") in detail
    changed = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATED, object_id=str(household.pk))
    assert changed.exists() == bool(status)


@pytest.mark.parametrize(("adopters", "status", "message"), [
    ("F1", "L11", "Select single adopter for one adopter"),
    ("M1", "L2", "Select single adopter for one adopter"),
    ("MF", "L0", "Select the couple&#x27;s legal status for two adopters"),
    ("FF", "L0", "Select the couple&#x27;s legal status for two adopters"),
    ("MF", "L9", "from the list"),
])
def test_a_legal_status_that_does_not_fit_the_adopters_is_refused(adoption_worker, adopters, status,  # noqa: F811
                                                                    message):
    response = post(adoption_worker, adopters=adopters, legal_status=status)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AdopterHousehold.objects.exists()


def test_someone_outside_the_adoption_service_cannot_record_adopters(signed_in):
    client = signed_in(Role.SOCIAL_WORKER)
    response = post(client, adopters="MF", legal_status="L11")
    assert response.status_code in (403, 404)
    assert not AdopterHousehold.objects.exists()
