"""The other duties app's part of the permission matrix (see core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import Entry
from opencsc.otherduties import policy
from opencsc.people import policy as record

MATRIX = {
    "otherduties:overview": Entry(record.may_view_casework, ("child",)),
    "otherduties:private_fostering_add": Entry(record.may_record, ("child",)),
    "otherduties:private_fostering_visit": Entry(record.may_record, ("child", "private_fostering")),
    "otherduties:private_fostering_end": Entry(record.may_record, ("child", "private_fostering")),
    "otherduties:proceedings_add": Entry(record.may_record, ("child",)),
    "otherduties:hearing_add": Entry(record.may_record, ("child", "proceedings")),
    "otherduties:extension_add": Entry(record.may_record, ("child", "proceedings")),
    "otherduties:final_order": Entry(record.may_record, ("child", "proceedings")),
    "otherduties:proceedings_list": Entry(policy.may_view_proceedings_list),
    "otherduties:private_fostering_list": Entry(policy.may_view_private_fostering_list),
    # LADO records are about adults and sensitive: managers only (docs/access.md).
    "otherduties:lado_list": Entry(policy.may_view_lado),
    "otherduties:lado_add": Entry(policy.may_record_lado),
    "otherduties:lado_detail": Entry(policy.may_view_lado, ("lado",)),
    "otherduties:lado_meeting_add": Entry(policy.may_record_lado, ("lado",)),
    "otherduties:lado_outcome": Entry(policy.may_record_lado, ("lado",)),
}


def extend_world(world, *, author, child, episode):
    from .factories import CareProceedingsFactory, LadoAllegationFactory, PrivateFosteringFactory

    world["private_fostering"] = PrivateFosteringFactory(child=child, created_by=author).pk
    world["proceedings"] = CareProceedingsFactory(child=child, created_by=author).pk
    allegation = LadoAllegationFactory(created_by=author)
    allegation.children.add(child)
    world["lado"] = allegation.pk
