"""Statutory, guidance and local timescales, as data.

Each ``Rule`` is one row (or a run of rows) of section A of
``specs/timescales.md``: what starts the clock, what stops it, how long it
runs, when it turns amber and how it restarts. The engine (``engine.py``)
interprets these; nothing else should hard-code a timescale.

Event names are plain strings (``"referral"``, ``"cla_review"``...). The Django
side turns recorded facts into ``(event, date)`` pairs with these names.

Restart kinds (``Rule.restart``):

- ``"none"``: every start event starts one clock, which the first end event on
  or after it stops (a new referral starts a new 45-working-day clock).
- ``"from_actual_previous"``: a sequence. The first step runs from the start
  event; each later step runs from the *actual* date of the previous end
  event, so an early review brings the next one forward. The last step
  repeats. A new start event starts the sequence again.
- ``"each_placement"``: the same sequence, started again by every placement
  (regulation 28 visits).

Local-practice rules (``configurable=True``) carry the defaults from the
table; ``effective_rule(rule, settings)`` applies the authority's values.

The calendar of each rule: a statutory or statutory-guidance rule counts national
working days (England and Wales bank holidays only, as the DfE's published measures
do); a local rule also skips the authority's closure days. ``Rule.closures`` says
which (None: by the status), and the authority may change it for any rule counted in
working days, as it may whether the start day counts (``count_start_day``):
``rule_calendar`` picks the calendar.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .calendar import CALENDAR_DAYS, HOURS, MONTHS, UNITS, WEEKS, WORKING_DAYS, describe_period

STATUTORY = "statutory"
STATUTORY_GUIDANCE = "statutory guidance"
LOCAL = "local"
STATUSES = (STATUTORY, STATUTORY_GUIDANCE, LOCAL)

NONE = "none"
FROM_ACTUAL_PREVIOUS = "from_actual_previous"
EACH_PLACEMENT = "each_placement"
RESTARTS = {
    NONE: "Each start event starts one clock; the first end event on or after it stops the clock.",
    FROM_ACTUAL_PREVIOUS: (
        "A sequence: the first step runs from the start event, each later step from the actual date "
        "of the previous end event. The last step repeats. A new start event starts again."
    ),
    EACH_PLACEMENT: "A sequence as above, started again at the start of every placement.",
}
SEQUENCES = (FROM_ACTUAL_PREVIOUS, EACH_PLACEMENT)


@dataclass(frozen=True)
class Period:
    length: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Unknown unit {self.unit!r}.")

    def __str__(self) -> str:
        return describe_period(self.length, self.unit)


def wd(n: int) -> Period:
    return Period(n, WORKING_DAYS)


def days(n: int) -> Period:
    return Period(n, CALENDAR_DAYS)


def weeks(n: int) -> Period:
    return Period(n, WEEKS)


def months(n: int) -> Period:
    return Period(n, MONTHS)


def hours(n: int) -> Period:
    return Period(n, HOURS)


@dataclass(frozen=True)
class Switch:
    """From when a sequence changes to a different interval.

    The interval for a gap is decided by the date the gap starts (the previous
    visit, say): it is ``interval`` if that date is at least ``after`` from
    the start event, or on or after any occurrence of ``event`` (at any time,
    even before the start event). It applies from step ``from_step`` (by
    default not to the first step, which runs from the start event).
    """

    interval: Period
    after: Period | None = None
    event: str | None = None
    from_step: int = 1
    label: str = ""  # how the docs say when it switches, e.g. "the fifth birthday"

    def describe(self) -> str:
        if self.label:
            return f"every {self.interval} from {self.label}"
        when = []
        if self.after is not None:
            when.append(f"{self.after} after the start")
        if self.event is not None:
            when.append(f"the first {self.event.replace('_', ' ')}")
        return f"every {self.interval} from {' or '.join(when)}"


@dataclass(frozen=True)
class Extension:
    """A clock that can be extended by an event (an EPO extended, proceedings extended)."""

    event: str
    by: Period
    max_times: int | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    source: str
    status: str
    start_event: str
    end_event: str
    length: int
    unit: str
    amber_within: Period
    restart: str = NONE
    configurable: bool = False
    row: int = 0
    # Later steps of a sequence, after the first (length, unit). The last repeats.
    then: tuple[Period, ...] = ()
    switch: Switch | None = None
    extension: Extension | None = None
    # Events that end the clock altogether (plan ended, placement ended).
    stop_events: tuple[str, ...] = ()
    # None: use the calendar's (the authority's) convention.
    count_start_day: bool | None = None
    # Whether the authority's closure days are skipped (None: local rules skip them, national ones do not).
    closures: bool | None = None
    # The end event may come first ("before the placement, or within 5 working days"):
    # an end event since the previous start completes the next clock as soon as it starts.
    may_complete_before_start: bool = False
    # Other rows of the table this rule also covers.
    also_rows: tuple[int, ...] = ()
    applies_when: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"{self.code}: unknown status {self.status!r}.")
        if self.unit not in UNITS:
            raise ValueError(f"{self.code}: unknown unit {self.unit!r}.")
        if self.restart not in RESTARTS:
            raise ValueError(f"{self.code}: unknown restart {self.restart!r}.")
        if self.length < 0:
            raise ValueError(f"{self.code}: length must not be negative.")
        if self.restart == NONE and (self.then or self.switch):
            raise ValueError(f"{self.code}: only a sequence can have later steps.")
        if self.restart != NONE and self.may_complete_before_start:
            raise ValueError(f"{self.code}: only a single clock can be completed before it starts.")
        if any(p.unit == HOURS for p in self.then) or (self.unit == HOURS and self.restart != NONE):
            raise ValueError(f"{self.code}: hour rules are single clocks.")

    # Worked out once per rule (a rule never changes: a local setting makes a new one), as the
    # engine asks for them for every clock of every child.
    @cached_property
    def first(self) -> Period:
        return Period(self.length, self.unit)

    @cached_property
    def steps(self) -> tuple[Period, ...]:
        return (self.first, *self.then)

    @property
    def rows(self) -> tuple[int, ...]:
        return (self.row, *self.also_rows)

    @property
    def is_sequence(self) -> bool:
        return self.restart in SEQUENCES

    @property
    def uses_datetimes(self) -> bool:
        return self.unit == HOURS

    @property
    def applies_closures(self) -> bool:
        """Whether the authority's closure days are skipped: a national rule counts national working
        days unless the authority has said otherwise; a local rule skips them unless it has said not."""
        return self.status == LOCAL if self.closures is None else self.closures

    @property
    def counts_start_day(self) -> bool:
        return bool(self.count_start_day)

    @property
    def counts_working_days(self) -> bool:
        """Whether any period of the rule is in working days (else closure days and the start day change nothing)."""
        periods = [*self.steps, self.amber_within]
        if self.switch is not None:
            periods.append(self.switch.interval)
        if self.extension is not None:
            periods.append(self.extension.by)
        return any(p.unit == WORKING_DAYS for p in periods)

    def describe_length(self) -> str:
        """In words: '20 working days, then 3 months, then every 6 months'."""
        text = str(self.first)
        if self.then and all(p == self.first for p in self.then):
            text = f"every {text}"
        elif self.then:
            *middle, last = self.then
            text += "".join(f", then {p}" for p in middle) + f", then every {last}"
        elif self.is_sequence:
            text = f"every {text}"
        if self.switch is not None:
            text += f"; {self.switch.describe()}"
        if self.extension is not None:
            times = "" if self.extension.max_times is None else f" (at most {self.extension.max_times})"
            text += f"; extensions of {self.extension.by}{times}"
        return text.replace("every 1 ", "every ")


SOURCE_WT = "Working together to safeguard children 2018/2023"
SOURCE_CPPCR = "Care Planning, Placement and Case Review (England) Regulations 2010"


def _rule(**kwargs: Any) -> Rule:
    return Rule(**kwargs)


RULES: tuple[Rule, ...] = (
    # -- Front door and assessment ------------------------------------------
    _rule(
        code="referral_decision", row=1, name="Decide on a referral and acknowledge it",
        source=f"{SOURCE_WT}, ch.1 'Timeliness' and flow chart 1", status=STATUTORY_GUIDANCE,
        start_event="referral", end_event="referral_decision", length=1, unit=WORKING_DAYS,
        amber_within=wd(0),
    ),
    _rule(
        code="contact_decision", row=1, name="Decide on a contact at the front door",
        source="Working together to safeguard children 2023, ch.1 'within one working day'",
        status=STATUTORY_GUIDANCE,
        start_event="contact_received", end_event="contact_decided", length=1, unit=WORKING_DAYS,
        amber_within=wd(0),
    ),
    _rule(
        code="assessment", row=2, name="Child and family assessment concluded",
        source=f"{SOURCE_WT}, ch.1 'Timeliness'", status=STATUTORY_GUIDANCE,
        start_event="referral", end_event="assessment_completed", length=45, unit=WORKING_DAYS,
        amber_within=wd(10), stop_events=("case_closed",),
        note="If it runs past 45 working days, record the reasons.",
    ),
    # -- Child protection ---------------------------------------------------
    _rule(
        code="strategy_discussion", row=3, name="Strategy discussion held",
        source="Local practice (Durham: 2 working days; Knowsley: 24 hours)", status=LOCAL,
        start_event="cp_concern", end_event="strategy_discussion", length=2, unit=WORKING_DAYS,
        amber_within=wd(1), configurable=True, note="No national limit: 'as soon as possible'.",
    ),
    _rule(
        code="s47_enquiry", row=4, name="Section 47 enquiry completed",
        source="Local practice (Durham: 6 working days)", status=LOCAL,
        start_event="s47_started", end_event="s47_outcome", length=6, unit=WORKING_DAYS,
        amber_within=wd(2), configurable=True,
        note="No national limit; it runs inside the 45-working-day assessment.",
    ),
    _rule(
        code="icpc", row=5, name="Initial child protection conference held",
        source=f"{SOURCE_WT}, 'Initial child protection conferences'; DfE CIN table C4",
        status=STATUTORY_GUIDANCE,
        start_event="s47_started", end_event="icpc", length=15, unit=WORKING_DAYS,
        amber_within=wd(5), stop_events=("s47_no_further_action",),
        note="Counts from the strategy discussion that started the section 47 enquiry; "
        "a follow-up strategy discussion does not reset it.",
    ),
    _rule(
        code="cp_core_group", row=6, also_rows=(7,), name="Core group meetings",
        source="Working together 2018 flow chart 5 (unconfirmed); local practice (Liverpool, Newcastle)",
        status=LOCAL, start_event="cp_plan_started", end_event="core_group", length=10, unit=WORKING_DAYS,
        then=(weeks(4),), restart=FROM_ACTUAL_PREVIOUS, amber_within=days(5),
        stop_events=("cp_plan_ended",), configurable=True,
        note="First core group within 10 working days of the ICPC, then every 4 weeks.",
    ),
    _rule(
        code="cp_visit", row=8, name="Visits to a child on a child protection plan",
        source="Local practice (Camden, Liverpool, Central Bedfordshire: every 10 working days)", status=LOCAL,
        start_event="cp_plan_started", end_event="cp_visit", length=10, unit=WORKING_DAYS,
        restart=FROM_ACTUAL_PREVIOUS, amber_within=wd(2), stop_events=("cp_plan_ended",), configurable=True,
        note="No national statutory minimum.",
    ),
    _rule(
        code="cp_review", row=9, also_rows=(10,), name="Child protection review conferences",
        source=f"{SOURCE_WT}, 'Child protection review conference' and flow chart 5",
        status=STATUTORY_GUIDANCE,
        start_event="cp_plan_started", end_event="cp_review", length=3, unit=MONTHS, then=(months(6),),
        restart=FROM_ACTUAL_PREVIOUS, amber_within=days(14), stop_events=("cp_plan_ended",),
        note="First review within 3 months of the ICPC, then not more than 6 months after the actual "
        "previous review.",
    ),
    _rule(
        code="cp_review_after_birth", row=11, name="First review after a pre-birth ICPC",
        source="Local practice (Liverpool: 20 working days after birth; Tees: 10)", status=LOCAL,
        start_event="birth_on_pre_birth_plan", end_event="cp_review", length=20, unit=WORKING_DAYS,
        amber_within=wd(5), stop_events=("cp_plan_ended",), configurable=True,
        note="Due on the sooner of this date and the 3-month review (cp_review).",
    ),
    _rule(
        code="cp_transfer_in", row=12, name="Transfer-in child protection conference",
        source="Local practice (Norfolk, Bolton); DfE COLLECT 'Transfer-in ICPC working days'", status=LOCAL,
        start_event="transfer_in_notice", end_event="transfer_in_conference", length=15, unit=WORKING_DAYS,
        amber_within=wd(5), configurable=True,
        note="Runs from receipt of written notification from the transferring authority.",
    ),
    # -- Child in need ------------------------------------------------------
    _rule(
        code="cin_review", row=13, name="Child in need meetings and reviews",
        source="Local practice (Sefton)", status=LOCAL,
        start_event="cin_plan_started", end_event="cin_review", length=10, unit=CALENDAR_DAYS,
        then=(weeks(4),), restart=FROM_ACTUAL_PREVIOUS, amber_within=days(5), stop_events=("cin_plan_ended",),
        configurable=True, note="First meeting within 10 days of the assessment outcome, then every 4 weeks.",
    ),
    _rule(
        code="cin_visit", row=14, name="Visits to a child in need",
        source="Local practice (every 20 working days)", status=LOCAL,
        start_event="cin_plan_started", end_event="cin_visit", length=20, unit=WORKING_DAYS,
        restart=FROM_ACTUAL_PREVIOUS, amber_within=wd(5), stop_events=("cin_plan_ended",),
        count_start_day=True, configurable=True,
        note="Counted 'from and including the day of the visit'.",
    ),
    # -- Court and emergency powers ----------------------------------------
    _rule(
        code="police_protection", row=15, name="Police protection ends",
        source="Children Act 1989 s46", status=STATUTORY,
        start_event="police_protection", end_event="police_protection_ended", length=72, unit=HOURS,
        amber_within=hours(24), note="Released, or an emergency protection order obtained.",
    ),
    _rule(
        code="epo", row=16, name="Emergency protection order expires",
        source="Children Act 1989 s45", status=STATUTORY,
        start_event="epo_made", end_event="epo_ended", length=8, unit=CALENDAR_DAYS,
        extension=Extension(event="epo_extended", by=days(7), max_times=1), amber_within=days(2),
    ),
    _rule(
        code="care_proceedings", row=17, name="Care or supervision proceedings disposed of",
        source="Children Act 1989 s32(1)(a)(ii), (5)-(8); Children and Families Act 2014 s14", status=STATUTORY,
        start_event="proceedings_issued", end_event="final_order", length=26, unit=WEEKS,
        extension=Extension(event="proceedings_extended", by=weeks(8)), amber_within=days(28),
        note="Extensions of up to 8 weeks each, not granted routinely.",
    ),
    # -- Children in care ---------------------------------------------------
    _rule(
        code="care_plan", row=18, name="Care plan prepared",
        source=f"{SOURCE_CPPCR} reg 4(2)", status=STATUTORY,
        start_event="first_placement", end_event="care_plan", length=10, unit=WORKING_DAYS,
        may_complete_before_start=True, amber_within=wd(3),
    ),
    _rule(
        code="placement_plan", row=19, name="Placement plan prepared",
        source=f"{SOURCE_CPPCR} reg 9(2)", status=STATUTORY,
        start_event="placement_started", end_event="placement_plan", length=5, unit=WORKING_DAYS,
        may_complete_before_start=True, amber_within=wd(2),
    ),
    _rule(
        code="placement_notified", row=20, name="Placement notified in writing",
        source=f"{SOURCE_CPPCR} reg 13(1)", status=STATUTORY,
        start_event="placement_started", end_event="placement_notified", length=5, unit=WORKING_DAYS,
        may_complete_before_start=True, amber_within=wd(2),
        note="Before the placement, or within 5 working days in an emergency.",
    ),
    _rule(
        code="initial_health_assessment", row=21, name="Initial health assessment",
        source=f"{SOURCE_CPPCR} reg 7(1); 'Promoting the health and wellbeing of looked-after children'",
        status=STATUTORY_GUIDANCE,
        start_event="became_looked_after", end_event="health_assessment", length=20, unit=WORKING_DAYS,
        amber_within=wd(5), stop_events=("ceased_looked_after",),
        note="The regulation requires it before the first review; guidance sets 20 working days.",
    ),
    _rule(
        code="review_health_assessment", row=22, name="Review health assessments",
        source=f"{SOURCE_CPPCR} reg 7(2)", status=STATUTORY,
        start_event="health_assessment", end_event="health_assessment", length=6, unit=MONTHS,
        restart=FROM_ACTUAL_PREVIOUS, switch=Switch(interval=months(12), event="fifth_birthday", from_step=0, label="the fifth birthday"),
        amber_within=days(28), stop_events=("ceased_looked_after",),
        note="Every 6 months before the fifth birthday, every 12 months after.",
    ),
    _rule(
        code="pep", row=23, name="Personal education plan initiated",
        source="'Promoting the education of looked-after and previously looked-after children' (DfE 2018)",
        status=STATUTORY_GUIDANCE,
        start_event="pep_due", end_event="pep", length=10, unit=WORKING_DAYS,
        amber_within=wd(3), stop_events=("ceased_looked_after",),
        applies_when="Children aged 3 to 17 (early years to year 13): `pep_due` is the day they became looked "
        "after, or their third birthday if they were younger then.",
        note="Must also be in place for the first review, and reviewed every school term.",
    ),
    _rule(
        code="pep_review", row=23, name="Personal education plan reviewed each term",
        source="'Promoting the education of looked-after and previously looked-after children' (DfE 2018)",
        status=STATUTORY_GUIDANCE,
        start_event="pep", end_event="pep", length=4, unit=MONTHS,
        restart=FROM_ACTUAL_PREVIOUS, amber_within=days(14), stop_events=("ceased_looked_after",),
        note="The PEP is reviewed every school term; a term is taken as 4 months from the last PEP meeting.",
    ),
    _rule(
        code="iro_appointed", row=24, name="Independent reviewing officer appointed",
        source="IRO Handbook 2010; Children Act 1989 s25A", status=STATUTORY_GUIDANCE,
        start_event="became_looked_after", end_event="iro_appointed", length=5, unit=WORKING_DAYS,
        amber_within=wd(2), stop_events=("ceased_looked_after",),
        note="Must be before the first review.",
    ),
    _rule(
        code="cla_review", row=25, also_rows=(26, 27), name="Looked-after child reviews",
        source=f"{SOURCE_CPPCR} reg 33", status=STATUTORY,
        start_event="became_looked_after", end_event="cla_review", length=20, unit=WORKING_DAYS,
        then=(months(3), months(6)), restart=FROM_ACTUAL_PREVIOUS, amber_within=days(14),
        stop_events=("ceased_looked_after",),
        note="A new period of care needs a new first review. Reviews held early (reg 33(3)) restart "
        "the cycle.",
    ),
    _rule(
        code="cla_visit", row=28, also_rows=(29, 30), name="Statutory visits to a child in care",
        source=f"{SOURCE_CPPCR} reg 28(2)", status=STATUTORY,
        start_event="placement_started", end_event="cla_visit", length=1, unit=WEEKS, then=(weeks(6),),
        restart=EACH_PLACEMENT, amber_within=days(7), stop_events=("placement_ended",),
        applies_when="The placement is not intended to last until the child is 18.",
    ),
    _rule(
        code="cla_visit_long_term", row=30, also_rows=(28, 29), name="Statutory visits: placement until 18",
        source=f"{SOURCE_CPPCR} reg 28(2)(c)", status=STATUTORY,
        start_event="placement_started", end_event="cla_visit", length=1, unit=WEEKS, then=(weeks(6),),
        switch=Switch(interval=months(3), after=months(12), label="the end of the placement's first year"),
        restart=EACH_PLACEMENT, amber_within=days(7), stop_events=("placement_ended",),
        applies_when="The placement is intended to last until the child is 18.",
    ),
    _rule(
        code="cla_visit_long_term_reduced", row=31, name="Statutory visits: long-term foster placement, fewer visits agreed",
        source=f"{SOURCE_CPPCR} reg 28(3A)", status=STATUTORY,
        start_event="reduced_visits_agreed", end_event="cla_visit", length=6, unit=MONTHS,
        restart=FROM_ACTUAL_PREVIOUS, amber_within=days(28), stop_events=("placement_ended",),
        applies_when="Long-term foster placement held for a year or more and the child agrees to fewer visits.",
    ),
    _rule(
        code="cla_visit_placed_with_parent", row=32, name="Statutory visits: placed with a parent before assessment",
        source=f"{SOURCE_CPPCR} reg 28(3)", status=STATUTORY,
        start_event="placement_started", end_event="cla_visit", length=1, unit=WEEKS, then=(weeks(1),),
        switch=Switch(interval=weeks(6), event="cla_review", label="the first review"),
        restart=EACH_PLACEMENT, amber_within=days(2), stop_events=("placement_ended",),
        applies_when="Placed with a parent under regulation 19 before the assessment is complete.",
    ),
    _rule(
        code="cla_visit_connected_person", row=33,
        name="Statutory visits: connected person temporarily approved, or interim care order at home",
        source=f"{SOURCE_CPPCR} reg 28(4)", status=STATUTORY,
        start_event="placement_started", end_event="cla_visit", length=1, unit=WEEKS, then=(weeks(1),),
        switch=Switch(interval=weeks(4), event="cla_review", label="the first review"),
        restart=EACH_PLACEMENT, amber_within=days(2), stop_events=("placement_ended",),
        applies_when="Temporary approval of a connected person (reg 24), or an interim care order with the "
        "child at home.",
    ),
    _rule(
        code="cla_visit_care_order_home", row=34, name="Statutory visits: care order, child living at home",
        source=f"{SOURCE_CPPCR} reg 28(5)", status=STATUTORY,
        start_event="care_order_at_home", end_event="cla_visit", length=1, unit=WEEKS, then=(weeks(6),),
        restart=FROM_ACTUAL_PREVIOUS, amber_within=days(7), stop_events=("ceased_looked_after",),
        applies_when="A care order has been made and the child lives at home.",
    ),
    _rule(
        code="temporary_approval", row=35, name="Connected-person temporary approval ends",
        source=f"{SOURCE_CPPCR} regs 24 and 25(2)", status=STATUTORY,
        start_event="temporary_approval", end_event="full_approval", length=16, unit=WEEKS,
        extension=Extension(event="temporary_approval_extended", by=weeks(8), max_times=1),
        amber_within=days(28), stop_events=("placement_ended",),
        note="Full approval, or the placement ends.",
    ),
    _rule(
        code="needs_assessment", row=36, name="Needs assessment for an eligible child",
        source=f"{SOURCE_CPPCR} reg 42(1)", status=STATUTORY,
        start_event="became_eligible", end_event="needs_assessment", length=3, unit=MONTHS,
        amber_within=days(14), stop_events=("ceased_looked_after",),
        note="From the 16th birthday, or from becoming eligible after it.",
    ),
    # -- Adoption -----------------------------------------------------------
    _rule(
        code="adoption_review_not_placed", row=37, name="Adoption reviews: authority to place, not yet placed",
        source="Adoption Agencies Regulations 2005 reg 36(1)", status=STATUTORY,
        start_event="authority_to_place", end_event="adoption_review", length=3, unit=MONTHS,
        then=(months(6),), restart=FROM_ACTUAL_PREVIOUS, amber_within=days(14),
        stop_events=("adoptive_placement", "authority_to_place_ended"),
    ),
    _rule(
        code="adoption_review_placed", row=38, name="Adoption reviews: child placed for adoption",
        source="Adoption Agencies Regulations 2005 reg 36(3)-(4)", status=STATUTORY,
        start_event="adoptive_placement", end_event="adoption_review", length=4, unit=WEEKS,
        then=(months(3), months(6)), restart=FROM_ACTUAL_PREVIOUS, amber_within=days(7),
        stop_events=("adoption_order", "adoptive_placement_ended"),
    ),
    _rule(
        code="adoption_visit", row=38, name="Visits to a child placed for adoption",
        source="Adoption Agencies Regulations 2005 reg 36(3)", status=STATUTORY,
        start_event="adoptive_placement", end_event="adoption_visit", length=1, unit=WEEKS, then=(weeks(1),),
        restart=FROM_ACTUAL_PREVIOUS, amber_within=days(2),
        stop_events=("adoption_review", "adoption_order", "adoptive_placement_ended"),
        note="Within a week, then weekly until the first review; after that, as the agency decides.",
    ),
    # -- Missing ------------------------------------------------------------
    _rule(
        code="return_home_interview", row=39, name="Return home interview offered",
        source="Statutory guidance on children who run away or go missing from home or care (DfE 2014)",
        status=STATUTORY_GUIDANCE,
        start_event="missing_returned", end_event="return_home_interview", length=72, unit=HOURS,
        amber_within=hours(24), note="72 hours from each return.",
    ),
    # -- Care leavers -------------------------------------------------------
    _rule(
        code="pa_visit", row=40, name="Personal adviser visits to a care leaver in accommodation",
        source="Care Leavers (England) Regulations 2010 reg 8(2)", status=STATUTORY,
        start_event="accommodation_provided", end_event="pa_visit", length=7, unit=CALENDAR_DAYS,
        then=(months(2),), restart=FROM_ACTUAL_PREVIOUS, amber_within=days(7),
        stop_events=("accommodation_ended",),
        note="Restarts whenever new accommodation is provided. A visit is also due before each pathway "
        "plan review.",
    ),
    _rule(
        code="pathway_plan_review", row=41, name="Pathway plan reviews",
        source="Care Leavers (England) Regulations 2010 reg 7 (text unconfirmed)", status=STATUTORY,
        start_event="pathway_plan", end_event="pathway_plan_review", length=6, unit=MONTHS,
        restart=FROM_ACTUAL_PREVIOUS, amber_within=days(28), stop_events=("leaving_care_support_ended",),
        note="Sooner if the young person asks.",
    ),
    # -- Other duties -------------------------------------------------------
    _rule(
        code="private_fostering_visit", row=43, also_rows=(44,), name="Private fostering visits",
        source="Children (Private Arrangements for Fostering) Regulations 2005 regs 4(1) and 8",
        status=STATUTORY,
        start_event="private_fostering_notified", end_event="private_fostering_visit",
        length=7, unit=WORKING_DAYS, then=(weeks(6),), switch=Switch(interval=weeks(12), after=months(12), label="the end of the first year"),
        restart=FROM_ACTUAL_PREVIOUS, amber_within=days(7), stop_events=("private_fostering_ended",),
        note="The arrangement counts from when the authority becomes aware of it (reg 8(6)).",
    ),
    _rule(
        code="lado_referral", row=45, name="Allegation reported to the LADO",
        source=f"{SOURCE_WT}, ch.2; National LADO Network minimum standards", status=STATUTORY_GUIDANCE,
        start_event="allegation_received", end_event="lado_informed", length=1, unit=WORKING_DAYS,
        amber_within=wd(0),
    ),
    _rule(
        code="nts_transfer", row=47, name="Transfer under the National Transfer Scheme",
        source="National Transfer Scheme protocol for unaccompanied asylum-seeking children (v7, 2025)",
        status=STATUTORY_GUIDANCE,
        start_event="nts_referral", end_event="nts_transferred", length=10, unit=WORKING_DAYS,
        amber_within=wd(3),
    ),
)

# Rows of section A that are not per-child clocks, and why.
NOT_MODELLED: dict[int, str] = {
    42: "A notice period before an arrangement starts, not a clock that runs after an event.",
    46: "Resolution targets are percentages across all allegations: an indicator, not a deadline.",
    48: "Adoption scorecard thresholds are 3-year averages: an indicator.",
    49: "The Ofsted inspection cycle is about the authority, not a child.",
    50: "Sets when a child becomes looked after (the start event of rows 21 to 27), not a deadline.",
}

TABLE_ROWS = range(1, 51)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
if len(RULES_BY_CODE) != len(RULES):  # pragma: no cover - guards the data above
    raise ValueError("Two rules share a code.")


def get_rule(code: str) -> Rule:
    return RULES_BY_CODE[code]


# -- The authority's settings --------------------------------------------

OVERRIDABLE = ("length", "unit", "then", "amber_within")
# Settable for every rule counted in working days, national or local.
CALENDAR_SETTINGS = ("closures", "count_start_day")
SETTINGS = (*OVERRIDABLE, *CALENDAR_SETTINGS)


def _as_period(value: Any) -> Period:
    if isinstance(value, Period):
        return value
    length, unit = value
    return Period(int(length), unit)


def _calendar_errors(rule: Rule, values: Mapping[str, Any]) -> list[str]:
    errors = []
    if "closures" in values and not isinstance(values["closures"], bool):
        errors.append("Choose whether the authority's closure days count as working days")
    if "count_start_day" in values and not isinstance(values["count_start_day"], bool):
        errors.append("Choose whether the start day counts")
    return errors


def rule_override_errors(rule: Rule, values: Mapping[str, Any]) -> list[str]:
    """What is wrong with an authority's settings for one rule, in plain words (empty when fine)."""
    errors: list[str] = []
    unknown = sorted(set(values) - set(SETTINGS))
    if unknown:
        errors.append(f"Unknown setting: {', '.join(unknown)}")
    if not rule.configurable:
        if set(values) & set(OVERRIDABLE):
            errors.insert(0, f"{rule.name} is set nationally and cannot be changed")
            return errors
        return errors + _calendar_errors(rule, values) or _working_days_errors(rule, values)
    unit = values.get("unit", rule.unit)
    if unit not in UNITS or unit == HOURS:
        errors.append("Choose working days, days, weeks or months")
    length = values.get("length", rule.length)
    if not isinstance(length, int) or isinstance(length, bool) or length < 1:
        errors.append("The timescale must be a whole number, 1 or more")
    for key in ("then", "amber_within"):
        if key not in values:
            continue
        periods = values[key] if key == "then" else [values[key]]
        if key == "then" and rule.restart == NONE and periods:
            errors.append("Only a repeating timescale can have later steps")
        for period in periods:
            try:
                period = _as_period(period)
            except (TypeError, ValueError):
                errors.append("Enter each period as a number and a unit")
                continue
            minimum = 0 if key == "amber_within" else 1
            if period.unit == HOURS or period.length < minimum:
                errors.append("Enter each period as a whole number of working days, days, weeks or months")
    return errors + _calendar_errors(rule, values) or _working_days_errors(rule, values)


def _working_days_errors(rule: Rule, values: Mapping[str, Any]) -> list[str]:
    """Closure days and the start day change only what is counted in working days."""
    if set(values) & set(CALENDAR_SETTINGS) and not _applied(rule, values).counts_working_days:
        return [f"{rule.name} is not counted in working days, so closure days and the start day make no "
                "difference to it"]
    return []


def _applied(rule: Rule, values: Mapping[str, Any]) -> Rule:
    changes: dict[str, Any] = {k: values[k] for k in ("length", "unit", *CALENDAR_SETTINGS) if k in values}
    if "then" in values:
        changes["then"] = tuple(_as_period(p) for p in values["then"])
    if "amber_within" in values:
        changes["amber_within"] = _as_period(values["amber_within"])
    return dataclasses.replace(rule, **changes)


def effective_rule(rule: Rule, settings: Mapping[str, Mapping[str, Any]] | None = None) -> Rule:
    """The rule with the authority's values applied: the timescale itself only for local-practice
    rules; whether closure days apply and whether the start day counts for any rule.

    ``settings`` maps a rule code to overrides, for example
    ``{"cp_visit": {"length": 2, "unit": "weeks"}}``, ``{"cp_core_group": {"then": [(1, "months")]}}``
    or ``{"assessment": {"closures": True}}``.
    """
    if not settings or rule.code not in settings:
        return rule
    values = settings[rule.code]
    if not values:
        return rule
    errors = rule_override_errors(rule, values)
    if errors:
        raise ValueError(f"{rule.code}: {'; '.join(errors)}.")
    return _applied(rule, values)


def effective_rules(
    settings: Mapping[str, Mapping[str, Any]] | None = None, rules: Iterable[Rule] = RULES
) -> dict[str, Rule]:
    return {rule.code: effective_rule(rule, settings) for rule in rules}


def default_settings() -> dict[str, dict[str, Any]]:
    """The local-practice defaults, in the shape ``effective_rule`` accepts."""
    return {
        rule.code: {
            "length": rule.length,
            "unit": rule.unit,
            "then": [(p.length, p.unit) for p in rule.then],
            "amber_within": (rule.amber_within.length, rule.amber_within.unit),
        }
        for rule in RULES
        if rule.configurable
    }


__all__ = [
    "CALENDAR_SETTINGS", "EACH_PLACEMENT", "FROM_ACTUAL_PREVIOUS", "LOCAL", "NONE", "NOT_MODELLED", "RESTARTS", "RULES",
    "RULES_BY_CODE", "STATUTORY", "STATUTORY_GUIDANCE", "Extension", "Period", "Rule", "Switch",
    "default_settings", "effective_rule", "effective_rules", "get_rule", "rule_override_errors",
]
