"""The leaving care rules, exhaustively, as pure functions; and the OC3 code lists."""

import datetime as dt

import pytest

from opencsc.careleavers import codes, rules
from opencsc.codes import ssda903_list

D = dt.date
DOB = D(2000, 1, 1)  # 14 on 1 Jan 2014, 16 on 1 Jan 2016, 18 on 1 Jan 2018, 21 in 2021, 25 in 2025
LONG_FROM_15 = [(D(2015, 6, 1), None)]
LEFT_AT_16 = [(D(2015, 6, 1), D(2016, 9, 1))]
SHORT_AFTER_16 = [(D(2016, 3, 1), D(2016, 4, 1))]
LEFT_BEFORE_16 = [(D(2015, 1, 1), D(2015, 12, 1))]
TWO_SHORT = [(D(2015, 11, 1), D(2015, 12, 15)), (D(2016, 2, 1), D(2016, 3, 20))]  # 44 + 48 = 92 days
BEFORE_14_DOES_NOT_COUNT = [(D(2012, 1, 1), D(2014, 1, 2)), (D(2016, 1, 1), D(2016, 2, 1))]
NEW_IN_CARE_AT_16 = [(D(2016, 5, 1), None)]


@pytest.mark.parametrize("periods, on, expected", [
    (LONG_FROM_15, D(2017, 1, 1), "eligible"),
    (LONG_FROM_15, D(2016, 1, 1), "eligible"),  # the 16th birthday, after 13 weeks since 14
    (LONG_FROM_15, D(2015, 12, 31), None),  # not yet 16
    (LEFT_AT_16, D(2017, 1, 1), "relevant"),
    (LEFT_AT_16, D(2017, 12, 31), "relevant"),
    (LEFT_AT_16, D(2018, 1, 1), "former_relevant"),
    (LEFT_AT_16, D(2024, 12, 31), "former_relevant"),
    (LEFT_AT_16, D(2025, 1, 1), None),  # 25: support has ended
    (LONG_FROM_15, D(2019, 1, 1), "former_relevant"),  # still recorded as looked after at 19
    (SHORT_AFTER_16, D(2017, 1, 1), "qualifying"),
    (SHORT_AFTER_16, D(2020, 12, 31), "qualifying"),
    (SHORT_AFTER_16, D(2021, 1, 1), None),
    (LEFT_BEFORE_16, D(2017, 1, 1), None),
    (TWO_SHORT, D(2016, 6, 1), "relevant"),
    (TWO_SHORT, D(2016, 3, 19), "eligible"),  # the 13 weeks were reached on 18 Mar, while looked after
    (TWO_SHORT, D(2016, 3, 10), None),  # 82 days so far, and still looked after
    (TWO_SHORT[:1], D(2016, 6, 1), None),  # 44 days, and ended before 16
    (BEFORE_14_DOES_NOT_COUNT, D(2016, 6, 1), "qualifying"),
    (NEW_IN_CARE_AT_16, D(2016, 6, 1), None),  # looked after 4 weeks: not yet eligible
    (NEW_IN_CARE_AT_16, D(2016, 8, 1), "eligible"),  # 92 days
    ([], D(2017, 1, 1), None),
    ([(D(2018, 3, 1), None)], D(2017, 1, 1), None),  # a period after `on` is not counted
])
def test_suggested_category(periods, on, expected):
    assert rules.suggested_category(DOB, periods, on) == expected


def test_no_date_of_birth_no_suggestion():
    assert rules.suggested_category(None, LONG_FROM_15, D(2017, 1, 1)) is None


@pytest.mark.parametrize("periods, on, expected", [
    ([(D(2015, 1, 1), None)], D(2017, 1, 1), D(2016, 1, 1)),  # 13 weeks before 16: eligible on the birthday
    ([(D(2015, 12, 1), None)], D(2017, 1, 1), D(2016, 2, 29)),  # 91st day looked after
    (TWO_SHORT, D(2017, 1, 1), D(2016, 3, 18)),  # 44 days, then the 47th day of the second period
    (NEW_IN_CARE_AT_16, D(2016, 7, 30), D(2016, 7, 30)),
    (NEW_IN_CARE_AT_16, D(2016, 7, 29), None),
    (LEFT_BEFORE_16, D(2017, 1, 1), None),
])
def test_eligible_from(periods, on, expected):
    assert rules.eligible_from(DOB, periods, on) == expected


@pytest.mark.parametrize("to_25, expected", [(False, D(2021, 1, 1)), (True, D(2025, 1, 1))])
def test_support_ends_at_21_or_25(to_25, expected):
    assert rules.support_ends_on(DOB, to_25=to_25) == expected


@pytest.mark.parametrize("dob, age, expected", [
    (D(2000, 1, 1), 16, D(2016, 1, 1)),
    (D(2004, 2, 29), 17, D(2021, 3, 1)),
    (D(2004, 2, 29), 20, D(2024, 2, 29)),
])
def test_birthday(dob, age, expected):
    assert rules.birthday(dob, age) == expected


@pytest.mark.parametrize("on, expected", [
    (D(2015, 12, 31), 15), (D(2016, 1, 1), 16), (D(2024, 12, 31), 24), (D(2025, 1, 1), 25),
])
def test_age_on(on, expected):
    assert rules.age_on(DOB, on) == expected


@pytest.mark.parametrize("age, expected", [
    (16, None), (17, "17-18"), (18, "17-18"), (19, "19-21"), (21, "19-21"), (22, "22-25"), (25, "22-25"), (26, None),
])
def test_age_group(age, expected):
    assert rules.age_group(age) == expected


@pytest.mark.parametrize("today, expected", [
    (D(2016, 9, 30), None),  # more than 3 months before the 17th birthday
    (D(2016, 10, 1), (17, D(2016, 10, 1), D(2017, 2, 1))),
    (D(2017, 2, 1), (17, D(2016, 10, 1), D(2017, 2, 1))),
    (D(2017, 2, 2), None),
    (D(2021, 1, 15), (21, D(2020, 10, 1), D(2021, 2, 1))),
    (D(2022, 1, 1), None),  # 22: no OC3 birthday contact
])
def test_oc3_window(today, expected):
    assert rules.oc3_window(DOB, today) == expected


@pytest.mark.parametrize("today, expected", [
    (D(2016, 6, 1), (17, D(2017, 1, 1))),
    (D(2017, 1, 20), (17, D(2017, 1, 1))),  # within a month after: still this birthday's contact
    (D(2017, 2, 2), (18, D(2018, 1, 1))),
    (D(2021, 2, 2), None),
])
def test_next_oc3_birthday(today, expected):
    assert rules.next_oc3_birthday(DOB, today) == expected


@pytest.mark.parametrize("column, named", [
    ("IN_TOUCH", codes.IN_TOUCH), ("ACTIV", codes.ACTIVITY), ("ACCOM", codes.ACCOMMODATION),
])
def test_oc3_lists_are_the_code_book_lists_with_names(column, named):
    book = ssda903_list("OC3", column, column)
    assert [c for c, _ in named.items] == [c for c, _ in book.items]
    assert all(label and label != code for code, label in named.items)


def test_groupings_are_drawn_from_the_code_book():
    assert codes.EET_CODES | codes.NEET_CODES | {"0"} == codes.ACTIVITY.codes
    assert not codes.EET_CODES & codes.NEET_CODES
    assert codes.SUITABLE_ACCOMMODATION | codes.UNSUITABLE_ACCOMMODATION | {"0"} == codes.ACCOMMODATION.codes
    assert codes.HIGHER_EDUCATION_CODES <= codes.EDUCATION_CODES <= codes.EET_CODES
    assert codes.STAYING_PUT_ACCOMMODATION == {"Z1", "Z2"}
    assert codes.ACCOMMODATION.label("B2") == "With parents or relatives (not suitable)"


@pytest.mark.parametrize("code", ["F4", "P4", "F5", "P5"])
def test_activity_names_agree_with_the_annex_a_schema(code):
    """F4/P4 are apprenticeships and F5/P5 other training or employment, as the DfE's lists say."""
    from opencsc.returns.annexa import codes as annex_a_codes

    annex_a_label = annex_a_codes.ACTIVITY[code]
    ours = codes.ACTIVITY.label(code)
    assert ("(not apprenticeship)" in annex_a_label) == ("not an apprenticeship" in ours)
    assert "apprenticeship" in ours
