"""Fetching a child through the access selector: ids no record could have."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["99999999999999999999999", str(2**63), "-1", "abc"])
def test_an_impossible_child_id_is_not_found_and_logged(make_user, pk):
    from django.http import Http404

    from opencsc.accounts.models import AccessLog
    from opencsc.people.access import child_for

    user = make_user("social_worker")
    with pytest.raises(Http404):
        child_for(user, pk)
    assert AccessLog.objects.filter(user=user, outcome="refused", child_reference=pk[:64]).exists()
