"""The due lists read from the event log give the same items as the old fan-out over every app's
sources (issue 17), item for item, on the shared synthetic authority: to be removed with the old path."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from opencsc.people.models import Child
from opencsc.synthetic.testing import SHARED
from opencsc.timescales import selectors

pytestmark = pytest.mark.shared_authority

TODAY = SHARED["today"]


def _both(monkeypatch, **kwargs):
    monkeypatch.setattr(selectors, "USE_OLD_REGISTRY", True)
    old = selectors.due_items(**kwargs)
    monkeypatch.setattr(selectors, "USE_OLD_REGISTRY", False)
    new = selectors.due_items(**kwargs)
    return [dataclasses.astuple(i) for i in old], [dataclasses.astuple(i) for i in new]


@pytest.mark.parametrize("today", [TODAY, TODAY - dt.timedelta(days=200), TODAY + dt.timedelta(days=40)])
def test_the_whole_authority_due_list_is_the_same_item_for_item(authority, monkeypatch, today):
    old, new = _both(monkeypatch, children=Child.objects.all(), today=today)
    assert len(old) > 100
    assert old == new


def test_completed_clocks_are_the_same(authority, monkeypatch):
    old, new = _both(monkeypatch, children=Child.objects.all(), today=TODAY,
                     completed_since=TODAY - dt.timedelta(days=365))
    assert old == new


@pytest.mark.parametrize("how_many", [1, 7, 1500])
def test_a_few_children_and_a_caseload_read_the_same(authority, monkeypatch, how_many):
    children = Child.objects.filter(pk__in=Child.objects.order_by("pk").values("pk")[:how_many])
    old, new = _both(monkeypatch, children=children, today=TODAY)
    assert old == new
