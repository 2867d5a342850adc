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


@pytest.mark.django_db
def test_the_access_log_finds_no_child_for_no_reference_and_shows_nothing_to_a_worker(make_user):
    from opencsc.accounts.access_records import log_access
    from opencsc.people import access_log

    manager, worker = make_user("team_manager"), make_user("social_worker")
    log_access(worker, reference="1", path="/children/1/")
    assert access_log.child_for_access_log(viewer=manager, reference="  ") is None
    assert access_log.access_log_entries(viewer=manager).count() == 1
    assert access_log.access_log_entries(viewer=worker).count() == 0
