"""Every demo login's home page on the shared synthetic authority: it opens, in a bounded number of
queries, and the IRO sees the reviews of the children in care they are appointed to (issue 19: an IRO
who reviewed 20 children in care had no caseload page and "Nothing is due")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opencsc.accounts.models import User
from opencsc.care.models import IROAppointment
from opencsc.synthetic.constants import DEMO_LOGINS

pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]

# Each queue is a few queries, whatever the size of the authority; the page itself about ten.
MAX_QUERIES = 60


@pytest.mark.parametrize("username", [login.username for login in DEMO_LOGINS])
def test_each_demo_login_lands_on_their_work_in_a_bounded_number_of_queries(authority, client, username):
    client.force_login(User.objects.get(username=username))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:home"), follow=True)

    assert response.status_code == 200
    assert len(queries) <= MAX_QUERIES, f"{username}: {len(queries)} queries"


def test_the_demo_iro_sees_their_reviews_and_caseload(authority, client):
    iro = User.objects.get(username="iro.demo")
    appointed = IROAppointment.objects.filter(iro=iro, ended_on__isnull=True, period__end_date__isnull=True).count()
    assert appointed, "the synthetic authority appoints the demo IRO to children in care"
    client.force_login(iro)

    home = client.get(reverse("core:home")).content.decode()
    caseload = client.get(reverse("care:iro_caseload")).content.decode()

    assert 'id="queue-iro_reviews"' in home and "No looked-after reviews are due" not in home
    assert f"{appointed} child" in caseload
