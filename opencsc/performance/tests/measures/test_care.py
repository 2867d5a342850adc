import datetime as dt

import pytest

from opencsc.care import services
from opencsc.care.tests.factories import FOSTER, looked_after
from opencsc.casework.models import Visit
from opencsc.casework.tests.factories import VisitFactory
from opencsc.missing.tests.factories import MissingEpisodeFactory, ReturnInterviewFactory, at
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance.measures.care import (
    cla_reviews_in_time,
    cla_visits_in_time,
    dental_checks,
    health_assessments,
    peps_in_date,
    rhi_72_hours,
    stability_3_placements,
    stability_long_term,
)
from opencsc.wellbeing.tests.factories import (
    DentalCheckFactory,
    HealthAssessmentFactory,
    PEPFactory,
    PeriodOfCareFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


def restricted(child):
    Child.objects.filter(pk=child.pk).update(is_restricted=True)
    return child


def in_care(worker, since: dt.date, dob=dt.date(2015, 5, 1), moves=()):
    child = ChildFactory(date_of_birth=dob)
    looked_after(worker, child, since)
    for move in moves:
        services.placement_change(actor=worker, child=child, change_date=move, reason_for_change="CARPL",
                                  **FOSTER)
    return child


def cla_review(worker, child, held: dt.date):
    services.review_record(actor=worker, child=child, held_on=held, participation="PN1", decisions="Plan agreed")


# Looked after on Mon 2 Mar 2026: first review within 20 working days (30 Mar), then 3 months after it.
@pytest.mark.parametrize(("reviews", "as_at", "met", "due"), [
    ([], dt.date(2026, 3, 30), True, dt.date(2026, 3, 30)),
    ([], dt.date(2026, 3, 31), False, dt.date(2026, 3, 30)),
    ([dt.date(2026, 3, 27)], dt.date(2026, 6, 27), True, dt.date(2026, 6, 27)),
    ([dt.date(2026, 3, 27)], dt.date(2026, 6, 28), False, dt.date(2026, 6, 27)),
    ([dt.date(2026, 3, 27), dt.date(2026, 6, 26)], dt.date(2026, 6, 28), True, dt.date(2026, 12, 26)),
    ([dt.date(2026, 3, 27), dt.date(2026, 6, 29)], dt.date(2026, 6, 28), False, dt.date(2026, 6, 27)),  # after
])
def test_cla_reviews_in_time(worker, reviews, as_at, met, due):
    child = in_care(worker, dt.date(2026, 3, 2))
    for held in reviews:
        cla_review(worker, child, held)
    restricted(child)
    [row] = cla_reviews_in_time(as_at)
    assert (row.child_id, row.met, row.on) == (child.pk, met, due)
    assert row.ref.startswith("Looked after since 2 Mar 2026: reviews: ")


def test_cla_reviews_cohort(worker):
    child = in_care(worker, dt.date(2026, 3, 2))
    services.period_end(actor=worker, child=child, end_date=dt.date(2026, 3, 20), reason_ceased="E11")
    assert cla_reviews_in_time(dt.date(2026, 3, 1)) == []
    assert len(cla_reviews_in_time(dt.date(2026, 3, 19))) == 1
    assert cla_reviews_in_time(dt.date(2026, 3, 20)) == []


# Placement from 2 Mar 2026: first visit within a week, then every 6 weeks; a new placement starts again.
@pytest.mark.parametrize(("visits", "moves", "as_at", "met", "due"), [
    ([], [], dt.date(2026, 3, 9), True, dt.date(2026, 3, 9)),
    ([], [], dt.date(2026, 3, 10), False, dt.date(2026, 3, 9)),
    ([dt.date(2026, 3, 5)], [], dt.date(2026, 4, 16), True, dt.date(2026, 4, 16)),
    ([dt.date(2026, 3, 5)], [], dt.date(2026, 4, 17), False, dt.date(2026, 4, 16)),
    ([dt.date(2026, 3, 5)], [dt.date(2026, 3, 20)], dt.date(2026, 3, 28), False, dt.date(2026, 3, 27)),
    ([dt.date(2026, 3, 5), dt.date(2026, 3, 24)], [dt.date(2026, 3, 20)], dt.date(2026, 3, 28), True,
     dt.date(2026, 5, 5)),
])
def test_cla_visits_in_time(worker, visits, moves, as_at, met, due):
    child = in_care(worker, dt.date(2026, 3, 2), moves=moves)
    for visited in visits:
        VisitFactory(child=child, kind=Visit.Kind.CLA, visited_on=visited)
    VisitFactory(child=child, kind=Visit.Kind.CLA, visited_on=dt.date(2026, 4, 30), child_seen=False,
                 child_seen_alone=False)
    restricted(child)
    [row] = cla_visits_in_time(as_at)
    assert (row.child_id, row.met, row.on) == (child.pk, met, due)


def test_cla_visit_after_the_date_does_not_count(worker):
    child = in_care(worker, dt.date(2026, 3, 2))
    VisitFactory(child=child, kind=Visit.Kind.CLA, visited_on=dt.date(2026, 3, 11))
    assert cla_visits_in_time(dt.date(2026, 3, 10))[0].met is False


@pytest.mark.parametrize(("moves", "met"), [
    ([], False),
    ([dt.date(2025, 6, 2)], False),
    ([dt.date(2025, 6, 2), dt.date(2025, 9, 1)], True),  # 3 placements in the year
    ([dt.date(2025, 6, 2), dt.date(2026, 4, 1)], False),  # a move after the date
])
def test_three_or_more_placements(worker, moves, met):
    child = restricted(in_care(worker, dt.date(2025, 4, 1), moves=moves))
    [row] = stability_3_placements(dt.date(2026, 3, 31))
    assert (row.child_id, row.met, row.on) == (child.pk, met, dt.date(2025, 4, 1))


# At 31 Mar 2026: looked after since 30 Sep 2023 is 2.5 years; placed since 31 Mar 2024 is 2 years.
@pytest.mark.parametrize(("since", "moved", "dob", "in_cohort", "met"), [
    (dt.date(2023, 9, 30), None, dt.date(2012, 1, 1), True, True),
    (dt.date(2023, 9, 30), dt.date(2024, 3, 31), dt.date(2012, 1, 1), True, True),  # same placement 2 years
    (dt.date(2023, 9, 30), dt.date(2024, 4, 1), dt.date(2012, 1, 1), True, False),  # 2 years less a day
    (dt.date(2023, 9, 30), dt.date(2026, 4, 1), dt.date(2012, 1, 1), True, True),  # a move after the date
    (dt.date(2023, 10, 1), None, dt.date(2012, 1, 1), False, None),  # looked after 2.5 years less a day
    (dt.date(2023, 9, 30), None, dt.date(2010, 4, 1), True, True),  # 15, sixteen tomorrow
    (dt.date(2023, 9, 30), None, dt.date(2010, 3, 31), False, None),  # 16 today
])
def test_long_term_stability(worker, since, moved, dob, in_cohort, met):
    child = restricted(in_care(worker, since, dob=dob, moves=[moved] if moved else []))
    rows = stability_long_term(dt.date(2026, 3, 31))
    assert [(r.child_id, r.met) for r in rows] == ([(child.pk, met)] if in_cohort else [])


AS_AT = dt.date(2026, 3, 31)


def oc2_child(since=dt.date(2025, 3, 31), dob=dt.date(2015, 6, 1)):
    child = ChildFactory(date_of_birth=dob, is_restricted=True)
    PeriodOfCareFactory(child=child, start_date=since)
    return child


@pytest.mark.parametrize(("since", "in_cohort"), [
    (dt.date(2025, 3, 31), True),
    (dt.date(2025, 4, 1), True),  # 12 months: 1 April 2025 to 31 March 2026 (DfE rule 191)
    (dt.date(2025, 4, 2), False),  # 12 months less a day
])
def test_oc2_cohort(since, in_cohort):
    oc2_child(since)
    assert len(health_assessments(AS_AT)) == len(dental_checks(AS_AT)) == int(in_cohort)


@pytest.mark.parametrize(("dob", "assessed", "met"), [
    (dt.date(2015, 6, 1), dt.date(2025, 3, 31), True),  # 10 years old: within 12 months
    (dt.date(2015, 6, 1), dt.date(2025, 3, 30), False),
    (dt.date(2015, 6, 1), dt.date(2026, 4, 1), False),  # after the date
    (dt.date(2022, 6, 1), dt.date(2025, 9, 30), True),  # under 5: within 6 months
    (dt.date(2022, 6, 1), dt.date(2025, 9, 29), False),
    (dt.date(2015, 6, 1), None, False),
])
def test_health_assessments(dob, assessed, met):
    child = oc2_child(dob=dob)
    if assessed:
        HealthAssessmentFactory(child=child, assessment_date=assessed)
    assert [(r.child_id, r.met) for r in health_assessments(AS_AT)] == [(child.pk, met)]


@pytest.mark.parametrize(("checked", "met"), [
    (dt.date(2025, 3, 31), True),
    (dt.date(2025, 3, 30), False),
    (dt.date(2026, 4, 1), False),
])
def test_dental_checks(checked, met):
    child = oc2_child()
    DentalCheckFactory(child=child, check_date=checked)
    [row] = dental_checks(AS_AT)
    assert (row.child_id, row.met) == (child.pk, met)
    assert row.ref == f"Dental check {'in date' if met else 'not in date'} on 31 Mar 2026"


@pytest.mark.parametrize(("dob", "pep", "rows"), [
    (dt.date(2015, 6, 1), dt.date(2025, 11, 30), [True]),  # within 4 months
    (dt.date(2015, 6, 1), dt.date(2025, 11, 29), [False]),
    (dt.date(2015, 6, 1), None, [False]),
    (dt.date(2015, 6, 1), dt.date(2026, 4, 1), [False]),  # after the date
    (dt.date(2023, 3, 31), None, [False]),  # 3 today
    (dt.date(2023, 4, 1), None, []),  # not yet 3
    (dt.date(2008, 4, 1), None, [False]),  # 17
    (dt.date(2008, 3, 31), None, []),  # 18
])
def test_peps_in_date(dob, pep, rows):
    child = ChildFactory(date_of_birth=dob)
    PeriodOfCareFactory(child=child, start_date=dt.date(2026, 1, 5))
    if pep:
        PEPFactory(child=child, meeting_date=pep)
    assert [r.met for r in peps_in_date(AS_AT)] == rows


RETURNED = at(dt.date(2026, 3, 2), 18, 0)


@pytest.mark.parametrize(("offered", "as_at", "met"), [
    (RETURNED + dt.timedelta(hours=72), dt.date(2026, 3, 31), True),
    (RETURNED + dt.timedelta(hours=72, minutes=1), dt.date(2026, 3, 31), False),
    (None, dt.date(2026, 3, 4), None),  # 72 hours not over at the end of the day
    (None, dt.date(2026, 3, 5), False),  # over at 6pm
    (RETURNED + dt.timedelta(hours=30), dt.date(2026, 3, 2), None),  # offered after the date
])
def test_return_home_interviews(offered, as_at, met):
    episode = MissingEpisodeFactory(started_at=RETURNED - dt.timedelta(hours=5), ended_at=RETURNED,
                                    child__is_restricted=True)
    if offered:
        ReturnInterviewFactory(episode=episode, offered_at=offered)
    [row] = rhi_72_hours(as_at)
    assert (row.child_id, row.met, row.on) == (episode.child_id, met, dt.date(2026, 3, 2))


def test_return_home_interview_window():
    MissingEpisodeFactory(started_at=at(dt.date(2025, 3, 30), 20), ended_at=at(dt.date(2025, 3, 31), 23, 30))
    MissingEpisodeFactory(started_at=at(dt.date(2026, 3, 31), 20), ended_at=None)  # still missing
    MissingEpisodeFactory(started_at=at(dt.date(2026, 3, 31), 20), ended_at=at(dt.date(2026, 4, 1), 0, 30))
    assert rhi_72_hours(AS_AT) == []
    assert len(rhi_72_hours(dt.date(2025, 3, 31))) == 1


def _build(worker, n):
    for _ in range(n):
        child = in_care(worker, dt.date(2023, 3, 1), moves=[dt.date(2025, 6, 2)])
        cla_review(worker, child, dt.date(2026, 1, 5))
        VisitFactory(child=child, kind=Visit.Kind.CLA, visited_on=dt.date(2026, 3, 2))
        HealthAssessmentFactory(child=child, assessment_date=dt.date(2025, 6, 1))
        DentalCheckFactory(child=child, check_date=dt.date(2025, 6, 1))
        PEPFactory(child=child, meeting_date=dt.date(2026, 1, 5))
        ReturnInterviewFactory(episode=MissingEpisodeFactory(child=child))
