"""The DfE SSDA903 validation rules (2025-26) that our validator implements.

Each rule is a small function registered with its DfE code; it receives the whole return
(`Data`: parsed rows grouped by child) and yields the rows that break it. The episode rules
reuse the care service's own definitions (opencsc.care.rules: code groups, provider limits,
temporary placement limits), so the service that refuses a wrong record and the return that
reports one read the same lists.
"""

from __future__ import annotations

import datetime as dt

from opencsc.care import rules as care
from opencsc.codes import (
    CATEGORY_OF_NEED,
    ETHNICITY,
    LEGAL_STATUS,
    PLACEMENT_PROVIDER,
    REASON_EPISODE_CEASED,
    REASON_NEW_EPISODE,
    REASON_PLACE_CHANGE,
    REVIEW_PARTICIPATION,
    ssda903_list,
)
from opencsc.codes.ssda903 import PlacementCodes, placement_codes, sex_codes

from .engine import Data, age_on, rule

ETHNIC_CODES = {code for code, _ in ETHNICITY.items}
RNE_CODES = {code for code, _ in REASON_NEW_EPISODE.items}
LS_CODES = {code for code, _ in LEGAL_STATUS.items}
CIN_CODES = {code for code, _ in CATEGORY_OF_NEED.items}
PROVIDER_CODES = {code for code, _ in PLACEMENT_PROVIDER.items}
REC_CODES = {code for code, _ in REASON_EPISODE_CEASED.items}
CHANGE_CODES = {code for code, _ in REASON_PLACE_CHANGE.items}
REVIEW_CODES = {code for code, _ in REVIEW_PARTICIPATION.items}
MISSING_CODES = {code for code, _ in ssda903_list("Missing", "MISSING", "Missing").items}
FOSTER_CARE_CODES = {code for code, _ in ssda903_list("AD1", "FOSTER_CARE", "Foster care").items}
SEX_ADOPTR_CODES = {code for code, _ in ssda903_list("AD1", "SEX_ADOPTR", "Adopters").items}
LS_ADOPTR_CODES = {code for code, _ in ssda903_list("AD1", "LS_ADOPTR", "Legal status of adopters").items}
REASON_PLACED_CEASED_CODES = {code for code, _ in ssda903_list("PlacedAdoption", "REASON_PLACED_CEASED", "R").items}
CONTINUATION = {"L", "P", "T", "U", "B"}
UNDER_4 = "PN0"  # review participation: the child was under 4


def _placement(data: Data) -> PlacementCodes:
    """The placement codes of the collection year being validated (they changed from 2025-26)."""
    return placement_codes(data.end.year)


def _invalid_date(row, column) -> bool:
    return bool(row.get(column)) and row.d[column] is None


def _not_in(data: Data, table: str, column: str, codes: set[str], *, blank_ok: bool):
    for row in data.rows(table):
        value = row.get(column, "")
        if (value or not blank_ok) and value not in codes:
            yield row


def _age_at(data: Data, row, column):
    return age_on(data.dob(row["CHILD"]), row.d[column])


def _not_in_header(data: Data, table: str):
    for row in data.rows(table):
        if row["CHILD"] not in data.header:
            yield row


def _dob_differs(data: Data, table: str):
    for row in data.rows(table):
        head = data.header.get(row["CHILD"])
        if head is not None and row.get("DOB", "") != head.get("DOB", ""):
            yield row


def _last_ceased(data: Data, child: str) -> dt.date | None:
    """The day the child ceased to be looked after, if their last episode in the return ends care."""
    episodes = data.episodes_of(child)
    if not episodes:
        return None
    last = episodes[-1]
    if last.d["DEC"] is not None and last.get("REC") and last["REC"] != care.CONTINUES:
        return last.d["DEC"]
    return None


# --- Header ---------------------------------------------------------------------------------------


@rule("101", table="Header", field="SEX")
def sex_valid(data):
    return _not_in(data, "Header", "SEX", sex_codes(data.end.year), blank_ok=False)  # 1 and 2 until 2023-24


@rule("102", table="Header", field="DOB")
def dob_valid(data):
    return (r for r in data.rows("Header") if r.d["DOB"] is None)


@rule("103", table="Header", field="ETHNIC")
def ethnic_valid(data):
    return _not_in(data, "Header", "ETHNIC", ETHNIC_CODES, blank_ok=False)


@rule("165", table="Header", field="MOTHER")
def mother_valid(data):
    """The part of rule 165 about the value itself: blank, 0 or 1."""
    return _not_in(data, "Header", "MOTHER", {"0", "1"}, blank_ok=True)


# --- Episodes: codes and dates ----------------------------------------------------------------------


@rule("143", table="Episodes", field="RNE")
def rne_valid(data):
    return _not_in(data, "Episodes", "RNE", RNE_CODES, blank_ok=False)


@rule("144", table="Episodes", field="LS")
def ls_valid(data):
    return _not_in(data, "Episodes", "LS", LS_CODES, blank_ok=False)


@rule("145", table="Episodes", field="CIN")
def cin_valid(data):
    return _not_in(data, "Episodes", "CIN", CIN_CODES, blank_ok=False)


@rule("146", table="Episodes", field="PLACE")
def place_valid(data):
    return _not_in(data, "Episodes", "PLACE", _placement(data).types, blank_ok=False)


@rule("178", table="Episodes", field="PLACE_PROVIDER")
def provider_valid(data):
    """A provider that is not a code, or one given for a placement type that has none (the DfE's 178)."""
    refused = _placement(data).provider_refused
    return (r for r in data.rows("Episodes")
            if r.get("PLACE_PROVIDER") and (r["PLACE_PROVIDER"] not in PROVIDER_CODES or r.get("PLACE") in refused))


@rule("149", table="Episodes", field="REC")
def rec_valid(data):
    return _not_in(data, "Episodes", "REC", REC_CODES, blank_ok=True)


@rule("1009", table="Episodes", field="REASON_PLACE_CHANGE")
def place_change_valid(data):
    return _not_in(data, "Episodes", "REASON_PLACE_CHANGE", CHANGE_CODES, blank_ok=True)


@rule("147", table="Episodes", field="DEC")
def dec_valid(data):
    return (r for r in data.rows("Episodes") if _invalid_date(r, "DEC"))


@rule("148", table="Episodes", field="DEC")
def dec_and_rec(data):
    return (r for r in data.rows("Episodes") if bool(r.get("DEC")) != bool(r.get("REC")))


@rule("356", table="Episodes", field="DEC")
def dec_after_decom(data):
    return (r for r in data.rows("Episodes")
            if r.d["DEC"] is not None and r.d["DECOM"] is not None and r.d["DEC"] < r.d["DECOM"])


@rule("353", table="Episodes", field="DECOM")
def decom_after_1991(data):
    return (r for r in data.rows("Episodes") if r.d["DECOM"] is not None and r.d["DECOM"] < care.EARLIEST)


@rule("385", table="Episodes", field="DEC")
def dec_in_year(data):
    return (r for r in data.rows("Episodes") if r.d["DEC"] is not None and r.d["DEC"] > data.end)


# --- Episodes: the run of episodes --------------------------------------------------------------------


def _pairs(data: Data):
    """(previous episode, episode) for every child's consecutive episodes."""
    for episodes in data.by_child["Episodes"].values():
        yield from zip(episodes, episodes[1:], strict=False)


@rule("388", table="Episodes", field="REC")
def continuation_follows(data):
    for episodes in data.by_child["Episodes"].values():
        for i, row in enumerate(episodes):
            if row.get("REC") != care.CONTINUES:
                continue
            after = episodes[i + 1] if i + 1 < len(episodes) else None
            if after is None or after.d["DECOM"] != row.d["DEC"]:
                yield row


@rule("433", table="Episodes", field="DECOM")
def continuation_same_day(data):
    for before, row in _pairs(data):
        if row.get("RNE") in CONTINUATION and before.d["DEC"] is not None and row.d["DECOM"] != before.d["DEC"]:
            yield row


@rule("431", table="Episodes", field="RNE")
def started_not_same_day(data):
    for before, row in _pairs(data):
        if row.get("RNE") == care.STARTED and before.d["DEC"] is not None and row.d["DECOM"] == before.d["DEC"]:
            yield row


@rule("432", table="Episodes", field="RNE")
def ceased_then_started(data):
    for before, row in _pairs(data):
        if before.get("REC") and before["REC"] != care.CONTINUES and row.get("RNE") != care.STARTED:
            yield row


@rule("357", table="Episodes", field="RNE")
def first_episode_started(data):
    """A child's first episode that began in the year (so there is no earlier one) must be S."""
    for episodes in data.by_child["Episodes"].values():
        first = episodes[0]
        if first.d["DECOM"] is not None and first.d["DECOM"] >= data.start and first.get("RNE") != care.STARTED:
            yield first


@rule("217", table="Episodes", field="RNE")
def adoption_with_foster_carers(data):
    return (r for r in data.rows("Episodes") if r.get("PLACE") in {"A3", "A5"} and r.get("RNE") not in {"S", "T", "U"})


# --- Episodes: ages ------------------------------------------------------------------------------------


def _ceased_at_age(data: Data, codes: set[str], test):
    for row in data.rows("Episodes"):
        if row.get("REC") in codes:
            age = _age_at(data, row, "DEC")
            if age is not None and test(age):
                yield row


@rule("386", table="Episodes", field="REC")
def adopted_under_18(data):
    return _ceased_at_age(data, care.ADOPTED, lambda age: age >= 18)


@rule("407", table="Episodes", field="REC")
def sgo_under_18(data):
    return _ceased_at_age(data, care.SGO, lambda age: age >= 18)


@rule("387", table="Episodes", field="REC")
def independent_living_14(data):
    return _ceased_at_age(data, care.INDEPENDENT_LIVING, lambda age: age < 14)


@rule("389", table="Episodes", field="REC")
def adult_social_care_16(data):
    return _ceased_at_age(data, care.ADULT_SOCIAL_CARE, lambda age: age < 16)


@rule("460", table="Episodes", field="REC")
def stayed_with_carers_18(data):
    return _ceased_at_age(data, care.STAYED_WITH_CARERS_AT_18, lambda age: age < 18)


@rule("358", table="Episodes", field="LS")
def youth_justice_10(data):
    for row in data.rows("Episodes"):
        if row.get("LS") in care.YOUTH_JUSTICE:
            age = _age_at(data, row, "DECOM")
            if age is not None and age < 10:
                yield row


# --- Episodes: placements and providers ------------------------------------------------------------------


def _provider_forbids(data: Data, provider: str):
    forbidden = care.PROVIDER_FORBIDS[provider]
    return (r for r in data.rows("Episodes") if r.get("PLACE_PROVIDER") == provider and r.get("PLACE") in forbidden)


@rule("527", table="Episodes", field="PLACE_PROVIDER")
def pr1_places(data):
    return _provider_forbids(data, "PR1")


@rule("528", table="Episodes", field="PLACE_PROVIDER")
def pr2_places(data):
    return _provider_forbids(data, "PR2")


@rule("529", table="Episodes", field="PLACE_PROVIDER")
def pr3_places(data):
    return _provider_forbids(data, "PR3")


@rule("530", table="Episodes", field="PLACE_PROVIDER")
def pr4_places(data):
    return _provider_forbids(data, "PR4")


@rule("531", table="Episodes", field="PLACE_PROVIDER")
def pr5_places(data):
    return _provider_forbids(data, "PR5")


@rule("550", table="Episodes", field="PLACE_PROVIDER")
def pr0_only_with_parents(data):
    return (r for r in data.rows("Episodes")
            if r.get("PLACE_PROVIDER") == "PR0" and r.get("PLACE") != care.PLACED_WITH_PARENTS)


def _lasted_more_than(data: Data, place: str):
    limit = care.MAX_DAYS[place]
    for row in data.rows("Episodes"):
        if row.get("PLACE") == place and row.d["DECOM"] is not None and row.d["DEC"] is not None \
                and (row.d["DEC"] - row.d["DECOM"]).days > limit:
            yield row


@rule("376", table="Episodes", field="DEC")
def t3_three_weeks(data):
    return _lasted_more_than(data, "T3")


@rule("379", table="Episodes", field="DEC")
def t4_seven_days(data):
    return _lasted_more_than(data, "T4")


# --- Reviews ----------------------------------------------------------------------------------------------


@rule("166", table="Reviews", field="REVIEW")
def review_date_valid(data):
    return (r for r in data.rows("Reviews") if r.d["REVIEW"] is None)


@rule("167", table="Reviews", field="REVIEW_CODE")
def review_code_valid(data):
    return _not_in(data, "Reviews", "REVIEW_CODE", REVIEW_CODES, blank_ok=False)


@rule("440", table="Reviews", field="REVIEW_CODE")
def under_4_code_but_older(data):
    for row in data.rows("Reviews"):
        age = _age_at(data, row, "REVIEW")
        if row.get("REVIEW_CODE") == UNDER_4 and age is not None and age >= 4:
            yield row


@rule("441", table="Reviews", field="REVIEW_CODE")
def older_code_but_under_4(data):
    for row in data.rows("Reviews"):
        age = _age_at(data, row, "REVIEW")
        if row.get("REVIEW_CODE") in REVIEW_CODES - {UNDER_4} and age is not None and age < 4:
            yield row


@rule("INT08", table="Reviews", field="CHILD")
def review_child_in_header(data):
    return _not_in_header(data, "Reviews")


@rule("INT17", table="Reviews", field="DOB")
def review_dob_matches(data):
    return _dob_differs(data, "Reviews")


# --- Missing ------------------------------------------------------------------------------------------------


@rule("1006", table="Missing", field="MISSING")
def missing_type_valid(data):
    return _not_in(data, "Missing", "MISSING", MISSING_CODES, blank_ok=False)


@rule("564", table="Missing", field="MIS_START")
def missing_start_given(data):
    return (r for r in data.rows("Missing") if not r.get("MIS_START"))


@rule("1004", table="Missing", field="MIS_START")
def missing_start_valid(data):
    return (r for r in data.rows("Missing") if _invalid_date(r, "MIS_START"))


@rule("1005", table="Missing", field="MIS_END")
def missing_end_valid(data):
    return (r for r in data.rows("Missing") if _invalid_date(r, "MIS_END"))


@rule("567", table="Missing", field="MIS_END")
def missing_end_after_start(data):
    return (r for r in data.rows("Missing")
            if r.d["MIS_END"] is not None and r.d["MIS_START"] is not None and r.d["MIS_END"] < r.d["MIS_START"])


@rule("570", table="Missing", field="MIS_START")
def missing_start_in_year(data):
    return (r for r in data.rows("Missing") if r.d["MIS_START"] is not None and r.d["MIS_START"] > data.end)


@rule("571", table="Missing", field="MIS_END")
def missing_end_in_year(data):
    return (r for r in data.rows("Missing")
            if r.d["MIS_END"] is not None and not data.start <= r.d["MIS_END"] <= data.end)


@rule("586", table="Missing", field="MIS_START")
def missing_after_birth(data):
    for row in data.rows("Missing"):
        dob = data.dob(row["CHILD"])
        if dob is not None and row.d["MIS_START"] is not None and row.d["MIS_START"] < dob:
            yield row


@rule("574", table="Missing", field="MIS_START")
def missing_periods_do_not_overlap(data):
    for rows in data.by_child["Missing"].values():
        ordered = sorted((r for r in rows if r.d["MIS_START"] is not None), key=lambda r: (r.d["MIS_START"], r.n))
        for before, row in zip(ordered, ordered[1:], strict=False):
            if before.d["MIS_END"] is None or before.d["MIS_END"] > row.d["MIS_START"]:
                yield row


@rule("577", table="Missing", field="MIS_END")
def missing_open_after_care_ended(data):
    for child, rows in data.by_child["Missing"].items():
        if _last_ceased(data, child) is not None:
            yield from (r for r in rows if not r.get("MIS_END"))


@rule("578", table="Missing", field="MIS_START")
def missing_before_care_ended(data):
    for child, rows in data.by_child["Missing"].items():
        ceased = _last_ceased(data, child)
        if ceased is not None:
            yield from (r for r in rows if r.d["MIS_START"] is not None and r.d["MIS_START"] > ceased)


@rule("INT04", table="Missing", field="CHILD")
def missing_child_in_header(data):
    return _not_in_header(data, "Missing")


@rule("INT13", table="Missing", field="DOB")
def missing_dob_matches(data):
    return _dob_differs(data, "Missing")


# --- Adoption: AD1 ----------------------------------------------------------------------------------------


@rule("112", table="AD1", field="DATE_INT")
def ad1_date_int_valid(data):
    return (r for r in data.rows("AD1") if r.d["DATE_INT"] is None)


@rule("113", table="AD1", field="DATE_MATCH")
def ad1_date_match_valid(data):
    return (r for r in data.rows("AD1") if r.d["DATE_MATCH"] is None)


@rule("114", table="AD1", field="FOSTER_CARE")
def ad1_foster_care_valid(data):
    return _not_in(data, "AD1", "FOSTER_CARE", FOSTER_CARE_CODES, blank_ok=False)


@rule("175", table="AD1", field="NB_ADOPTR")
def ad1_number_valid(data):
    return _not_in(data, "AD1", "NB_ADOPTR", {"1", "2"}, blank_ok=False)


@rule("176", table="AD1", field="SEX_ADOPTR")
def ad1_sex_valid(data):
    return _not_in(data, "AD1", "SEX_ADOPTR", SEX_ADOPTR_CODES, blank_ok=False)


@rule("177", table="AD1", field="LS_ADOPTR")
def ad1_legal_status_valid(data):
    return _not_in(data, "AD1", "LS_ADOPTR", LS_ADOPTR_CODES, blank_ok=False)


@rule("333", table="AD1", field="DATE_MATCH")
def should_be_placed_before_match(data):
    return (r for r in data.rows("AD1")
            if r.d["DATE_INT"] is not None and r.d["DATE_MATCH"] is not None and r.d["DATE_INT"] > r.d["DATE_MATCH"])


def _adopters(data: Data, *, field: str, value: str, allowed: set[str]):
    return (r for r in data.rows("AD1") if r.get(field) == value and r.get("SEX_ADOPTR") not in allowed)


@rule("511", table="AD1", field="SEX_ADOPTR")
def two_adopters_are_a_couple(data):
    return _adopters(data, field="NB_ADOPTR", value="2", allowed={"MM", "FF", "MF"})


@rule("514", table="AD1", field="LS_ADOPTR")
def single_adopter(data):
    return _adopters(data, field="LS_ADOPTR", value="L0", allowed={"M1", "F1"})


@rule("517", table="AD1", field="LS_ADOPTR")
def l3_couple(data):
    return _adopters(data, field="LS_ADOPTR", value="L3", allowed={"MF"})


@rule("518", table="AD1", field="LS_ADOPTR")
def l4_couple(data):
    return _adopters(data, field="LS_ADOPTR", value="L4", allowed={"MM", "FF"})


@rule("519", table="AD1", field="LS_ADOPTR")
def civil_partners(data):
    return _adopters(data, field="LS_ADOPTR", value="L2", allowed={"MM", "FF", "MF"})


@rule("520", table="AD1", field="LS_ADOPTR")
def married_different_sex(data):
    return _adopters(data, field="LS_ADOPTR", value="L11", allowed={"MF"})


@rule("524", table="AD1", field="LS_ADOPTR")
def married_same_sex(data):
    return _adopters(data, field="LS_ADOPTR", value="L12", allowed={"MM", "FF"})


# --- Adoption: PlacedAdoption --------------------------------------------------------------------------------


@rule("115", table="PlacedAdoption", field="DATE_PLACED")
def placed_date_valid(data):
    return (r for r in data.rows("PlacedAdoption") if r.d["DATE_PLACED"] is None)


@rule("116", table="PlacedAdoption", field="DATE_PLACED_CEASED")
def placed_ceased_valid(data):
    return (r for r in data.rows("PlacedAdoption") if _invalid_date(r, "DATE_PLACED_CEASED"))


@rule("120", table="PlacedAdoption", field="REASON_PLACED_CEASED")
def placed_reason_valid(data):
    return _not_in(data, "PlacedAdoption", "REASON_PLACED_CEASED", REASON_PLACED_CEASED_CODES, blank_ok=True)


@rule("119", table="PlacedAdoption", field="REASON_PLACED_CEASED")
def placed_ceased_both(data):
    return (r for r in data.rows("PlacedAdoption")
            if bool(r.get("DATE_PLACED_CEASED")) != bool(r.get("REASON_PLACED_CEASED")))


@rule("184", table="PlacedAdoption", field="DATE_PLACED")
def placed_after_birth(data):
    for row in data.rows("PlacedAdoption"):
        dob = data.dob(row["CHILD"])
        if dob is not None and row.d["DATE_PLACED"] is not None and row.d["DATE_PLACED"] < dob:
            yield row


@rule("522", table="PlacedAdoption", field="DATE_PLACED_CEASED")
def placed_before_ceased(data):
    return (r for r in data.rows("PlacedAdoption")
            if r.d["DATE_PLACED"] is not None and r.d["DATE_PLACED_CEASED"] is not None
            and r.d["DATE_PLACED"] > r.d["DATE_PLACED_CEASED"])


@rule("INT02", table="PlacedAdoption", field="CHILD")
def placed_child_in_header(data):
    return _not_in_header(data, "PlacedAdoption")


@rule("INT12", table="PlacedAdoption", field="DOB")
def placed_dob_matches(data):
    return _dob_differs(data, "PlacedAdoption")


# --- UASC ------------------------------------------------------------------------------------------------------


@rule("104", table="UASC", field="DUC")
def duc_valid(data):
    return (r for r in data.rows("UASC") if _invalid_date(r, "DUC"))


@rule("304", table="UASC", field="DUC")
def duc_by_18(data):
    for row in data.rows("UASC"):
        dob = data.dob(row["CHILD"]) or row.d["DOB"]
        if dob is not None and row.d["DUC"] is not None and age_on(dob, row.d["DUC"]) >= 18 \
                and row.d["DUC"] != _eighteenth(dob):
            yield row


def _eighteenth(dob: dt.date) -> dt.date:
    try:
        return dob.replace(year=dob.year + 18)
    except ValueError:
        return dt.date(dob.year + 18, 3, 1)


# --- Added: overlapping episodes and open missing periods ----------------------------------------------------


@rule("501", table="Episodes", field="DECOM")
def episodes_do_not_overlap(data):
    for before, row in _pairs(data):
        if before.d["DEC"] is not None and row.d["DECOM"] is not None and row.d["DECOM"] < before.d["DEC"]:
            yield row


@rule("575", table="Missing", field="MIS_END")
def missing_ends_with_placement(data):
    """An open missing period in an episode that has ended (the placement it was from has ended)."""
    for child, rows in data.by_child["Missing"].items():
        episodes = data.episodes_of(child)
        for row in rows:
            began = row.d["MIS_START"]
            if row.get("MIS_END") or began is None:
                continue
            during = [e for e in episodes if e.d["DECOM"] is not None and e.d["DECOM"] <= began
                      and (e.d["DEC"] is None or e.d["DEC"] >= began)]
            if during and during[-1].d["DEC"] is not None:
                yield row


# --- Episodes: what changed at a new episode ----------------------------------------------------------------

PLACEMENT_COLUMNS = ("PLACE", "PL_POST", "URN", "PLACE_PROVIDER")
URN_NOT_KNOWN = "XXXXXXX"


def _placement_changed(before, row) -> bool:
    return any(row.get(c, "") != before.get(c, "") for c in PLACEMENT_COLUMNS)


@rule("434", table="Episodes", field="RNE")
def legal_status_change(data):
    for before, row in _pairs(data):
        if row.get("RNE") == "L" and (row.get("LS") == before.get("LS") or _placement_changed(before, row)):
            yield row


@rule("435", table="Episodes", field="RNE")
def placement_change(data):
    for before, row in _pairs(data):
        if row.get("RNE") in {"P", "T"} and (row.get("LS") != before.get("LS") or not _placement_changed(before, row)):
            yield row


@rule("437", table="Episodes", field="REC")
def nothing_after_death_or_18(data):
    for episodes in data.by_child["Episodes"].values():
        yield from (e for e in episodes[:-1] if e.get("REC") in {"E2", "E15"})


@rule("355", table="Episodes", field="DEC")
def longer_than_a_day(data):
    return (r for r in data.rows("Episodes") if r.get("DEC") and r.get("DEC") == r.get("DECOM"))


def _spells(data: Data, status: str):
    """Runs of consecutive episodes with one legal status: (rows, days), open ones to the year end."""
    for episodes in data.by_child["Episodes"].values():
        run, days, last_end = [], 0, None
        for e in episodes:
            if e.get("LS") != status or e.d["DECOM"] is None:
                if run:
                    yield run, days
                run, days, last_end = [], 0, None
                continue
            if run and (last_end is None or e.d["DECOM"] > last_end):
                yield run, days
                run, days = [], 0
            end = e.d["DEC"] or data.end
            run.append(e)
            days += (end - e.d["DECOM"]).days
            last_end = end
        if run:
            yield run, days


@rule("363", table="Episodes", field="LS")
def child_assessment_order_7_days(data):
    for run, days in _spells(data, "L3"):
        if days > 7:
            yield from run


@rule("364", table="Episodes", field="LS")
def police_detention_21_days(data):
    for run, days in _spells(data, "J2"):
        if days > 21:
            yield from run


@rule("365", table="Episodes", field="LS")
def respite_17_days(data):
    for row in data.rows("Episodes"):
        if row.get("LS") == "V3" and row.d["DECOM"] is not None \
                and (row.d["DEC"] or data.end) > row.d["DECOM"] + dt.timedelta(days=17):
            yield row


@rule("352", table="Episodes", field="DECOM")
def started_under_18(data):
    for row in data.rows("Episodes"):
        age = _age_at(data, row, "DECOM")
        if row.get("RNE") == care.STARTED and age is not None and age >= 18:
            yield row


@rule("351", table="Header", field="DOB")
def not_over_25(data):
    return (r for r in data.rows("Header") if r.d["DOB"] is not None and data.start > _birthday(r.d["DOB"], 25))


def _birthday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:
        return dt.date(dob.year + years, 3, 1)


@rule("390", table="Episodes", field="REC")
def adopted_from_adoptive_placement(data):
    return (r for r in data.rows("Episodes") if r.get("REC") in care.ADOPTED and r.get("PLACE") not in care.ADOPTION)


@rule("408", table="Episodes", field="LS")
def adoption_placement_needs_placement_order(data):
    return (r for r in data.rows("Episodes")
            if r.get("PLACE") in care.ADOPTION_WITH_PLACEMENT_ORDER and r.get("LS") != care.PLACEMENT_ORDER)


@rule("213", table="Episodes", field="PLACE_PROVIDER")
def no_provider_for_temporary(data):
    """A provider for a temporary placement (T0 to T4) and, from 2025-26, an "other" one (Z11 to Z14)."""
    no_provider = _placement(data).no_provider - {"Z1"}  # Z1's provider is the DfE's rule 178 until 2024-25
    return (r for r in data.rows("Episodes") if r.get("PLACE") in no_provider and r.get("PLACE_PROVIDER"))


@rule("526", table="Episodes", field="PLACE_PROVIDER")
def provider_needed(data):
    no_provider = _placement(data).no_provider
    return (r for r in data.rows("Episodes") if r.get("PLACE") not in no_provider and not r.get("PLACE_PROVIDER"))


@rule("222", table="Episodes", field="URN")
def no_urn_for_placement_type(data):
    no_urn = _placement(data).no_urn
    return (r for r in data.rows("Episodes")
            if r.get("PLACE") in no_urn and r.get("URN") and r.get("URN") != URN_NOT_KNOWN)


@rule("226", table="Episodes", field="REASON_PLACE_CHANGE")
def no_reason_for_temporary(data):
    for episodes in data.by_child["Episodes"].values():
        for i, row in enumerate(episodes):
            if row.get("PLACE") in care.TEMPORARY and (
                    row.get("REASON_PLACE_CHANGE") or (i > 0 and episodes[i - 1].get("REASON_PLACE_CHANGE"))):
                yield row


# --- Adoption across tables -------------------------------------------------------------------------------------


def _adopted_in_year(data: Data) -> set[str]:
    return {r["CHILD"] for r in data.rows("Episodes")
            if r.get("REC") in care.ADOPTED and r.d["DEC"] is not None and data.start <= r.d["DEC"] <= data.end}


@rule("553", table="Episodes", field="LS")
def placement_order_needs_decision(data):
    decided = set(data.by_child["PlacedAdoption"])
    return (r for r in data.rows("Episodes") if r.get("LS") == care.PLACEMENT_ORDER and r["CHILD"] not in decided)


@rule("551", table="Episodes", field="PLACE")
def adoptive_placement_needs_decision(data):
    for row in data.rows("Episodes"):
        if row.get("PLACE") in care.ADOPTION and not any(
                p.get("DATE_PLACED") for p in data.by_child["PlacedAdoption"].get(row["CHILD"], ())):
            yield row


@rule("601", table="Episodes", field="REC")
def adopted_needs_ad1(data):
    adopted = _adopted_in_year(data)
    complete = {r["CHILD"] for r in data.rows("AD1")
                if all(r.get(c) for c in ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
                                          "LS_ADOPTR"))}
    return (r for r in data.rows("Episodes")
            if r["CHILD"] in adopted - complete and r.get("REC") in care.ADOPTED)


@rule("602", table="AD1", field="CHILD")
def ad1_needs_adoption(data):
    adopted = _adopted_in_year(data)
    return (r for r in data.rows("AD1") if r["CHILD"] not in adopted)


# --- OC2 ----------------------------------------------------------------------------------------------------------

OC2_FLAGS = ("CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
             "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
SDQ_REASON_CODES = {code for code, _ in ssda903_list("OC2", "SDQ_REASON", "Reason").items}


@rule("180", table="OC2", field="SDQ_SCORE")
def sdq_score_valid(data):
    for row in data.rows("OC2"):
        score = row.get("SDQ_SCORE", "")
        if score and not (score.isdigit() and 0 <= int(score) <= 40):
            yield row


@rule("196", table="OC2", field="SDQ_REASON")
def sdq_reason_valid(data):
    return _not_in(data, "OC2", "SDQ_REASON", SDQ_REASON_CODES, blank_ok=True)


@rule("197a", table="OC2", field="SDQ_REASON")
def sdq_reason_or_score(data):
    return (r for r in data.rows("OC2") if r.get("SDQ_SCORE") and r.get("SDQ_REASON"))


@rule("181", table="OC2", field="CONVICTED")
def oc2_flags_valid(data):
    return (r for r in data.rows("OC2") if any(r.get(c) and r[c] not in {"0", "1"} for c in OC2_FLAGS))


@rule("188", table="OC2", field="SDQ_SCORE")
def no_sdq_under_4(data):
    for row in data.rows("OC2"):
        dob = row.d["DOB"]
        if dob is not None and _birthday(dob, 4) > data.end and (row.get("SDQ_SCORE") or row.get("SDQ_REASON")):
            yield row


@rule("189", table="OC2", field="SDQ_SCORE")
def no_sdq_17_or_over(data):
    for row in data.rows("OC2"):
        dob = row.d["DOB"]
        if dob is not None and _birthday(dob, 17) < data.start and (row.get("SDQ_SCORE") or row.get("SDQ_REASON")):
            yield row


@rule("542", table="OC2", field="CONVICTED")
def no_conviction_under_10(data):
    for row in data.rows("OC2"):
        age = age_on(row.d["DOB"], data.end)
        if age is not None and age < 10 and row.get("CONVICTED"):
            yield row


@rule("158", table="OC2", field="INTERVENTION_OFFERED")
def offered_blank_when_received(data):
    return (r for r in data.rows("OC2") if r.get("INTERVENTION_RECEIVED") == "1" and r.get("INTERVENTION_OFFERED"))


@rule("159", table="OC2", field="INTERVENTION_OFFERED")
def offered_when_not_received(data):
    return (r for r in data.rows("OC2") if r.get("SUBSTANCE_MISUSE") == "1"
            and r.get("INTERVENTION_RECEIVED") == "0" and not r.get("INTERVENTION_OFFERED"))


@rule("192", table="OC2", field="INTERVENTION_RECEIVED")
def received_when_misuse(data):
    return (r for r in data.rows("OC2") if r.get("SUBSTANCE_MISUSE") == "1" and not r.get("INTERVENTION_RECEIVED"))


@rule("193", table="OC2", field="SUBSTANCE_MISUSE")
def no_intervention_without_misuse(data):
    return (r for r in data.rows("OC2") if r.get("SUBSTANCE_MISUSE") != "1"
            and (r.get("INTERVENTION_RECEIVED") or r.get("INTERVENTION_OFFERED")))


# --- OC3 ----------------------------------------------------------------------------------------------------------

IN_TOUCH_CODES = {code for code, _ in ssda903_list("OC3", "IN_TOUCH", "In touch").items}
ACTIV_CODES = {code for code, _ in ssda903_list("OC3", "ACTIV", "Activity").items}
ACCOM_CODES = {code for code, _ in ssda903_list("OC3", "ACCOM", "Accommodation").items}


@rule("131", table="OC3", field="IN_TOUCH")
def in_touch_valid(data):
    return _not_in(data, "OC3", "IN_TOUCH", IN_TOUCH_CODES, blank_ok=False)


@rule("132", table="OC3", field="ACTIV")
def activity_valid(data):
    return _not_in(data, "OC3", "ACTIV", ACTIV_CODES, blank_ok=True)


@rule("133", table="OC3", field="ACCOM")
def accommodation_valid(data):
    return _not_in(data, "OC3", "ACCOM", ACCOM_CODES, blank_ok=True)


@rule("153", table="OC3", field="ACTIV")
def activity_and_accommodation_together(data):
    return (r for r in data.rows("OC3") if bool(r.get("ACTIV")) != bool(r.get("ACCOM")))


@rule("345", table="OC3", field="ACTIV")
def in_touch_has_activity(data):
    return (r for r in data.rows("OC3") if r.get("IN_TOUCH") == "YES" and "0" in (r.get("ACTIV"), r.get("ACCOM")))


def _register_internal_checks():
    """The DfE's internal checks: every child in a table is in the Header, with the same date of birth."""
    for code, table in (("INT01", "AD1"), ("INT03", "Episodes"), ("INT05", "OC2"), ("INT06", "OC3"),
                        ("INT07", "PrevPerm"), ("INT09", "UASC")):
        rule(code, table=table, field="CHILD")(lambda data, table=table: _not_in_header(data, table))
    for code, table in (("INT11", "AD1"), ("INT14", "OC2"), ("INT15", "OC3"), ("INT16", "PrevPerm"),
                        ("INT18", "UASC")):
        rule(code, table=table, field="DOB")(lambda data, table=table: _dob_differs(data, table))


_register_internal_checks()
