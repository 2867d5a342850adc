"""Build the SSDA903 files for a collection year from the records: a bounded number of queries.

Every child is read, restricted records included (the duty to make the return does not stop
at a restriction). Each table is one or two set-based queries over the year; rows are then
shaped in plain Python.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from django.db.models import Min, Q
from django.utils import timezone

from opencsc.adoption.models import AdoptionPlan, PermanenceOrder
from opencsc.care.models import CareEpisode, LookedAfterReview, PeriodOfCare
from opencsc.careleavers.models import CareLeaver, Contact
from opencsc.casework.models import Allocation
from opencsc.codes.ssda903 import placement_codes, sex_returned
from opencsc.missing.models import MissingEpisode
from opencsc.people.models import Child
from opencsc.returns.base import CollectionYear, ReturnFile
from opencsc.wellbeing.selectors import oc2_health, oc2_row

from .tables import COLUMNS, FILE_NAMES, fmt_date, to_csv

ADOPTED = {"E11", "E12"}
# UPN unknown codes (SSDA903 guidance): UN1 child not yet of school age (under 5 and no UPN
# issued); UN4 UPN not yet obtained.
UPN_UNDER_SCHOOL_AGE = "UN1"
UPN_NOT_OBTAINED = "UN4"


# SWEpisodes.SW_REASON (why the child has this social worker) for the allocation reasons the service
# records; anything else is OTHERS.
SW_REASONS = {"Transferred after assessment": "TSPROC"}
SHORTEST_SW_EPISODE_DAYS = 3  # the DfE tool's reading of "less than 24 hours"

def social_worker_id(worker_id: int | None) -> str:
    """SW_ID. The records hold no Social Work England registration number yet, so the worker is
    given as "XX" and our own worker number (the DfE list allows IDs beginning SW or XX)."""
    return "" if worker_id is None else f"XX{worker_id:06d}"


def _age_on(dob: dt.date | None, day: dt.date) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _birthday(dob: dt.date, age: int, *, leap_day_on: tuple[int, int] = (3, 1)) -> dt.date:
    """The birthday at ``age``; for a child born on 29 February, 1 March in a common year (as in law) unless
    ``leap_day_on`` says otherwise."""
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # 29 February
        return dt.date(dob.year + age, *leap_day_on)


def _flag(value) -> str:
    return "" if value is None else ("1" if value else "0")


def build_rows(year: CollectionYear, *, progress=None) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    """The rows of every table, and the map from CHILD (LA child ID) to Child.pk."""
    start, end = year.start, year.end
    steps = 10
    done = 0

    def tick(label):
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, steps, label)

    tables: dict[str, list[dict[str, str]]] = {t: [] for t in COLUMNS}
    # --- Episodes: every episode open at any time in the year -----------------------------------------
    in_year = CareEpisode.objects.filter(start_date__lte=end).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    looked_after_ids = in_year.values("child_id")  # a subquery: no long lists of ids in the SQL
    episodes = list(
        in_year
        .order_by("child_id", "start_date", "id")
        .values_list(
            "child_id", "start_date", "end_date", "reason_new_episode", "legal_status", "category_of_need",
            "reason_ceased", "home_postcode", "placement__placement_type", "placement__provider",
            "placement__end_date", "placement__reason_for_change", "placement__postcode", "placement__urn",
        )
    )
    looked_after = {e[0] for e in episodes}
    tick("Episodes")

    # --- OC3: care leavers with a 17th to 21st birthday in the year who had left care before it ------
    last_left: dict[int, dt.date | None] = {}
    for e in episodes:
        if e[0] not in last_left or last_left[e[0]] is not None:
            last_left[e[0]] = e[2]  # None while an episode is open
    leavers = list(CareLeaver.objects.values_list("child_id", "child__date_of_birth"))
    # When each care leaver first left care: a young person never looked after before is not a care
    # leaver for the 903 (DfE rules 1001 and 1002), whatever the care leavers' record says.
    first_left = dict(PeriodOfCare.objects.filter(child_id__in=CareLeaver.objects.values("child_id"), end_date__isnull=False)
                      .values("child_id").annotate(first=Min("end_date")).values_list("child_id", "first"))
    oc3_due: dict[int, dt.date] = {}
    for child_id, dob in leavers:
        if dob is None:
            continue
        for age in range(17, 22):
            day = _birthday(dob, age)
            if start <= day <= end:
                left = last_left.get(child_id, start - dt.timedelta(days=1))
                if left is not None and left < day and first_left.get(child_id, day) < day:
                    oc3_due[child_id] = day
    tick("Care leavers")

    # --- Adoption ---------------------------------------------------------------------------------------
    plans = list(
        AdoptionPlan.objects.filter(child_id__in=looked_after_ids, should_be_placed_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .filter(Q(adoption_order_on__isnull=True) | Q(adoption_order_on__gte=start))
        .order_by("child_id", "should_be_placed_on", "id")
        .values_list(
            "child_id", "should_be_placed_on", "ended_on", "end_reason", "matched_on", "adopted_by_foster_carers",
            "adoption_order_on", "adopters__adopters", "adopters__legal_status",
        )
    )
    tick("Adoption")

    # --- Children and the header -------------------------------------------------------------------------
    children = {
        c[0]: c for c in Child.objects.filter(Q(pk__in=looked_after_ids) | Q(pk__in=list(oc3_due))).values_list(
            "pk", "la_child_id", "sex", "date_of_birth", "ethnicity", "upn", "is_uasc", "uasc_ceased")
    }
    tick("Children")
    ref = {pk: c[1] for pk, c in children.items()}
    dob_of = {pk: c[3] for pk, c in children.items()}

    for pk in sorted(children, key=lambda p: ref[p]):
        _, la_id, sex, dob, ethnicity, upn, is_uasc, uasc_ceased = children[pk]
        if not upn:
            age = _age_on(dob, end)
            upn = UPN_UNDER_SCHOOL_AGE if age is not None and age < 5 else UPN_NOT_OBTAINED
        tables["Header"].append({
            "CHILD": la_id, "SEX": sex_returned(sex, year.ending), "DOB": fmt_date(dob), "ETHNIC": ethnicity, "UPN": upn,
            "MOTHER": "0" if sex == "F" and pk in looked_after else "",
            "MC_DOB": "",
        })
        # UASC status ceased by age: rule 304 wants a day on or before the 18th birthday; the DfE's tool counts
        # a 29 February child's as 28 February, which is on or before either reading
        duc = uasc_ceased or (_birthday(dob, 18, leap_day_on=(2, 28)) if is_uasc and dob else None)
        if (is_uasc or uasc_ceased) and (duc is None or duc >= start):  # ceased in or after the year (rule 104)
            tables["UASC"].append({"CHILD": la_id, "SEX": sex_returned(sex, year.ending), "DOB": fmt_date(dob), "DUC": fmt_date(duc)})

    # An unaccompanied asylum-seeking child has no home postcode in England (rule 406: no distance).
    uasc = {pk for pk, c in children.items() if c[6] or c[7]}  # formerly UASC too: no home postcode
    codes = placement_codes(year.ending)
    ended_in_year_by_adoption: set[int] = set()
    started_in_year: dict[int, dt.date] = {}
    for (child_id, decom, dec, rne, ls, cin, rec, home, place, provider, placement_end, reason_change, pl_post,
         urn) in episodes:
        in_year_end = dec if dec is not None and dec <= end else None
        if in_year_end is not None and rec in ADOPTED:
            ended_in_year_by_adoption.add(child_id)
        if rne == "S" and decom >= start:
            started_in_year.setdefault(child_id, decom)
        place = codes.returned(place)
        tables["Episodes"].append({
            "CHILD": ref[child_id], "DECOM": fmt_date(decom), "RNE": rne, "LS": ls, "CIN": cin, "PLACE": place,
            # the year's placement types with no provider or no Ofsted URN have them left blank (178, 213, 222)
            "PLACE_PROVIDER": "" if place in codes.no_provider else (provider or ""),
            "DEC": fmt_date(in_year_end), "REC": rec if in_year_end else "",
            "REASON_PLACE_CHANGE": reason_change if in_year_end and rec == "X1" and dec == placement_end else "",
            "HOME_POST": "" if child_id in uasc else (home or ""), "PL_POST": pl_post or "",
            "URN": "" if place in codes.no_urn else (urn or ""),
        })

    # --- Reviews ------------------------------------------------------------------------------------------
    for child_id, held_on, code in (
        LookedAfterReview.objects.filter(meeting__held_on__gte=start, meeting__held_on__lte=end,
                                         child_id__in=looked_after_ids)
        .order_by("child_id", "meeting__held_on", "id")
        .values_list("child_id", "meeting__held_on", "participation")
    ):
        tables["Reviews"].append({"CHILD": ref[child_id], "DOB": fmt_date(dob_of[child_id]),
                                  "REVIEW": fmt_date(held_on), "REVIEW_CODE": code})
    tick("Reviews")

    # --- OC2 ----------------------------------------------------------------------------------------------
    # The cohort is the children looked after for 12 months at 31 March. While the year is in progress,
    # the health facts are those of the 12 months to today (the latest the authority knows), for the
    # children already looked after for 12 months today.
    cohort = list(oc2_health(year_end=end, children=Child.objects.filter(pk__in=looked_after_ids))
                  .order_by("la_child_id"))
    today = timezone.localdate()
    so_far = {}
    if today < end:
        so_far = {c.pk: c for c in oc2_health(year_end=today, children=Child.objects.filter(
            pk__in=looked_after_ids))}
    for child in cohort:
        row = {"CHILD": child.la_child_id, "DOB": fmt_date(child.date_of_birth), "CONVICTED": ""}
        health = so_far.get(child.pk, child)
        row.update(oc2_row(health))
        if health is not child and row["SDQ_REASON"] == "SDQ1" and (_age_on(child.date_of_birth, start) or 0) >= 4:
            # "under 4" from before the year, for a child 4 at its start (rule 157): the year's own SDQ
            own = oc2_row(child)
            row["SDQ_SCORE"], row["SDQ_REASON"] = own["SDQ_SCORE"], own["SDQ_REASON"]
        if row["INTERVENTION_RECEIVED"] == "1":
            row["INTERVENTION_OFFERED"] = ""  # left blank when one was received (DfE rule 158)
        age = _age_on(child.date_of_birth, end)
        if age is not None and age >= 10:
            row["CONVICTED"] = "0"
        if age is not None and age >= 5:
            row["HEALTH_CHECK"] = ""  # health promotion is for the under-fives at 31 March (rule 546)
        if age is not None and (age < 4 or (_age_on(child.date_of_birth, start) or 0) >= 17):
            row["SDQ_SCORE"] = row["SDQ_REASON"] = ""  # no SDQ under 4 at the end or 17 at the start (188, 189)
        tables["OC2"].append(row)
    tick("OC2")

    # --- OC3 ----------------------------------------------------------------------------------------------
    if oc3_due:
        contacts: dict[int, list[tuple]] = defaultdict(list)
        first = min(oc3_due.values()) - dt.timedelta(days=92)
        last = max(oc3_due.values()) + dt.timedelta(days=31)
        for row in (Contact.objects.filter(child_id__in=oc3_due, contact_date__gte=first, contact_date__lte=last)
                    .order_by("contact_date", "id")
                    .values_list("child_id", "contact_date", "in_touch", "activity", "accommodation")):
            contacts[row[0]].append(row[1:])
        for child_id in sorted(oc3_due, key=lambda p: ref[p]):
            birthday = oc3_due[child_id]
            near = [c for c in contacts.get(child_id, ())
                    if birthday - dt.timedelta(days=92) <= c[0] <= birthday + dt.timedelta(days=31)]
            if near:
                _, in_touch, activity, accommodation = min(near, key=lambda c: abs((c[0] - birthday).days))
            else:
                in_touch, activity, accommodation = "NO", "0", "0"
            tables["OC3"].append({"CHILD": ref[child_id], "DOB": fmt_date(dob_of[child_id]), "IN_TOUCH": in_touch,
                                  "ACTIV": activity, "ACCOM": accommodation})
    tick("OC3")

    # --- AD1 and PlacedAdoption -----------------------------------------------------------------------------
    for (child_id, should_place, ended_on, end_reason, matched_on, by_foster_carers, order_on, adopters,
         adopters_status) in plans:
        ceased = ended_on if ended_on is not None and ended_on <= end and order_on is None else None
        tables["PlacedAdoption"].append({
            "CHILD": ref[child_id], "DOB": fmt_date(dob_of[child_id]), "DATE_PLACED": fmt_date(should_place),
            "DATE_PLACED_CEASED": fmt_date(ceased), "REASON_PLACED_CEASED": end_reason if ceased else "",
        })
        if child_id in ended_in_year_by_adoption and order_on is not None and order_on <= end:
            tables["AD1"].append({
                "CHILD": ref[child_id], "DOB": fmt_date(dob_of[child_id]), "DATE_INT": fmt_date(should_place),
                "DATE_MATCH": fmt_date(matched_on), "FOSTER_CARE": "1" if by_foster_carers else "0",
                "NB_ADOPTR": "" if not adopters else ("1" if adopters in ("M1", "F1") else "2"),
                "SEX_ADOPTR": adopters or "", "LS_ADOPTR": adopters_status or "",
            })
    tick("Adoption")

    # --- PrevPerm: children who started to be looked after in the year ---------------------------------------
    orders: dict[int, tuple[str, dt.date]] = {}
    for child_id, kind, made_on in (PermanenceOrder.objects.filter(child_id__in=started_in_year)
                                    .order_by("made_on", "id").values_list("child_id", "kind", "made_on")):
        if made_on < started_in_year[child_id]:
            orders[child_id] = (kind, made_on)
    for child_id in sorted(started_in_year, key=lambda p: ref[p]):
        kind, made_on = orders.get(child_id, ("", None))
        prev = {"sgo": "P2", "cao": "P3"}.get(kind, "Z1")
        tables["PrevPerm"].append({"CHILD": ref[child_id], "DOB": fmt_date(dob_of[child_id]), "PREV_PERM": prev,
                                   "LA_PERM": "", "DATE_PERM": fmt_date(made_on) if prev != "Z1" else ""})

    # --- Missing: looked-after children's missing or away episodes that started in the year, and those
    # still open at its start (last year's return showed them with no end: rule 576) ---------------------
    for child_id, kind, started_at, ended_at in (
        MissingEpisode.objects.filter(child_id__in=looked_after_ids, started_at__date__lte=end)
        .filter(Q(started_at__date__gte=start) | Q(ended_at__isnull=True) | Q(ended_at__date__gte=start))
        .order_by("child_id", "started_at", "id").values_list("child_id", "kind", "started_at", "ended_at")
    ):
        ended = timezone.localdate(ended_at) if ended_at is not None else None
        tables["Missing"].append({"CHILD": ref[child_id], "DOB": fmt_date(dob_of[child_id]), "MISSING": kind,
                                  "MIS_START": fmt_date(timezone.localdate(started_at)),
                                  "MIS_END": fmt_date(ended if ended is not None and ended <= end else None)})
    tick("Missing")

    # --- SWEpisodes: the social workers of children looked after at 31 March, for the whole year -----------
    at_year_end = in_year.filter(Q(end_date__isnull=True) | Q(end_date__gt=end)).values("child_id")
    for child_id, worker_id, alloc_start, alloc_end, reason in (
        Allocation.objects.filter(child_id__in=at_year_end, start_date__lte=end, worker__isnull=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("child_id", "start_date", "id")
        .values_list("child_id", "worker_id", "start_date", "end_date", "reason")
    ):
        ended = alloc_end if alloc_end is not None and alloc_end <= end else None
        began = max(alloc_start, start, dob_of[child_id] or start)  # a pre-birth allocation counts from birth
        if ended is not None and (ended - began).days < SHORTEST_SW_EPISODE_DAYS:
            continue  # too short to be a social worker episode (DfE rule SW09STG2)
        tables["SWEpisodes"].append({
            "CHILD": ref[child_id], "DOB": fmt_date(dob_of[child_id]), "SW_ID": social_worker_id(worker_id),
            "SW_DECOM": fmt_date(began), "SW_DEC": fmt_date(ended), "SW_REASON": SW_REASONS.get(reason, "OTHERS"),
        })
    tick("Social workers")
    return tables, {la_id: pk for pk, la_id in ref.items()}


# The previous collection year's files go with this year's: the DfE's validator compares the two (rules 1001,
# 1002, 348, the 503 family, 576...) and asks for both, "This year" and "Prev year".
PREVIOUS_YEAR = "previous_year_"


def build(year: CollectionYear, *, progress=None) -> list[ReturnFile]:
    """This year's files (episodes.csv, ...), then the previous year's (previous_year_episodes.csv, ...)."""
    tables, _ = build_rows(year, progress=progress)
    last, _ = build_rows(CollectionYear(year.ending - 1))
    return files_of(tables) + files_of(last, prefix=PREVIOUS_YEAR)


def split_years(files: list[ReturnFile]) -> tuple[list[ReturnFile], list[ReturnFile]]:
    """``build``'s files as (this year's, the previous year's), each under its table's own file name."""
    this = [f for f in files if not f.name.startswith(PREVIOUS_YEAR)]
    last = [dataclasses.replace(f, name=f.name.removeprefix(PREVIOUS_YEAR))
            for f in files if f.name.startswith(PREVIOUS_YEAR)]
    return this, last


def files_of(tables: dict[str, list[dict[str, str]]], *, prefix: str = "") -> list[ReturnFile]:
    return [ReturnFile(name=prefix + FILE_NAMES[table], content=to_csv(table, tables.get(table, [])),
                       content_type="text/csv")
            for table in COLUMNS]
