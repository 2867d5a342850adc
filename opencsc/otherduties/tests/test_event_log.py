"""The event log (core/events.py) of private fostering and care proceedings: what the services write, and
that it agrees with the sources."""

import pytest

from opencsc.core import events
from opencsc.core.tests import old_and_new_sources as compare

pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]
KINDS = ["private_fostering", "care_proceedings"]


@pytest.mark.parametrize("old_key", KINDS)
def test_old_and_new_sources_agree(authority, old_key):
    count, only_old, only_new = compare.chronology_differences(old_key, [old_key], seq_of=compare.rank)
    assert count and not only_old and not only_new, (only_old, only_new)
    count, only_old, only_new = compare.clock_differences(old_key, [old_key])
    assert count and not only_old and not only_new, (only_old, only_new)
    assert events.verify(kinds=[old_key]) == []
