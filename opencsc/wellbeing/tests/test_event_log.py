"""The event log (core/events.py) of health, education, contact and rights: what the services write, and
that it agrees with the sources."""

import pytest

from opencsc.core import events
from opencsc.core.tests import old_and_new_sources as compare

pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]

GROUPS = {  # old source: the new sources, by the second part of the old items' sort keys
    "health_assessment": {0: "health_assessment", 1: "dental_check", 2: "health_status", 3: "sdq"},
    "pep": {0: "pep", 1: "exclusion", "clocks": "pep_due"},
    "rights": {0: "rights", 1: "rights", 2: "advocacy_offer", 3: "complaint", 4: "complaint",
               5: "rights_explained"},
}
KINDS = sorted({kind for group in GROUPS.values() for kind in group.values()})


@pytest.mark.parametrize("old_key", sorted(GROUPS))
def test_old_and_new_sources_agree(authority, old_key):
    group = GROUPS[old_key]
    kinds = sorted(set(group.values()))
    count, only_old, only_new = compare.chronology_differences(
        old_key, kinds, kind_of=lambda item: group[item.sort_key[1]])
    assert count and not only_old and not only_new, (only_old, only_new)
    if old_key != "rights":
        count, only_old, only_new = compare.clock_differences(old_key, kinds)
        assert count and not only_old and not only_new, (only_old, only_new)
    assert events.verify(kinds=kinds) == []
