"""Pasting the "What needs to improve" list: one area for each line, bullet or number."""

import pytest

from opencsc.inspection.parsing import MAX_LENGTH, parse_areas, too_long

HOUNSLOW_2020 = """What needs to improve in this area of social work practice

- The timeliness of responses to referrals.
- The timeliness and quality of assessments of children in need.
- Partner engagement in strategy discussions.
"""

PRIORITY = """Areas for priority action

The local authority needs to take swift and decisive action to address the following areas of weakness:

- the timeliness and effectiveness of social work practice

- the quality and effectiveness of managerial oversight and supervision to ensure that children's
circumstances improve within their timeframe.
"""

NUMBERED = """Areas for improvement

34. Ensure that effective multi-agency arrangements are implemented.
35. Ensure that arrangements to identify and support children who are privately fostered are robust.

36. Ensure that all initial child protection conferences take place promptly.
"""


@pytest.mark.parametrize("text, items, left_out", [
    (HOUNSLOW_2020, ["The timeliness of responses to referrals.",
                     "The timeliness and quality of assessments of children in need.",
                     "Partner engagement in strategy discussions."],
     ["What needs to improve in this area of social work practice"]),
    (PRIORITY, ["the timeliness and effectiveness of social work practice",
                "the quality and effectiveness of managerial oversight and supervision to ensure that children's "
                "circumstances improve within their timeframe."],
     ["Areas for priority action",
      "The local authority needs to take swift and decisive action to address the following areas of weakness:"]),
    (NUMBERED, ["Ensure that effective multi-agency arrangements are implemented.",
                "Ensure that arrangements to identify and support children who are privately fostered are robust.",
                "Ensure that all initial child protection conferences take place promptly."],
     ["Areas for improvement"]),
    ("First area\n\n\nSecond area\n   \nThird area", ["First area", "Second area", "Third area"], []),
    ("\u2022 Bullet one\n\u2022 Bullet two", ["Bullet one", "Bullet two"], []),
    ("\u25cf One\n\u25e6 Two\n* Three\n\u2013 Four", ["One", "Two", "Three", "Four"], []),
    ("1) One\n(2) Two\n3. Three", ["One", "Two", "Three"], []),
    ("a) One\n(b) Two\n(iv) Three", ["One", "Two", "Three"], []),
    ("- wrapped by\nthe PDF\n\nacross a page break\n- next", ["wrapped by the PDF across a page break", "next"], []),
    ("  -   extra    spaces   inside  ", ["extra spaces inside"], []),
    ("- one\r\n- two\r\n", ["one", "two"], []),
    ("Performance data shows 1.5 times more\nPlans are clearer", ["Performance data shows 1.5 times more",
                                                                 "Plans are clearer"], []),
    ("-\n- real item\n*", ["real item"], []),
    ("", [], []),
    ("\n \n\t\n", [], []),
    ("What needs to improve", [], ["What needs to improve"]),
])
def test_parse(text, items, left_out):
    parsed = parse_areas(text)
    assert parsed.items == items
    assert parsed.left_out == left_out


def test_a_second_heading_starts_a_new_list_rather_than_continuing_the_last_area():
    parsed = parse_areas("Areas for priority action\n- first\nWhat needs to improve\nsecond, unmarked\n- third")
    assert parsed.items == ["first", "second, unmarked", "third"]


def test_too_long_names_the_area():
    assert too_long(["short", "x" * (MAX_LENGTH + 1), "x" * MAX_LENGTH]) == [2]
