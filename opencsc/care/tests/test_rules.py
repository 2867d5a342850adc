"""The SSDA903 episode rules and the stability measures, as pure functions."""

import datetime as dt

import pytest

from opencsc.care import rules
from opencsc.care.rules import Row, episode_errors, reason_new_episode

D = dt.date
BORN = D(2014, 6, 1)


def row(start, end=None, rne="S", ls="C2", place="U3", provider="PR1", rec="", key=1, **kwargs):
    if end is not None and not rec:
        rec = "E4A"
    return Row(start_date=start, end_date=end, reason_new_episode=rne, legal_status=ls, category_of_need="N1",
               placement_type=place, provider=provider, reason_ceased=rec, placement_key=key, **kwargs)


def messages(rows, born=BORN):
    return [(position, field) for position, field, _ in episode_errors(rows, born)]


def test_a_simple_run_of_episodes_is_valid():
    rows = [
        row(D(2024, 1, 5), D(2024, 3, 1), rec="X1", reason_place_change="CARPL"),
        row(D(2024, 3, 1), D(2024, 6, 1), rne="P", key=2, rec="X1"),
        row(D(2024, 6, 1), None, rne="L", ls="E1", key=2),
    ]
    assert episode_errors(rows, BORN) == []


@pytest.mark.parametrize("field, value", [
    ("reason_new_episode", "Z"), ("legal_status", "C9"), ("category_of_need", "N9"), ("placement_type", "U9"),
    ("provider", "PR9"), ("reason_ceased", "E99"), ("reason_place_change", "BORED"),
])
def test_codes_not_in_the_dfe_lists_are_refused(field, value):
    bad = row(D(2024, 1, 5))
    setattr(bad, field, value)
    expected = "reason_for_change" if field == "reason_place_change" else field
    assert (0, expected) in messages([bad])


@pytest.mark.parametrize("rows, expected", [
    # DEC before DECOM (rule 356)
    ([row(D(2024, 3, 1), D(2024, 2, 1))], (0, "end_date")),
    # DEC and REC both or neither (rule 148)
    ([row(D(2024, 3, 1), None, rec="E4A")], (0, "end_date")),
    # The first episode must be S (rule 357)
    ([row(D(2024, 3, 1), rne="P")], (0, "reason_new_episode")),
    # Episodes must not overlap (rules 501, 142)
    ([row(D(2024, 1, 1), D(2024, 5, 1), rec="X1", reason_place_change="CARPL"), row(D(2024, 4, 1), rne="P", key=2)],
     (1, "start_date")),
    ([row(D(2024, 1, 1)), row(D(2024, 4, 1), rne="P", key=2)], (1, "start_date")),
    # No gap inside a period (rule 433)
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1", reason_place_change="CARPL"), row(D(2024, 3, 5), rne="P", key=2)],
     (1, "start_date")),
    # S only at a period's start
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1", reason_place_change="CARPL"), row(D(2024, 3, 1), rne="S", key=2)],
     (1, "reason_new_episode")),
    # After a period ends, the next episode must be S (rule 432)
    ([row(D(2024, 1, 1), D(2024, 3, 1)), row(D(2024, 5, 1), rne="P", key=2)], (1, "reason_new_episode")),
    # A new period cannot start the day the previous ended (rule 431)
    ([row(D(2024, 1, 1), D(2024, 3, 1)), row(D(2024, 3, 1), key=2)], (1, "start_date")),
    # X1 needs a following episode (rule 388)
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1")], (0, "reason_ceased")),
    # L needs the same placement and a new status (rule 434)
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1"), row(D(2024, 3, 1), rne="L")], (1, "legal_status")),
    # P needs a new placement and the same status (rule 435)
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1"), row(D(2024, 3, 1), rne="P")], (1, "placement_type")),
    # B needs both to change (rule 436)
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1", reason_place_change="CARPL"), row(D(2024, 3, 1), rne="B", key=2)],
     (1, "reason_new_episode")),
    # T is a placement change with the same legal status (rule 435)
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1", reason_place_change="CARPL"),
      row(D(2024, 3, 1), rne="T", key=2, ls="V2")], (1, "placement_type")),
    # A placement change needs its reason (rule 225)
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1"), row(D(2024, 3, 1), rne="P", key=2)], (0, "reason_for_change")),
    # Temporary placements cannot start or end a period (rules 380, 381)
    ([row(D(2024, 1, 1), place="T4", provider="")], (0, "placement_type")),
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1", reason_place_change="CARPL"),
      row(D(2024, 3, 1), D(2024, 3, 5), rne="P", key=2, place="T4", provider="")], (1, "placement_type")),
    # Temporary placements have a maximum length (rules 376, 379)
    ([row(D(2024, 1, 1), D(2024, 3, 1), rec="X1", reason_place_change="CARPL"),
      row(D(2024, 3, 1), D(2024, 3, 10), rne="P", key=2, place="T4", provider="", rec="X1"),
      row(D(2024, 3, 10), rne="P", key=3)], (1, "end_date")),
    # Provider and placement type combinations (rules 527-531, 550)
    ([row(D(2024, 1, 1), place="P1", provider="PR1")], (0, "provider")),
    ([row(D(2024, 1, 1), place="U1", provider="PR3")], (0, "provider")),
    ([row(D(2024, 1, 1), place="P1", provider="PR5")], (0, "provider")),
    ([row(D(2024, 1, 1), place="U3", provider="PR0")], (0, "provider")),
    # Legal status and placement combinations (rules 378, 408, 384, 382)
    ([row(D(2024, 1, 1), place="P1", provider="PR0", ls="V2")], (0, "legal_status")),
    ([row(D(2024, 1, 1), place="A6", provider="PR1", ls="C2")], (0, "legal_status")),
    ([row(D(2024, 1, 1), place="U1", ls="V3")], (0, "placement_type")),
    # Age rules (358, 373, 386, 407, 387, 389, 460)
    ([row(D(2020, 1, 1), ls="J2")], (0, "legal_status")),
    ([row(D(2016, 1, 1), place="S1", provider="PR2")], (0, "placement_type")),
    ([row(D(2031, 1, 1), D(2032, 7, 1), rec="E11")], (0, "reason_ceased")),
    ([row(D(2031, 1, 1), D(2032, 7, 1), rec="E46")], (0, "reason_ceased")),
    ([row(D(2024, 1, 1), D(2026, 1, 1), rec="E5")], (0, "reason_ceased")),
    ([row(D(2024, 1, 1), D(2026, 1, 1), rec="E7")], (0, "reason_ceased")),
    ([row(D(2024, 1, 1), D(2026, 1, 1), rec="E17")], (0, "reason_ceased")),
    # SGO to former foster carers needs a foster placement (rule 516)
    ([row(D(2024, 1, 1), D(2026, 1, 1), place="R1", provider="PR1", rec="E45")], (0, "reason_ceased")),
    # Home and placement postcodes differ unless placed with parents (rule 392d)
    ([row(D(2024, 1, 1), home_postcode="TW3 1ES", placement_postcode="tw31es")], (0, "postcode")),
    # Not before birth (rule 302)
    ([row(D(2014, 1, 1))], (0, "start_date")),
])
def test_broken_rules_are_found(rows, expected):
    assert expected in messages(rows)


@pytest.mark.parametrize("rows", [
    [row(D(2024, 1, 1), place="P1", provider="PR0", ls="C2", home_postcode="TW3 1ES", placement_postcode="TW3 1ES")],
    [row(D(2024, 1, 1), place="A5", provider="PR1", ls="E1")],
    [row(D(2024, 1, 1), D(2032, 6, 2), rec="E17")],
    [row(D(2024, 1, 1), D(2029, 1, 1), rec="E11")],
    [row(D(2024, 1, 1), D(2026, 1, 1), place="U4", provider="PR1", rec="E45")],
    [row(D(2024, 1, 1), D(2024, 3, 1), rec="X1", reason_place_change="CARPL"),
     row(D(2024, 3, 1), D(2024, 3, 4), rne="P", key=2, place="T4", provider="", rec="X1"),
     row(D(2024, 3, 4), rne="P", key=3)],
    [row(D(2024, 1, 1), D(2024, 3, 1)), row(D(2024, 3, 2), key=2)],
])
def test_allowed_combinations_pass(rows):
    assert episode_errors(rows, BORN) == []


@pytest.mark.parametrize("born, in_care_since, placed_since, today, expected", [
    (D(2014, 1, 1), D(2023, 1, 1), D(2024, 1, 1), D(2026, 1, 1), True),
    (D(2014, 1, 1), D(2023, 7, 1), D(2024, 1, 1), D(2026, 1, 1), True),   # exactly 2.5 years, 2 years placed
    (D(2014, 1, 1), D(2023, 7, 2), D(2023, 7, 2), D(2026, 1, 1), False),  # a day short of 2.5 years
    (D(2014, 1, 1), D(2020, 1, 1), D(2024, 1, 2), D(2026, 1, 1), False),  # placed a day short of 2 years
    (D(2010, 1, 1), D(2020, 1, 1), D(2020, 1, 1), D(2026, 1, 1), False),  # 16
    (None, D(2020, 1, 1), D(2020, 1, 1), D(2026, 1, 1), False),
])
def test_long_term_stability(born, in_care_since, placed_since, today, expected):
    assert rules.long_term_stable(date_of_birth=born, looked_after_since=in_care_since, placed_since=placed_since,
                                  today=today) is expected


@pytest.mark.parametrize("day, start", [(D(2026, 3, 31), D(2025, 4, 1)), (D(2026, 4, 1), D(2026, 4, 1)),
                                        (D(2026, 12, 1), D(2026, 4, 1))])
def test_the_year_to_date_starts_on_1_april(day, start):
    assert rules.year_start(day) == start


@pytest.mark.parametrize("day, months, expected", [(D(2024, 8, 31), 6, D(2025, 2, 28)),
                                                   (D(2024, 2, 29), -24, D(2022, 2, 28)),
                                                   (D(2026, 1, 15), -30, D(2023, 7, 15))])
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(("legal_status_changed", "placement_type", "expected"), [
    (False, "U3", "P"), (True, "U3", "B"),    # a new carer
    (False, "A3", "T"), (True, "A3", "U"),    # placed for adoption with the current foster carers
    (False, "A5", "T"), (True, "A5", "U"),
    (False, "A4", "P"), (True, "A6", "B"),    # placed for adoption with others
])
def test_the_reason_for_a_new_episode_at_a_move_is_the_dfes(legal_status_changed, placement_type, expected):
    assert reason_new_episode(legal_status_changed=legal_status_changed, placement_type=placement_type) == expected
