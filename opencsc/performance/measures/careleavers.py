"""Care leavers aged 19 to 21: in touch, in education, employment or training, suitably housed."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery

from opencsc.careleavers.codes import (
    ACCOMMODATION,
    ACTIVITY_NAMES,
    EET_CODES,
    IN_TOUCH_NAMES,
    IN_TOUCH_YES,
    SUITABLE_ACCOMMODATION,
)
from opencsc.careleavers.models import Contact
from opencsc.careleavers.selectors import care_leavers, in_age_group
from opencsc.people.models import Child

from .base import Row
from .common import in_words

AGE_GROUP = "19-21"


def _cohort(as_at: dt.date):
    """Care leavers aged 19 to 21 on the date (`careleavers.selectors.care_leavers` and `in_age_group`),
    each with their latest contact on or before the date (one query).

    `careleavers.selectors.with_latest` takes the latest contact ever recorded, so it cannot look back
    to a date: the same annotation is made here with contacts after the date left out.
    """
    latest = Contact.objects.filter(child=OuterRef("pk"), contact_date__lte=as_at).order_by("-contact_date", "-id")
    return (in_age_group(care_leavers(Child.objects.all(), as_at), AGE_GROUP, as_at)
            .annotate(last_contact_date=Subquery(latest.values("contact_date")[:1]),
                      last_in_touch=Subquery(latest.values("in_touch")[:1]),
                      last_activity=Subquery(latest.values("activity")[:1]),
                      last_accommodation=Subquery(latest.values("accommodation")[:1]))
            .order_by("pk"))


def _rows(as_at: dt.date, field: str, codes, names: dict[str, str]) -> list[Row]:
    rows = []
    for child_id, last, value in _cohort(as_at).values_list("pk", "last_contact_date", field):
        if last is None:
            rows.append(Row(child_id=child_id, met=False, ref="No contact recorded", on=None))
            continue
        rows.append(Row(child_id=child_id, met=value in codes, on=last,
                        ref=f"Last contact {in_words(last)}: {names.get(value, value).lower()}"))
    return rows


def care_leavers_in_touch(as_at: dt.date) -> list[Row]:
    """Care leavers aged 19 to 21 in touch.

    Every young person aged 19 to 21 on the date with leaving care support (a care leaver record,
    support not ended; `careleavers.selectors.care_leavers`). Met when the latest contact on or before
    the date recorded them as in touch (SSDA903 OC3 IN_TOUCH "YES"). No contact recorded counts as
    not met. Source: care leaver contacts in the careleavers app.
    """
    return _rows(as_at, "last_in_touch", {IN_TOUCH_YES}, IN_TOUCH_NAMES)


def care_leavers_eet(as_at: dt.date) -> list[Row]:
    """Care leavers aged 19 to 21 in education, employment or training.

    The same young people. Met when the main activity at the latest contact on or before the date was
    education, employment or training (SSDA903 OC3 ACTIV codes `careleavers.codes.EET_CODES`).
    No contact recorded counts as not met. Source: care leaver contacts in the careleavers app.
    """
    return _rows(as_at, "last_activity", EET_CODES, ACTIVITY_NAMES)


def care_leavers_suitable_accommodation(as_at: dt.date) -> list[Row]:
    """Care leavers aged 19 to 21 in suitable accommodation.

    The same young people. Met when the accommodation at the latest contact on or before the date was
    recorded as suitable (SSDA903 OC3 ACCOM suitability, `careleavers.codes.SUITABLE_ACCOMMODATION`).
    No contact recorded counts as not met. Source: care leaver contacts in the careleavers app.
    """
    return _rows(as_at, "last_accommodation", SUITABLE_ACCOMMODATION, dict(ACCOMMODATION.items))
