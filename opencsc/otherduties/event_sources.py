"""This app's entries in the event registry: chronology items and statutory clock events.

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

from opencsc.casework.events import (
    ChronologyItem,
    ClockEvent,
    EventSource,
    children_query,
    of_children,
    register,
    within,
)
from opencsc.core import events
from opencsc.core.prepared import prepared

from .models import CareProceedings, Extension, Hearing, PrivateFostering, PrivateFosteringVisit


def _url(child):
    return reverse("otherduties:overview", args=[child.pk])


@prepared
def _private_fostering_rows(child_id):
    return PrivateFostering.objects.filter(child_id=child_id).prefetch_related("visits")


def _private_fostering(child, date_from=None, date_to=None):
    for item in _private_fostering_rows(child.pk):
        if within(item.notified_on, date_from, date_to):
            yield ChronologyItem(
                date=item.notified_on, source="private_fostering", category="Private fostering",
                title=f"Private fostering notified: living with {item.carer_name}",
                detail=item.carer_relationship, url=_url(child), significant=True, sort_key=(item.pk, 0),
            )
        for visit in item.visits.all():
            if within(visit.visited_on, date_from, date_to):
                seen = "child seen alone" if visit.child_seen_alone else ("child seen" if visit.child_seen
                                                                         else "child not seen")
                yield ChronologyItem(
                    date=visit.visited_on, source="private_fostering", category="Private fostering",
                    title=f"Private fostering visit: {seen}", detail=visit.notes[:300], url=_url(child),
                    sort_key=(item.pk, 1, visit.pk),
                )
        if within(item.ended_on, date_from, date_to):
            yield ChronologyItem(
                date=item.ended_on, source="private_fostering", category="Private fostering",
                title=f"Private fostering ended: {item.get_end_reason_display().lower()}", url=_url(child),
                significant=True, sort_key=(item.pk, 2),
            )


@children_query
def _private_fostering_clock_rows(children):
    return of_children(PrivateFostering.objects.all(), children).values_list(
        "child_id", "pk", "notified_on", "ended_on"
    ).order_by("child_id", "notified_on", "id")


@children_query
def _private_fostering_visit_clock_rows(children):
    return of_children(PrivateFosteringVisit.objects.all(), children, via="arrangement__child").values_list(
        "arrangement__child_id", "arrangement_id", "visited_on"
    ).order_by("arrangement__child_id", "visited_on", "id")


def _private_fostering_clock_events(children):
    for child_id, pk, notified_on, ended_on in _private_fostering_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="private_fostering_notified", on=notified_on,
                         scope=f"private_fostering:{pk}")
        if ended_on:
            yield ClockEvent(child_id=child_id, event="private_fostering_ended", on=ended_on,
                             scope=f"private_fostering:{pk}")
    for child_id, pk, visited_on in _private_fostering_visit_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="private_fostering_visit", on=visited_on,
                         scope=f"private_fostering:{pk}")


@prepared
def _proceedings_rows(child_id):
    return CareProceedings.objects.filter(child_id=child_id).prefetch_related("hearings", "extensions")


def _proceedings(child, date_from=None, date_to=None):
    for item in _proceedings_rows(child.pk):
        if within(item.issued_on, date_from, date_to):
            yield ChronologyItem(
                date=item.issued_on, source="care_proceedings", category="Court",
                title=f"Care proceedings issued at {item.court}", detail=f"Case number {item.case_number}",
                url=_url(child), significant=True, sort_key=(item.pk, 0),
            )
        for hearing in item.hearings.all():
            if within(hearing.held_on, date_from, date_to):
                order = f": {hearing.get_interim_order_display().lower()}" if hearing.interim_order else ""
                yield ChronologyItem(
                    date=hearing.held_on, source="care_proceedings", category="Court",
                    title=f"{hearing.get_kind_display()}{order}", detail=hearing.notes[:300], url=_url(child),
                    significant=bool(hearing.interim_order), sort_key=(item.pk, 1, hearing.pk),
                )
        for extension in item.extensions.all():
            if within(extension.granted_on, date_from, date_to):
                yield ChronologyItem(
                    date=extension.granted_on, source="care_proceedings", category="Court",
                    title="Proceedings extended by 8 weeks", detail=extension.reason[:300], url=_url(child),
                    sort_key=(item.pk, 2, extension.pk),
                )
        if within(item.final_order_on, date_from, date_to):
            yield ChronologyItem(
                date=item.final_order_on, source="care_proceedings", category="Court",
                title=f"Final order: {item.get_final_order_display().lower()}", url=_url(child), significant=True,
                sort_key=(item.pk, 3),
            )


@children_query
def _proceedings_clock_rows(children):
    return of_children(CareProceedings.objects.all(), children).values_list(
        "child_id", "pk", "issued_on", "final_order_on"
    ).order_by("child_id", "issued_on", "id")


@children_query
def _extension_clock_rows(children):
    return of_children(Extension.objects.all(), children, via="proceedings__child").values_list(
        "proceedings__child_id", "proceedings_id", "granted_on"
    ).order_by("proceedings__child_id", "granted_on", "id")


def _proceedings_clock_events(children):
    for child_id, pk, issued_on, final_order_on in _proceedings_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="proceedings_issued", on=issued_on, scope=f"proceedings:{pk}")
        if final_order_on:
            yield ClockEvent(child_id=child_id, event="final_order", on=final_order_on, scope=f"proceedings:{pk}")
    for child_id, pk, granted_on in _extension_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="proceedings_extended", on=granted_on, scope=f"proceedings:{pk}")


register(EventSource(
    key="private_fostering", label="Private fostering", fetch=_private_fostering,
    starts_clocks=("private_fostering_notified",),
    stops_clocks=("private_fostering_visit", "private_fostering_ended"),
    clock_events=_private_fostering_clock_events,
))
register(EventSource(
    key="care_proceedings", label="Care proceedings", fetch=_proceedings,
    starts_clocks=("proceedings_issued",), stops_clocks=("final_order",),
    clock_events=_proceedings_clock_events,
))


# --- The event log (core/events.py): what each record puts in the Event table -----------------


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
            scope=scope, clock="private_fostering_visit",
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
    stops_clocks=("private_fostering_visit", "private_fostering_ended"),
))
events.register(events.Source(
    key="care_proceedings", label="Care proceedings", model="otherduties.CareProceedings",
    project=_proceedings_facts,
    prepare=lambda rows: rows.prefetch_related(Prefetch("hearings", Hearing.objects.order_by("pk")),
                                               Prefetch("extensions", Extension.objects.order_by("pk"))),
    follows={"otherduties.Hearing": "hearings", "otherduties.Extension": "extensions"},
    starts_clocks=("proceedings_issued",), stops_clocks=("final_order",),
))
