"""The authority's lists: who is in date on a day, set-based and limited by access."""

import datetime as dt

import pytest

from opencsc.accounts.roles import Role
from opencsc.care.selectors import every_child
from opencsc.wellbeing import selectors
from opencsc.wellbeing.models import HealthStatus

from .factories import (
    DentalCheckFactory,
    HealthAssessmentFactory,
    PEPFactory,
    PeriodOfCareFactory,
    SDQFactory,
)

D = dt.date
ON = D(2026, 6, 1)
pytestmark = pytest.mark.django_db


BORN = D(2015, 6, 1)
STARTED = D(2025, 9, 1)


def _in_care(birth=BORN, start=STARTED, end=None):
    return PeriodOfCareFactory(child__date_of_birth=birth, start_date=start, end_date=end).child


@pytest.mark.parametrize("birth, last, in_date", [
    (D(2015, 6, 1), D(2025, 6, 2), True),  # aged 5+: within 12 months
    (D(2015, 6, 1), D(2025, 6, 1), True),  # exactly 12 months
    (D(2015, 6, 1), D(2025, 5, 31), False),
    (D(2023, 1, 1), D(2025, 12, 1), True),  # under 5: within 6 months
    (D(2023, 1, 1), D(2025, 11, 30), False),
    (D(2020, 10, 1), D(2025, 11, 1), True),  # assessed after the fifth birthday: 12 months
    (D(2020, 10, 1), D(2025, 9, 15), False),  # assessed before the fifth birthday: 6 months
    (D(2015, 6, 1), None, False),
])
def test_a_health_assessment_is_in_date_for_6_months_under_5_and_12_months_after(birth, last, in_date):
    child = _in_care(birth=birth, start=D(2020, 12, 1) if birth < D(2021, 1, 1) else D(2024, 1, 1))
    if last:
        HealthAssessmentFactory(child=child, assessment_date=last)
    assert selectors.health_checks_in_date(on=ON, children=every_child()).filter(pk=child.pk).exists() is in_date
    assert selectors.without("health", on=ON, children=every_child()).filter(pk=child.pk).exists() is not in_date


def test_children_not_looked_after_on_the_day_are_in_neither_list():
    left = _in_care(start=D(2024, 1, 1), end=D(2026, 5, 1))
    HealthAssessmentFactory(child=left, assessment_date=D(2026, 4, 1))
    later = _in_care(start=D(2026, 7, 1))
    for child in (left, later):
        assert not selectors.health_checks_in_date(on=ON, children=every_child()).filter(pk=child.pk).exists()
        assert not selectors.without("health", on=ON, children=every_child()).filter(pk=child.pk).exists()


@pytest.mark.parametrize("last, in_date", [(D(2025, 6, 1), True), (D(2025, 5, 31), False), (D(2026, 6, 2), False)])
def test_a_dental_check_is_in_date_for_12_months(last, in_date):
    child = _in_care()
    DentalCheckFactory(child=child, check_date=last)
    assert selectors.dental_checks_in_date(on=ON, children=every_child()).filter(pk=child.pk).exists() is in_date


@pytest.mark.parametrize("birth, last, in_cohort, in_date", [
    (D(2015, 6, 1), D(2026, 2, 1), True, True),  # 4 months: one term
    (D(2015, 6, 1), D(2026, 1, 31), True, False),
    (D(2023, 6, 2), D(2026, 5, 1), False, False),  # 2 on the day: not yet in the PEP cohort
    (D(2023, 6, 1), D(2026, 5, 1), True, True),  # 3 on the day
    (D(2008, 6, 2), D(2026, 5, 1), True, True),  # 17
    (D(2008, 6, 1), D(2026, 5, 1), False, False),  # 18 on the day
])
def test_a_pep_is_in_date_for_a_term_for_children_aged_3_to_17(birth, last, in_cohort, in_date):
    child = _in_care(birth=birth, start=D(2025, 9, 1))
    PEPFactory(child=child, meeting_date=last)
    assert selectors.pep_cohort(on=ON, children=every_child()).filter(pk=child.pk).exists() is in_cohort
    assert selectors.peps_in_date(on=ON, children=every_child()).filter(pk=child.pk).exists() is in_date
    assert selectors.without("pep", on=ON, children=every_child()).filter(pk=child.pk).exists() is (in_cohort and not in_date)


def test_the_sdq_distribution_counts_each_childs_latest_score_in_the_last_12_months():
    scores = {10: None, 15: None, 30: None}
    for score in scores:
        child = _in_care()
        SDQFactory(child=child, completed_on=D(2025, 9, 1), score=35)  # older: not the latest
        SDQFactory(child=child, completed_on=D(2026, 3, 1), score=score)
    stale = _in_care()
    SDQFactory(child=stale, completed_on=D(2025, 5, 1), score=20)
    _in_care(birth=D(2023, 1, 1))  # aged 3: not in the cohort
    rows = {row["band"]: row["count"] for row in selectors.sdq_distribution(on=ON, children=every_child())}
    assert rows == {"normal": 1, "borderline": 1, "concern": 1, "none": 1}


def test_the_lists_leave_out_restricted_children_for_those_not_named(make_user):
    hidden = _in_care()
    hidden.is_restricted = True
    hidden.save()
    seen = _in_care()
    user = make_user(role=Role.SOCIAL_WORKER)
    listed = set(selectors.children_list(user=user, measure="health", on=ON).values_list("pk", flat=True))
    assert seen.pk in listed and hidden.pk not in listed
    figures = selectors.overview_figures(user=user, on=ON)
    assert figures["looked_after"] == 1


def test_the_lists_run_a_bounded_number_of_queries(make_user, django_assert_max_num_queries):
    user = make_user(role=Role.TEAM_MANAGER)
    for _ in range(6):
        child = _in_care()
        HealthAssessmentFactory(child=child, assessment_date=D(2025, 1, 1))
        SDQFactory(child=child, completed_on=D(2026, 1, 1))
    with django_assert_max_num_queries(8):
        selectors.overview_figures(user=user, on=ON)
    with django_assert_max_num_queries(2):
        assert len(list(selectors.children_list(user=user, measure="health", on=ON))) == 6


def test_the_oc2_health_columns_cover_children_in_care_for_12_months_at_31_march(make_user):
    year_end = D(2026, 3, 31)
    child = _in_care(birth=D(2015, 6, 1), start=D(2025, 3, 31))
    HealthAssessmentFactory(child=child, assessment_date=D(2025, 4, 20))
    DentalCheckFactory(child=child, check_date=D(2025, 3, 1))  # before the year
    SDQFactory(child=child, completed_on=D(2025, 9, 1), score=22)
    SDQFactory(child=child, completed_on=D(2026, 1, 10), score=None, completed_by="", reason_not_done="SDQ2")
    HealthStatus.objects.create(child=child, recorded_on=D(2025, 6, 1), immunisations_up_to_date=True,
                                substance_misuse=True, intervention_offered=True, intervention_received=False,
                                created_by=make_user())
    _in_care(start=D(2025, 4, 2))  # 12 months less a day
    _in_care(start=D(2024, 1, 1), end=D(2026, 3, 31))  # ceased on 31 March
    rows = {c.pk: selectors.oc2_row(c) for c in selectors.oc2_health(year_end=year_end, children=every_child())}
    assert rows == {child.pk: {
        "SDQ_SCORE": "", "SDQ_REASON": "SDQ2", "HEALTH_CHECK": "", "IMMUNISATIONS": "1", "TEETH_CHECK": "0",
        "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0", "INTERVENTION_OFFERED": "1",
    }}
