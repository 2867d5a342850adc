"""The indicators, defined once, as data.

Each indicator names its measure (a function `key(as_at) -> list[Row]` in
opencsc.performance.measures.<module>), its kind (how rows become a figure), which way is better,
its DfE or local definition and source, the national figure where one was found
(/work/shared/specs/timescales.md, section B, quoted word for word in `national_quote`), and the
default target and amber tolerance an authority starts from (it sets its own on the targets page).

Nothing else in the app keeps its own copy of a title, a definition or a direction.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

PERCENT = "percent"
AVERAGE = "average"
PER_WORKER = "per_worker"
KINDS = (PERCENT, AVERAGE, PER_WORKER)
HIGHER = "higher"
LOWER = "lower"

CIN_CENSUS = "DfE: CIN census"
SSDA903 = "DfE: SSDA903"
LAIT = "DfE: LAIT"
LOCAL = "Local"

# The area of the service each indicator belongs to, in the order the scorecard shows them.
AREAS: dict[str, str] = {
    "frontdoor": "Front door",
    "children_in_need": "Assessment and children in need",
    "protection": "Child protection",
    "care": "Children in care",
    "adoption": "Adoption",
    "careleavers": "Care leavers",
    "workforce": "Workforce",
}

EES = "https://explore-education-statistics.service.gov.uk/data-catalogue/data-set/"


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    area: str  # a key of AREAS, and the measure's module
    definition: str
    source: str
    source_url: str
    kind: str
    better: str
    default_target: float
    amber_tolerance: float
    national: float | None = None
    national_label: str = ""  # "England 2025"
    national_quote: str = ""  # the words in timescales.md section B the national figure comes from
    national_note: str = ""  # when there is no national figure: why, or what related figure exists

    @property
    def measure_path(self) -> str:
        return f"opencsc.performance.measures.{self.area}.{self.key}"

    @property
    def area_label(self) -> str:
        return AREAS[self.area]

    @property
    def unit(self) -> str:
        return {PERCENT: "%", AVERAGE: " days", PER_WORKER: ""}[self.kind]

    def basis(self, numerator: float, denominator: int) -> str:
        """What the figure is worked out from, in words (the scorecard's "Worked out from" column): the
        count met of the count measured for a percentage; for an average, how many children it averages
        over (never "19,770 of 45": the sum of days is not a count)."""
        if not denominator:
            return ""
        if self.kind == PERCENT:
            return f"{numerator:,.0f} of {denominator:,}"
        if self.kind == AVERAGE:
            return f"Average of {denominator:,} {'child' if denominator == 1 else 'children'}"
        return f"{numerator:,.0f} children, {denominator:,} {'worker' if denominator == 1 else 'workers'}"

    def format(self, value: float | None) -> str:
        """A figure in this indicator's unit: "85.7%", "426 days", "14.2"."""
        if value is None:
            return "No data"
        if self.kind == AVERAGE:
            return f"{value:,.0f} days"
        return f"{value:,.1f}{self.unit}"


def measure_for(indicator: Indicator) -> Callable | None:
    """The indicator's measure function, or None if its module or function is not there yet."""
    module_path, _, name = indicator.measure_path.rpartition(".")
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as error:
        if error.name and module_path.startswith(error.name):
            return None
        raise
    function = getattr(module, name, None)
    return function if callable(function) else None


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="contacts_decided_1wd", title="Contacts decided within 1 working day", area="frontdoor",
        definition="Contacts received in the 12 months to the date whose decision (what happens next) was "
        "recorded within 1 working day of receipt. Working Together: the local authority decides the type "
        "of response to a referral and acknowledges it within 1 working day.",
        source=LOCAL, source_url="http://trixresources.proceduresonline.com/nat_key/keywords/referral.html",
        kind=PERCENT, better=HIGHER, default_target=95, amber_tolerance=5,
        national_note="No national figure: not a DfE statistic.",
    ),
    Indicator(
        key="re_referrals_12m", title="Re-referrals within 12 months", area="children_in_need",
        definition="% of referrals in the year that came within 12 months of a previous referral. A referral is "
        "not recorded while a case is already open.",
        source=CIN_CENSUS,
        source_url="https://explore-education-statistics.service.gov.uk/find-statistics/"
        "children-in-need-a-focus-on-re-referrals",
        kind=PERCENT, better=LOWER, default_target=20, amber_tolerance=3,
        national=22.0, national_label="England 2024", national_quote="2024: 22% (139,080 of 621,880)",
    ),
    Indicator(
        key="assessments_45wd", title="Assessments completed within 45 working days", area="children_in_need",
        definition="Assessments completed in the year, by working days from referral to completion (table C2): "
        "the share completed within 45 working days.",
        source=CIN_CENSUS, source_url=EES + "3fb5a93d-1eb3-4f3a-bdd0-5caea4556ce6",
        kind=PERCENT, better=HIGHER, default_target=90, amber_tolerance=5,
        national=85.7, national_label="England 2025", national_quote="2025: 85.7% ≤45 WD",
    ),
    Indicator(
        key="cin_visits_in_time", title="Children in need visited within timescales", area="children_in_need",
        definition="Children on a child in need plan on the date whose last visit (child seen) was within the "
        "local standard: every 20 working days, counted from and including the day of the visit.",
        source=LOCAL, source_url="https://docsbay.net/frequency-and-guidance-for-statutory-visits",
        kind=PERCENT, better=HIGHER, default_target=90, amber_tolerance=5,
        national_note="No national figure: there is no national limit for child in need visits.",
    ),
    Indicator(
        key="icpc_15wd", title="Initial child protection conferences within 15 working days", area="protection",
        definition="Working days from the start of the s47 enquiry (the strategy discussion that initiated it) "
        "to the ICPC (table C4): the share held within 15 working days, for conferences in the year.",
        source=CIN_CENSUS, source_url=EES + "b0749fa2-c0e2-4a15-8c0f-23941b3b6161",
        kind=PERCENT, better=HIGHER, default_target=85, amber_tolerance=5,
        national=81.4, national_label="England 2025", national_quote="2025: 81.4% (58,670 of 72,090",
    ),
    Indicator(
        key="cp_plans_2_years", title="Child protection plans ending that lasted 2 years or more",
        area="protection",
        definition="% of CP plans ending in the year that had lasted 2 years or more (D7).",
        source=CIN_CENSUS, source_url=EES + "04a78d29-2196-4bea-bf95-7a2eced5d0d5",
        kind=PERCENT, better=LOWER, default_target=4, amber_tolerance=2,
        national=4.4, national_label="England 2025", national_quote="2025: 4.4% (2,710 of 62,300)",
    ),
    Indicator(
        key="cp_second_plans", title="Second or subsequent child protection plans", area="protection",
        definition="% of children starting a plan in the year who had ever had a previous plan, however long "
        "ago (D3; ex-NI 65).",
        source=CIN_CENSUS, source_url="http://id.esd.org.uk/metricType/100",
        kind=PERCENT, better=LOWER, default_target=20, amber_tolerance=3,
        national_note="National figure not retrieved (unconfirmed).",
    ),
    Indicator(
        key="cp_visits_in_time", title="Children on a plan visited within timescales", area="protection",
        definition="Children on a child protection plan on the date whose last visit (child seen) was within the "
        "local standard of every 10 working days.",
        source=LOCAL,
        source_url="https://ascpractice.camden.gov.uk/children-practice-hub/child-protection/"
        "visits-and-engagement-with-families",
        kind=PERCENT, better=HIGHER, default_target=90, amber_tolerance=5,
        national_note="No national figure: there is no national statutory minimum.",
    ),
    Indicator(
        key="cp_reviews_in_time", title="Child protection plans reviewed within timescales", area="protection",
        definition="CIN census \"CPPs reviewed within timescales\": children on a plan 3 months or more whose "
        "reviews were all on time (first review within 3 months of the ICPC, then not more than 6 months apart).",
        source=CIN_CENSUS,
        source_url="https://fdocuments.net/document/children-in-need-census-2019-to-2020-collect-report-21-"
        "report-description.html",
        kind=PERCENT, better=HIGHER, default_target=95, amber_tolerance=5,
        national_note="National figure not retrieved (unconfirmed).",
    ),
    Indicator(
        key="cla_reviews_in_time", title="Looked-after reviews within timescales", area="care",
        definition="Children looked after on the date whose reviews were held on time: the first within 20 "
        "working days of becoming looked after, the second within 3 months, then not more than 6 months apart "
        "(Care Planning, Placement and Case Review Regulations 2010, reg 33).",
        source=LOCAL,
        source_url="https://legislation.gov.uk/cy/uksi/2010/959/part/6/made?timeline=false",
        kind=PERCENT, better=HIGHER, default_target=95, amber_tolerance=5,
        national_note="No national figure published.",
    ),
    Indicator(
        key="cla_visits_in_time", title="Children in care visited within timescales", area="care",
        definition="Children looked after on the date whose statutory visits were on time: within 1 week of any "
        "placement starting, then not more than 6 weeks apart in the first year (reg 28).",
        source=LOCAL, source_url="https://www.legislation.gov.uk/uksi/2010/959/regulation/28/made",
        kind=PERCENT, better=HIGHER, default_target=95, amber_tolerance=5,
        national_note="No national figure published.",
    ),
    Indicator(
        key="stability_3_placements", title="Children in care with 3 or more placements in the year", area="care",
        definition="Children looked after on the date with 3 or more placements during the 12 months before it "
        "(short-term placement stability; ex-NI 62).",
        source=SSDA903, source_url=EES + "2ad311d1-cedf-4f31-9e0d-cc071b0cb1c2",
        kind=PERCENT, better=LOWER, default_target=10, amber_tolerance=2,
        national_note="Year figure not retrieved. Related 2-year measure, 2025: 23% had 3 or more placements "
        "in the previous 2 years.",
    ),
    Indicator(
        key="stability_long_term", title="Long-term placement stability", area="care",
        definition="Children looked after under 16, looked after continuously for 2.5 years or more, living "
        "with the same carer for 2 years or more (ex-NI 63).",
        source=SSDA903, source_url=EES + "68c7a1f2-7dd9-42d4-9794-e94203e311f0",
        kind=PERCENT, better=HIGHER, default_target=70, amber_tolerance=5,
        national=69.0, national_label="England 2025", national_quote="2025: 69% (19,680 of 28,710)",
    ),
    Indicator(
        key="health_assessments", title="Annual health assessments up to date", area="care",
        definition="Children looked after for 12 months or more (the OC2 cohort) whose annual health assessment "
        "is up to date.",
        source=SSDA903, source_url=EES + "3b90f444-beab-46ee-a815-5177852ff3fd",
        kind=PERCENT, better=HIGHER, default_target=90, amber_tolerance=5,
        national_note="National percentage not retrieved.",
    ),
    Indicator(
        key="dental_checks", title="Dental checks up to date", area="care",
        definition="Children looked after for 12 months or more (the OC2 cohort) whose dental check is up to "
        "date.",
        source=SSDA903, source_url=EES + "3b90f444-beab-46ee-a815-5177852ff3fd",
        kind=PERCENT, better=HIGHER, default_target=85, amber_tolerance=5,
        national_note="National percentage not retrieved.",
    ),
    Indicator(
        key="peps_in_date", title="Personal education plans in date", area="care",
        definition="Children looked after of school age whose personal education plan was reviewed this school "
        "term (statutory guidance: PEPs are reviewed every school term).",
        source=LOCAL,
        source_url="https://transform.medway.gov.uk/info/50252/birmingham_virtual_school/2273/"
        "personal_education_plan_pep/3",
        kind=PERCENT, better=HIGHER, default_target=95, amber_tolerance=5,
        national_note="No national figure published.",
    ),
    Indicator(
        key="rhi_72_hours", title="Return home interviews within 72 hours", area="care",
        definition="Missing episodes ended in the 12 months to the date after which the child was offered an "
        "independent return home interview within 72 hours of coming back.",
        source=LOCAL,
        source_url="https://www.missingpeople.org.uk/the-delivery-of-return-interviews-across-england-2023-24",
        kind=PERCENT, better=HIGHER, default_target=80, amber_tolerance=10,
        national=63.0, national_label="England 2023–24 (FOI average, not an official statistic)",
        national_quote="2023–24 FOI average: 63%",
    ),
    Indicator(
        key="a1_days", title="A1: days from entering care to moving in with an adoptive family", area="adoption",
        definition="Average days between a child entering care and moving in with their adoptive family, for "
        "children adopted (adoption scorecard A1; threshold 14 months, 426 days).",
        source=LAIT, source_url="https://gov.uk/government/news/adoption-scorecards-and-thresholds-published",
        kind=AVERAGE, better=LOWER, default_target=426, amber_tolerance=60,
        national=486.0, national_label="England 2015–18 (3-year average)", national_quote="A1 2015–18: 486 days",
    ),
    Indicator(
        key="a2_days", title="A2: days from placement order to match", area="adoption",
        definition="Average days between the court's authority to place a child (placement order) and the "
        "decision to match the child with an adoptive family (adoption scorecard A2; threshold 4 months, 121 "
        "days).",
        source=LAIT, source_url="https://gov.uk/government/news/adoption-scorecards-and-thresholds-published",
        kind=AVERAGE, better=LOWER, default_target=121, amber_tolerance=30,
        national_note="National figure not retrieved.",
    ),
    Indicator(
        key="a10_days", title="A10: days from entering care to placement, adjusted for foster carer adoptions",
        area="adoption",
        definition="A1 adjusted for foster-carer adoptions: for a child adopted by their foster carers, the date "
        "they moved in with them counts as the placement date. A10 has replaced A1 in ASGLB data.",
        source=LAIT, source_url="https://www.coram.org.uk/resource/local-level-asglb-data-q3-2020-21/",
        kind=AVERAGE, better=LOWER, default_target=426, amber_tolerance=60,
        national_note="National figure not retrieved.",
    ),
    Indicator(
        key="care_leavers_in_touch", title="Care leavers in touch", area="careleavers",
        definition="Care leavers whose latest contact (around their birthday) shows the authority in touch with "
        "them; for ages 22 to 25, those who requested and received support.",
        source=SSDA903, source_url=EES + "0809c1ed-e08b-43e6-b83b-ccb409051010",
        kind=PERCENT, better=HIGHER, default_target=90, amber_tolerance=5,
        national=58.0, national_label="England 2025, age 22", national_quote="2025, age 22: 58%",
    ),
    Indicator(
        key="care_leavers_eet", title="Care leavers in education, employment or training", area="careleavers",
        definition="Care leavers aged 19 to 21 in education, employment or training: activity on or around the "
        "birthday.",
        source=SSDA903, source_url="https://www.cypnow.co.uk/content/news/study-to-examine-poor-outcomes-of-care-leavers",
        kind=PERCENT, better=HIGHER, default_target=60, amber_tolerance=5,
        national_note="Latest national figure not retrieved (2017 press report: 40% not in education, "
        "employment or training).",
    ),
    Indicator(
        key="care_leavers_suitable_accommodation", title="Care leavers in suitable accommodation",
        area="careleavers",
        definition="Care leavers aged 19 to 21 in suitable accommodation, measured on or around the birthday.",
        source=SSDA903,
        source_url="https://explore-education-statistics.service.gov.uk/data-tables/fast-track/"
        "1da0616c-365c-4fea-9b91-f97ab87eee6a",
        kind=PERCENT, better=HIGHER, default_target=90, amber_tolerance=5,
        national=85.0, national_label="England 2019 (latest not retrieved)", national_quote="2019: 85%",
    ),
    Indicator(
        key="average_caseload", title="Average caseload per worker", area="workforce",
        definition="Children allocated on the date divided by the number of workers holding them.",
        source=LOCAL, source_url="",
        kind=PER_WORKER, better=LOWER, default_target=18, amber_tolerance=3,
        national_note="No national figure for caseloads is used here.",
    ),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}


def indicator_for(key: str) -> Indicator | None:
    return BY_KEY.get(key)
