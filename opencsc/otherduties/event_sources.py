"""This app's sources in the event log (core/events.py): chronology items and statutory clock events.

- Private fostering (rule `private_fostering_visit`): `private_fostering_notified` on the date
  the authority was notified, `private_fostering_visit` for each visit and
  `private_fostering_ended`, all in the scope `private_fostering:<pk>`.
- Care proceedings (rule `care_proceedings`): `proceedings_issued`, `proceedings_extended`
  and `final_order`, in the scope `proceedings:<pk>`.

LADO allegations are not a child's record and are seen only by managers, so they are in no
child's chronology or due list; their timeliness (rule `lado_referral`) is shown on the LADO pages.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse

from opencsc.core import events

from .models import Extension, Hearing, PrivateFosteringVisit


def _private_fostering_facts(item):
    """The notification, each visit (in the order they were recorded) and the end, each with its clock
    event in the arrangement's scope."""
    url, scope = reverse("otherduties:overview", args=[item.child_id]), f"private_fostering:{item.pk}"
    yield events.Fact(
        child_id=item.child_id, on=item.notified_on, seq=0,
        title=f"Private fostering notified: living with {item.carer_name}", category="Private fostering",
        detail=item.carer_relationship, url=url, significant=True, recorded_at=item.created_at, scope=scope,
        clock="private_fostering_notified",
    )
    visits = list(item.visits.all())
    for seq, visit in enumerate(visits, start=1):
        seen = "child seen alone" if visit.child_seen_alone else ("child seen" if visit.child_seen else "child not seen")
        yield events.Fact(
            child_id=item.child_id, on=visit.visited_on, seq=seq, title=f"Private fostering visit: {seen}",
            category="Private fostering", detail=visit.notes[:300], url=url, recorded_at=visit.created_at,
            scope=scope, clock="private_fostering_visit", seen=events.seen(visit.child_seen, visit.child_seen_alone),
        )
    if item.ended_on:
        yield events.Fact(
            child_id=item.child_id, on=item.ended_on, seq=len(visits) + 1,
            title=f"Private fostering ended: {item.get_end_reason_display().lower()}", category="Private fostering",
            url=url, significant=True, recorded_at=item.created_at, scope=scope, clock="private_fostering_ended",
        )


def _proceedings_facts(item):
    """Issue, the hearings, the extensions (each kind in the order recorded) and the final order; issue,
    extensions and the final order are clock events in the proceedings' scope."""
    url, scope = reverse("otherduties:overview", args=[item.child_id]), f"proceedings:{item.pk}"
    yield events.Fact(
        child_id=item.child_id, on=item.issued_on, seq=0, title=f"Care proceedings issued at {item.court}",
        category="Court", detail=f"Case number {item.case_number}", url=url, significant=True,
        recorded_at=item.created_at, scope=scope, clock="proceedings_issued",
    )
    seq = 0
    for hearing in item.hearings.all():
        seq += 1
        order = f": {hearing.get_interim_order_display().lower()}" if hearing.interim_order else ""
        yield events.Fact(
            child_id=item.child_id, on=hearing.held_on, seq=seq, title=f"{hearing.get_kind_display()}{order}",
            category="Court", detail=hearing.notes[:300], url=url, significant=bool(hearing.interim_order),
            recorded_at=hearing.created_at,
        )
    for extension in item.extensions.all():
        seq += 1
        yield events.Fact(
            child_id=item.child_id, on=extension.granted_on, seq=seq, title="Proceedings extended by 8 weeks",
            category="Court", detail=extension.reason[:300], url=url, recorded_at=extension.created_at,
            scope=scope, clock="proceedings_extended",
        )
    if item.final_order_on:
        yield events.Fact(
            child_id=item.child_id, on=item.final_order_on, seq=seq + 1,
            title=f"Final order: {item.get_final_order_display().lower()}", category="Court", url=url,
            significant=True, recorded_at=item.created_at, scope=scope, clock="final_order",
        )


events.register(events.Source(
    key="private_fostering", label="Private fostering", model="otherduties.PrivateFostering",
    project=_private_fostering_facts,
    prepare=lambda rows: rows.prefetch_related(Prefetch("visits", PrivateFosteringVisit.objects.order_by("pk"))),
    follows={"otherduties.PrivateFosteringVisit": "visits"},
    starts_clocks=("private_fostering_notified",),
    stops_clocks=("private_fostering_visit", "private_fostering_ended"), visits="Private fostering visits",
))
events.register(events.Source(
    key="care_proceedings", label="Care proceedings", model="otherduties.CareProceedings",
    project=_proceedings_facts,
    prepare=lambda rows: rows.prefetch_related(Prefetch("hearings", Hearing.objects.order_by("pk")),
                                               Prefetch("extensions", Extension.objects.order_by("pk"))),
    follows={"otherduties.Hearing": "hearings", "otherduties.Extension": "extensions"},
    starts_clocks=("proceedings_issued",), stops_clocks=("final_order",),
))
