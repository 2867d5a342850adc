"""The event log (core/events.py) of care leavers: what the services write, and that it agrees with the
sources."""

import pytest

from opencsc.core import events
from opencsc.core.tests import old_and_new_sources as compare

KINDS = ["leaving_care_decision", "pathway_plan", "leaving_care_contact", "leaving_care_support"]
pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]
SUPPORT_ORDER = ("Staying put arrangement started", "Staying put arrangement ended",
                 "Higher education bursary awarded", "Leaving care support ended")


@pytest.mark.parametrize("old_key, seq_of", [
    ("leaving_care_decision", compare.literal),
    ("pathway_plan", compare.rank),
    ("leaving_care_contact", compare.literal),
    ("leaving_care_support", lambda item, _: SUPPORT_ORDER.index(item.title)),
])
def test_old_and_new_sources_agree(authority, old_key, seq_of):
    count, only_old, only_new = compare.chronology_differences(old_key, [old_key], seq_of=seq_of)
    assert count and not only_old and not only_new, (only_old, only_new)
    if events.get_source(old_key).records_clocks:
        _count, only_old, only_new = compare.clock_differences(old_key, [old_key])
        assert not only_old and not only_new, (only_old, only_new)
    assert events.verify(kinds=[old_key]) == []
