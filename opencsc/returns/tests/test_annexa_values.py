"""Annex A against its schema for a generated authority: every value each list writes is one the
schema allows (read by a reader that handles every YAML scalar form), and a past period's lists
hold nothing dated after the period's end."""

from __future__ import annotations

import datetime as dt

import pytest

from opencsc.returns import annexa
from opencsc.returns.annexa import codes

from . import annexa_schema
from .annexa_schema import codes_for, column_spec, dated_after, values_not_allowed, workbook_rows

pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]  # the authority is generated once per run

TODAY = dt.date(2026, 11, 23)  # the shared authority's today (opencsc.synthetic.testing.SHARED)
PERIODS = {
    "the 12 months to today": annexa.default_period(TODAY),
    "a past year": (dt.date(2024, 4, 1), dt.date(2025, 3, 31)),
}


# --- The reader -----------------------------------------------------------------------------------

FORMS = [
    ("plain over two lines", "c:\n  -   code: i) Transferred to residential care funded by adult social\n"
     "          services\n", {"c": [{"code": "i) Transferred to residential care funded by adult social services"}]}),
    ("single-quoted over two lines, space kept", "c:\n  -   code: 'i) funded by adult social\n          services '\n"
     "      name: x\n", {"c": [{"code": "i) funded by adult social services ", "name": "x"}]}),
    ("double-quoted with an escape", 'c:\n  - code: "3b: Health \\x96 Visitor\n      and more"\n',
     {"c": [{"code": "3b: Health \x96 Visitor and more"}]}),
    ("folded and literal blocks", "a: >\n  folded text\n  over lines\n\n  new para\nb: |\n  literal\n   kept\nc: >-\n"
     "  no end\n", {"a": "folded text over lines\nnew para\n", "b": "literal\n kept\n", "c": "no end"}),
    ("anchors, aliases and merges", "a: &x\n  k: v\nb:\n  <<: *x\n  j: w\nc: *x\n",
     {"a": {"k": "v"}, "b": {"k": "v", "j": "w"}, "c": {"k": "v"}}),
    ("a plain line starting with a dash", "a:\n- one\n- two\n  - three\n", {"a": ["one", "two - three"]}),
    ("an empty line in a plain scalar, a comment", "k:\n    -   first\n\n        after # note\n",
     {"k": ["first\nafter"]}),
    ("no-break spaces are text", "k: 'a\xa0\n  b'\n", {"k": "a\xa0 b"}),
    ("Yes stays a word", "k: Yes\n", {"k": "Yes"}),
]


@pytest.mark.parametrize("text, expected", [f[1:] for f in FORMS], ids=[f[0] for f in FORMS])
def test_the_reader_reads_every_yaml_scalar_form(text, expected):
    assert annexa_schema.load(text) == expected


def test_the_reader_refuses_flow_collections():
    with pytest.raises(annexa_schema.YamlError):
        annexa_schema.load("k: [a, b]\n")


def _same(ours, theirs) -> bool:
    """Our reading equals PyYAML's, allowing for YAML 1.1's booleans (PyYAML reads `Yes` as True)."""
    if isinstance(theirs, bool):
        return isinstance(ours, str) and ours.lower() in (
            {"yes", "true", "on", "y"} if theirs else {"no", "false", "off", "n"})
    if isinstance(theirs, dict):
        return isinstance(ours, dict) and ours.keys() == theirs.keys() and all(
            _same(ours[k], theirs[k]) for k in theirs)
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(map(_same, ours, theirs))
    return ours == (theirs if theirs is None else str(theirs))


def test_the_reader_agrees_with_pyyaml_over_the_whole_schema():
    yaml = pytest.importorskip("yaml")
    if not annexa_schema.SCHEMA.exists():
        pytest.skip("shared specs not present")
    text = annexa_schema.SCHEMA.read_text(encoding="utf-8")
    assert _same(annexa_schema.schema(), yaml.safe_load(text))
    for _name, form, _expected in FORMS:
        assert _same(annexa_schema.load(form), yaml.safe_load(form))


@pytest.mark.parametrize("reason, value", [
    ("E7", "i) Transferred to residential care funded by adult social services"),
    ("E13", "e) Left care to live with parents, relatives or other person with no parental responsibility"),
    ("E17", "e) Left care to live with parents, relatives or other person with no parental responsibility"),
])
def test_reasons_the_schema_wraps_over_two_lines_are_written_whole(reason, value):
    assert codes.REASON_CEASED[reason] == value
    assert value in codes_for("Reason Ceased to be Looked After", "list_8")


def test_every_la_name_is_the_schemas_name_for_that_la_number():
    la_of_placement = column_spec("list_8", "LA of Placement")["category"]
    schema_names = {name: entry["code"] for entry in la_of_placement for name in entry.get("name") or []}
    assert codes.LA_NAMES and all(schema_names[number] == name for number, name in codes.LA_NAMES.items())
    assert codes.la_name("313") == "Hounslow"


# --- A generated authority's lists against the schema ---------------------------------------------


@pytest.fixture(scope="module")
def workbooks(authority, django_db_blocker):
    with django_db_blocker.unblock():
        return {name: workbook_rows(annexa.build(start=start, end=end)[0].content)
                for name, (start, end) in PERIODS.items()}


@pytest.mark.parametrize("period", PERIODS)
def test_every_value_a_list_writes_is_one_the_schema_allows(workbooks, period):
    lists = workbooks[period]
    assert list(lists) == list(annexa.columns())
    empty = [key for key, rows in lists.items() if not rows]
    assert set(empty) <= ({"list_11", "list_1"} if period == "a past year" else {"list_11"})  # no contacts kept
    assert values_not_allowed(lists) == []


@pytest.mark.parametrize("period", PERIODS)
def test_no_list_holds_anything_dated_after_the_period(workbooks, period):
    assert dated_after(workbooks[period], PERIODS[period][1]) == []
