"""The chronology for court and for the family, and the worker's analysis of an entry (see matrix_support)."""

from opencsc.core.tests.matrix_support import Entry
from opencsc.people import policy as people_policy

MATRIX = {
    "casework:chronology_export": Entry(people_policy.may_view_casework, ("child",)),
    "casework:chronology_analysis": Entry(
        people_policy.may_record, ("child", "chronology_kind", "chronology_source_id", "chronology_seq")),
}


def extend_world(world, *, author, child, episode):
    """The matrix's case note, as its chronology entry is named (made without a service: put in the log here)."""
    from opencsc.casework.models import CaseNote
    from opencsc.core import events

    events.announce(CaseNote.objects.get(pk=world["note"]))
    world.update(chronology_kind="case_note", chronology_source_id=world["note"], chronology_seq=0)
