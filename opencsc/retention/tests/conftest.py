import pytest


@pytest.fixture
def periods(db):
    from .helpers import load_default_periods

    load_default_periods()
