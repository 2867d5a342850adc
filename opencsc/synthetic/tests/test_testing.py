"""The tests' copy of a synthetic authority is the authority the generator makes."""

import datetime as dt

import pytest
from django.db import transaction

from opencsc.synthetic import testing

OPTIONS = {"seed": 3, "size": 0.02, "today": dt.date(2026, 11, 23)}


@pytest.mark.django_db
def test_the_copy_is_the_authority_generated():
    with transaction.atomic():
        generated_ctx = testing.authority_rows(**OPTIONS)
        generated = testing._dump()
        transaction.set_rollback(True)
    with transaction.atomic():
        copied_ctx = testing.authority_rows(**OPTIONS)  # from the process's copy, not the generator
        copied = testing._dump()
        transaction.set_rollback(True)
    assert copied_ctx is generated_ctx
    assert sum(len(rows) for _, _, rows in generated) > 1000
    assert [(t, c, sorted(map(repr, r))) for t, c, r in copied] == [
        (t, c, sorted(map(repr, r))) for t, c, r in generated]
