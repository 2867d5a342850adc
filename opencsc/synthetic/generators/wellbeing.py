"""Health, education, contact and rights of children in care, for the synthetic authority.

Runs after the care step and reads its periods of care from the database (until the care
step exists, children whose ChildPlan.service is "in_care" are taken as looked after since
they became known). Rates follow the national figures: about nine in ten health
assessments on time, about eight in ten dental checks and 85% of PEPs in date; some are
late, as in real life. Records older than LOOKBACK_DAYS are not made.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from opencsc.care.models import PeriodOfCare
from opencsc.people.models import Child
from opencsc.timescales.core.calendar import WorkingDayCalendar
from opencsc.wellbeing import rules
from opencsc.wellbeing.models import (
    PEP,
    SDQ,
    AdvocacyOffer,
    Complaint,
    ContactArrangement,
    DentalCheck,
    EducationTerm,
    Exclusion,
    HealthAssessment,
    HealthStatus,
    RightsExplained,
)

from ..context import GenerationContext, bulk_create, historical_timestamps
from .staff import SERVICE_TEAMS, case_holders

LOOKBACK_DAYS = 3 * 365
HEALTH_ON_TIME = 0.9
DENTAL_IN_DATE = 0.8
PEP_IN_DATE = 0.85
NEVER_DENTIST = 0.06
# Children whose latest check has lapsed (due in the last few months, not done): overdue now.
HEALTH_DRIFT, DENTAL_DRIFT, PEP_DRIFT = 0.07, 0.12, 0.1
DRIFT_DAYS = 150
IMMUNISED = 0.88
DEVELOPMENT_UP_TO_DATE = 0.88
SUBSTANCE_MISUSE_11_PLUS = 0.05
SDQ_SCORED = 0.78
CONTACT_RATE = 0.8
RIGHTS_EXPLAINED = 0.85
ADVOCACY_OFFERED = 0.7
ADVOCACY_ACCEPTED = 0.35
COMPLAINTS_PER_YEAR = 0.04
SUSPENSION_PER_YEAR = 0.1
PERMANENT_EXCLUSION = 0.01

ASSESSORS = ("Dr {name}, designated doctor for looked-after children", "{name}, specialist nurse for children in care",
             "Dr {name}, community paediatrician", "{name}, health visitor", "{name}, school nurse")
OUTCOMES = (
    "Growing well. Immunisations to be brought up to date at the GP; optician referral made.",
    "Well. Eczema managed with emollients; carer given advice. Dental registration confirmed.",
    "Emotional wellbeing a concern: referral to CAMHS for assessment. Sleep routine advice to carer.",
    "Healthy. Speech and language referral for expressive language delay.",
    "Asthma reviewed; inhaler technique good. Sexual health advice given in private.",
    "Weight below the 9th centile; dietitian referral and review in 3 months.",
)
TARGETS = (
    "Read with the carer for 20 minutes each evening; phonics intervention three times a week.",
    "Improve attendance to 95%: a morning check-in with the designated teacher.",
    "Times tables to 12 by Easter; one-to-one maths tuition funded by pupil premium plus.",
    "Complete the GCSE English coursework; weekly mentoring session.",
    "Settle into the new school: a buddy and a quiet space at lunchtime.",
)
VS_VIEWS = (
    "Targets are SMART and the child's views are recorded. Pupil premium plus spend is clear.",
    "Targets are too general; the designated teacher to revise them with the child.",
    "Good multi-agency input. The carer should attend the next meeting.",
)
CONTACT_WITH = (("Mother", 0.7), ("Father", 0.4), ("Brother", 0.25), ("Sister", 0.25), ("Grandmother", 0.2))
COMPLAINTS = (
    "Family time with my brother was cancelled twice.",
    "I was not told about my review meeting.",
    "My pocket money was late.",
    "I want a different social worker.",
)


def _periods(ctx: GenerationContext) -> list[tuple[int, dt.date, dt.date, dt.date | None]]:
    """(child id, date of birth, start, end) for every period of care, from the database."""
    rows = list(PeriodOfCare.objects.filter(child__date_of_birth__isnull=False).order_by("child_id", "start_date")
                .values_list("child_id", "child__date_of_birth", "start_date", "end_date"))
    if rows:
        return rows
    return [(c.pk, c.date_of_birth, c.known_from, None) for c in ctx.children
            if c.service == "in_care" and c.pk and c.date_of_birth and c.known_from]


def _age(dob: dt.date, day: dt.date) -> int:
    return rules.age_on(dob, day)


def _days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


class _Maker:
    def __init__(self, ctx: GenerationContext, rng: random.Random, staff: list, schools: dict):
        self.ctx, self.rng, self.staff, self.schools = ctx, rng, staff, schools
        self.fake = ctx.faker("wellbeing")
        self.cal = WorkingDayCalendar()
        self.since = ctx.today - dt.timedelta(days=LOOKBACK_DAYS)
        self.rows: dict[type, list] = {m: [] for m in (
            HealthAssessment, DentalCheck, HealthStatus, SDQ, PEP, EducationTerm, Exclusion, ContactArrangement,
            AdvocacyOffer, Complaint, RightsExplained)}

    def add(self, model, day: dt.date, **values) -> None:
        if day < self.since or day > self.ctx.today:
            return
        created = self.ctx.at(min(_days(day, self.rng.randint(0, 3)), self.ctx.today), self.rng.randint(9, 17))
        self.rows[model].append(model(created_by=self.rng.choice(self.staff), created_at=created, **values))

    def lapsed(self, day: dt.date) -> bool:
        """A check due in the last DRIFT_DAYS that was never done."""
        return day > self.ctx.today - dt.timedelta(days=DRIFT_DAYS)

    def health(self, child_id, dob, start, end) -> None:
        rng = self.rng
        due = self.cal.add_working_days(start, 20)
        day = _days(due, -rng.randint(0, 18)) if rng.random() < HEALTH_ON_TIME else _days(due, rng.randint(5, 50))
        kind = HealthAssessment.Kind.INITIAL
        drift = rng.random() < HEALTH_DRIFT
        while day < end and not (drift and self.lapsed(day)):
            name = self.fake.last_name()
            self.add(HealthAssessment, day, child_id=child_id, kind=kind, assessment_date=day,
                     assessed_by=rng.choice(ASSESSORS).format(name=name), outcome=rng.choice(OUTCOMES))
            self.health_status(child_id, dob, _days(day, rng.randint(0, 7)), end)
            months = rules.health_assessment_months(under_five=_age(dob, day) < 5)
            due = self.cal.add_months(day, months)
            late = rng.random() >= HEALTH_ON_TIME
            day = _days(due, rng.randint(5, 60)) if late else _days(due, -rng.randint(0, 25))
            kind = HealthAssessment.Kind.REVIEW

    def health_status(self, child_id, dob, day, end) -> None:
        if day >= end:
            return
        rng = self.rng
        misuse = _age(dob, day) >= 11 and rng.random() < SUBSTANCE_MISUSE_11_PLUS
        offered = misuse and rng.random() < 0.85
        self.add(HealthStatus, day, child_id=child_id, recorded_on=day, immunisations_up_to_date=rng.random() < IMMUNISED,
                 development_check_up_to_date=(rng.random() < DEVELOPMENT_UP_TO_DATE) if _age(dob, day) < 5 else None,
                 substance_misuse=misuse, intervention_offered=offered if misuse else None,
                 intervention_received=(offered and rng.random() < 0.7) if misuse else None)

    def year_end_status(self, child_id, dob, start, end) -> None:
        """The health facts checked before each 31 March and 30 September the child is looked after (for
        the 903's OC2), so that every child looked after for a year has them recorded in the year, and
        in any 12 months, whenever their health assessments fall (late or lapsed ones included)."""
        mark = dt.date(start.year, 3, 31) if start.month < 4 else dt.date(start.year, 9, 30)
        if mark < start:
            mark = dt.date(start.year, 9, 30) if mark.month == 3 else dt.date(start.year + 1, 3, 31)
        while mark < end:
            day = _days(mark, -self.rng.randint(5, 45))
            if day > start:
                self.health_status(child_id, dob, day, end)
            mark = dt.date(mark.year, 9, 30) if mark.month == 3 else dt.date(mark.year + 1, 3, 31)

    def dental(self, child_id, dob, start, end) -> None:
        rng = self.rng
        if rng.random() < NEVER_DENTIST or _age(dob, end) < 1:
            return
        day = max(_days(start, rng.randint(20, 90)), _days(dob, 365))
        drift = rng.random() < DENTAL_DRIFT
        while day < end and not (drift and self.lapsed(day)):
            self.add(DentalCheck, day, child_id=child_id, check_date=day,
                     dentist=f"{self.fake.street_name()} Dental Practice")
            late = rng.random() >= DENTAL_IN_DATE
            day = _days(day, rng.randint(370, 520) if late else rng.randint(170, 360))

    def sdq(self, child_id, dob, start, end) -> None:
        rng = self.rng
        day = _days(start, rng.randint(30, 240))  # soon after coming into care, then yearly
        while day < end:
            age = _age(dob, day)
            if rules.SDQ_MIN_AGE <= age <= rules.SDQ_MAX_AGE:
                if rng.random() < SDQ_SCORED:
                    score = max(0, min(40, round(rng.gauss(14, 7))))
                    who = SDQ.CompletedBy.YOUNG_PERSON if age >= 11 and rng.random() < 0.3 else (
                        SDQ.CompletedBy.TEACHER if rng.random() < 0.15 else SDQ.CompletedBy.CARER)
                    self.add(SDQ, day, child_id=child_id, completed_on=day, score=score, completed_by=who)
                else:
                    reason = rng.choices(("SDQ2", "SDQ3", "SDQ4", "SDQ5"), weights=(3, 1, 3, 3 if age >= 11 else 0))[0]
                    self.add(SDQ, day, child_id=child_id, completed_on=day, reason_not_done=reason)
            elif age in (rules.SDQ_MIN_AGE - 1, rules.SDQ_MAX_AGE + 1):
                # The yearly check falls just before the 4th or after the 17th birthday: the 903 still
                # needs a reason for no score that year (rule 197B). No draw, so the rest stays the same.
                self.add(SDQ, day, child_id=child_id, completed_on=day, reason_not_done="SDQ1")
            day = _days(day, rng.randint(300, 365))  # yearly: one in every 12 months (903 rules 186, 197B)

    def education(self, child_id, dob, start, end) -> None:
        rng = self.rng
        due = self.cal.add_working_days(start, 10)
        day = _days(due, -rng.randint(0, 8)) if rng.random() < PEP_IN_DATE else _days(due, rng.randint(5, 40))
        drift = rng.random() < PEP_DRIFT
        while day < end and not (drift and self.lapsed(day)):
            if rules.PEP_MIN_AGE <= _age(dob, day) <= rules.PEP_MAX_AGE:
                rated = day < _days(self.ctx.today, -30) and rng.random() < 0.8
                self.add(PEP, day, child_id=child_id, meeting_date=day,
                         status=PEP.Status.COMPLETE if rated or rng.random() < 0.5 else PEP.Status.DRAFT,
                         targets=rng.choice(TARGETS), virtual_school_view=rng.choice(VS_VIEWS) if rated else "",
                         quality_rating=rng.choices(PEP.Quality.values, weights=(6, 3, 1))[0] if rated else "")
            late = rng.random() >= PEP_IN_DATE
            day = _days(day, rng.randint(125, 200) if late else rng.randint(75, 118))
        self.school(child_id, dob, start, end)

    def school(self, child_id, dob, start, end) -> None:
        rng = self.rng
        name, urn = self.schools.get(child_id) or rng.choice(self.ctx.schools or [("Northvale Academy", "100001")])
        seen: set = set()
        day = max(start, self.since)
        low = rng.random() < 0.15  # persistently absent
        while day < min(end, self.ctx.today):
            year, term = rules.term_of(day)
            if 5 <= _age(dob, day) <= 16 and (year, term) not in seen:
                seen.add((year, term))
                attendance = rng.uniform(60, 88) if low else min(100.0, rng.gauss(94, 4))
                self.add(EducationTerm, day, child_id=child_id, academic_year=year, term=term, school_name=name,
                         school_urn=urn if len(urn) == 6 and urn.isdigit() else "",
                         attendance_percent=Decimal(str(round(attendance, 1))),
                         attainment=rng.choice(("Working at the expected standard", "Working towards the expected "
                                                "standard", "Working below the expected standard", "Greater depth")))
                if rng.random() < SUSPENSION_PER_YEAR / 3:
                    first = _days(day, rng.randint(5, 40))
                    kind = (Exclusion.Kind.PERMANENT if rng.random() < PERMANENT_EXCLUSION * 3
                            else Exclusion.Kind.SUSPENSION)
                    if first < end:
                        self.add(Exclusion, first, child_id=child_id, start_date=first, kind=kind,
                                 school_days=rng.randint(1, 5) if kind == Exclusion.Kind.SUSPENSION else None,
                                 reason=rng.choice(("Physical assault against a pupil", "Persistent disruptive "
                                                    "behaviour", "Verbal abuse against an adult")))
            day = _days(day, 120)

    def contact_and_rights(self, child_id, dob, start, end) -> None:
        rng = self.rng
        ended = end if end <= self.ctx.today else None
        if rng.random() < CONTACT_RATE:
            for who, rate in CONTACT_WITH:
                if rng.random() < rate:
                    began = _days(start, rng.randint(0, 30))
                    stop = ended or (_days(began, rng.randint(90, 700)) if rng.random() < 0.25 else None)
                    if began > self.ctx.today or (stop and (stop > self.ctx.today or stop < began)):
                        stop = None
                    if began <= self.ctx.today:
                        self.add(ContactArrangement, max(began, self.since), child_id=child_id,
                                 with_whom=f"{self.fake.first_name()} {self.fake.last_name()}", relationship=who,
                                 frequency=rng.choice(ContactArrangement.Frequency.values[:5]),
                                 supervised=rng.random() < 0.6, start_date=began, end_date=stop)
        if _age(dob, start) >= 4 and rng.random() < RIGHTS_EXPLAINED:
            day = _days(start, rng.randint(1, 20))
            self.add(RightsExplained, day, child_id=child_id, explained_on=day,
                     explained_by="Allocated social worker", how="The children in care pledge, talked through at "
                     "the first visit")
        if _age(dob, start) >= 5 and rng.random() < ADVOCACY_OFFERED:
            day = _days(start, rng.randint(10, 60))
            accepted = rng.random() < ADVOCACY_ACCEPTED
            self.add(AdvocacyOffer, day, child_id=child_id, offered_on=day, offered_by="Independent reviewing officer",
                     accepted=accepted, advocate="Coram Voice" if accepted else "")
        years = max(0.0, ((min(end, self.ctx.today) - max(start, self.since)).days) / 365)
        if _age(dob, start) >= 8 and rng.random() < COMPLAINTS_PER_YEAR * years:
            day = _days(max(start, self.since), rng.randint(0, max(0, (min(end, self.ctx.today)
                                                                        - max(start, self.since)).days)))
            closed = _days(day, rng.randint(10, 60))
            done = closed <= self.ctx.today
            self.add(Complaint, day, child_id=child_id, received_on=day, summary=rng.choice(COMPLAINTS),
                     stage=rng.choices(Complaint.Stage.values, weights=(85, 12, 3))[0],
                     outcome=rng.choice(Complaint.Outcome.values) if done else "",
                     outcome_date=closed if done else None)


def generate_wellbeing(ctx: GenerationContext) -> None:
    rng = ctx.rng("wellbeing")
    staff = [u for team in SERVICE_TEAMS["in_care"] for u in case_holders(ctx, team)]
    if not staff:
        staff = [u for users in ctx.staff_by_team.values() for u in users][:1]
    if not staff:
        return
    periods = _periods(ctx)
    schools = {pk: (name, urn) for pk, name, urn in Child.objects.filter(
        pk__in={p[0] for p in periods}).exclude(school_name="").values_list("pk", "school_name", "school_urn")}
    maker = _Maker(ctx, rng, staff, schools)
    for child_id, dob, start, end in periods:
        if start is None or start > ctx.today:
            continue
        start = max(start, dob)  # a baby looked after from birth
        stop = min(end or ctx.today + dt.timedelta(days=1), ctx.today + dt.timedelta(days=1))
        maker.health(child_id, dob, start, stop)
        maker.year_end_status(child_id, dob, start, stop)
        maker.dental(child_id, dob, start, stop)
        maker.sdq(child_id, dob, start, stop)
        maker.education(child_id, dob, start, stop)
        maker.contact_and_rights(child_id, dob, start, end or ctx.today + dt.timedelta(days=1))
    for model, rows in maker.rows.items():
        if model is EducationTerm:  # one record per child and term, whatever the periods
            unique = {(r.child_id, r.academic_year, r.term): r for r in rows}
            rows = list(unique.values())
        with historical_timestamps(model, "created_at"):
            bulk_create(model, rows, ctx)
