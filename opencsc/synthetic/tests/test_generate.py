"""The synthetic local authority: what it makes, that it is valid, reproducible and refuses to mix."""

import datetime as dt
import hashlib
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from opencsc.accounts.models import User
from opencsc.casework.models import Allocation, CaseNote, ChronologyEntry
from opencsc.inspection.models import Inspection
from opencsc.people.models import (
    Address,
    Child,
    PartnerShare,
    Person,
    Relationship,
)
from opencsc.synthetic.services import authority_generate

TODAY = dt.date(2026, 11, 23)
SIZE = 0.05
def digest() -> str:
    """The key fields of everything generated, without database ids (which sequences may not reuse)."""
    parts = {
        "users": sorted(
            User.objects.values_list("username", "role", "team__name", "first_name", "last_name")
        ),
        "children": sorted(
            Child.objects.values_list(
                "la_child_id",
                "first_name",
                "last_name",
                "date_of_birth",
                "expected_date_of_birth",
                "nhs_number",
                "upn",
                "sex",
                "ethnicity",
                "school_urn",
                "is_restricted",
            )
        ),
        "addresses": sorted(
            Address.objects.values_list("child__la_child_id", "line_1", "postcode", "start_date")
        ),
        "people": sorted(
            Person.objects.values_list("first_name", "last_name", "date_of_birth", "postcode", "mappa")
        ),
        "relationships": sorted(
            Relationship.objects.values_list(
                "child__la_child_id", "kind", "person__first_name", "related_child__la_child_id"
            ),
            key=repr,
        ),
        "allocations": sorted(
            Allocation.objects.values_list(
                "child__la_child_id", "team__name", "worker__username", "start_date", "end_date"
            ),
            key=repr,
        ),
        "notes": sorted(
            CaseNote.objects.values_list(
                "child__la_child_id",
                "contact_date",
                "note_type",
                "child_seen_alone",
                "body",
                "author__username",
                "created_at",
            )
        ),
        "chronology": sorted(
            ChronologyEntry.objects.values_list("child__la_child_id", "event_date", "title")
        ),
        "shares": sorted(PartnerShare.objects.values_list("child__la_child_id", "agency", "shared_on")),
    }
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def generate_and_digest(seed):
    with transaction.atomic():
        authority_generate(seed=seed, size=SIZE, today=TODAY)
        result = digest()
        transaction.set_rollback(True)
    assert not Child.objects.exists()
    return result


@pytest.mark.django_db
def test_the_same_seed_and_size_give_the_same_authority_and_another_seed_does_not():
    first = generate_and_digest(11)
    second = generate_and_digest(11)
    other = generate_and_digest(12)
    assert first == second
    assert other != first


@pytest.mark.django_db
def test_an_authority_can_be_generated_as_at_a_day_after_the_real_today():
    """The inspections are written as records dated by the authority's today (the services would refuse dates
    after the real today), so `--today` may be any day."""
    later = timezone.localdate() + dt.timedelta(days=400)
    call_command("generate_authority", seed=3, size=SIZE, today=later, quiet=True, stdout=io.StringIO())
    ilacs = Inspection.objects.get(kind=Inspection.Kind.ILACS_STANDARD)
    assert ilacs.report_received_on > timezone.localdate() and ilacs.areas.filter(actions__isnull=False).exists()


@pytest.mark.django_db
def test_the_command_generates_quietly_and_reports_what_it_made():
    out = io.StringIO()
    call_command("generate_authority", seed=3, size=SIZE, today=TODAY, quiet=True, stdout=out)
    assert "Generated a synthetic authority (seed 3" in out.getvalue()
    assert f"{Child.objects.count():,} children" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--size", "0"], "Enter a --size more than 0"),
        (["--size", "-1"], "Enter a --size more than 0"),
        (["--today", "23/11/2026"], "Enter --today as a date like 2026-11-23"),
    ],
)
def test_the_command_refuses_bad_options_and_changes_nothing(args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("generate_authority", *args, "--quiet", stdout=io.StringIO())
    assert not Child.objects.exists() and not User.objects.exists()
