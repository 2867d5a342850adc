"""The synthetic local authority: what it makes, that it is valid, reproducible and refuses to mix."""

import datetime as dt
import hashlib
import io
import json
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from opencsc.accounts.models import Team, User
from opencsc.accounts.roles import Agency, Role
from opencsc.casework.models import Allocation, CaseNote, ChronologyEntry
from opencsc.codes import ETHNICITY, SEX
from opencsc.people.models import (
    Address,
    Child,
    ChildAlias,
    Involvement,
    Organisation,
    PartnerShare,
    Person,
    Professional,
    Relationship,
    RestrictedAccessGrant,
)
from opencsc.people.names import search_keys
from opencsc.people.validators import is_valid_nhs_number, is_valid_postcode, is_valid_upn
from opencsc.synthetic.constants import DEMO_LOGINS, DEMO_PASSWORD
from opencsc.synthetic.identifiers import POSTCODE_DISTRICTS
from opencsc.synthetic.services import AuthorityNotEmptyError, authority_generate

TODAY = dt.date(2026, 11, 23)
SIZE = 0.05


def years(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@pytest.fixture
def authority(db):
    return authority_generate(seed=7, size=SIZE, today=TODAY)


def test_given_an_empty_database_when_generated_then_every_kind_of_record_is_there(authority):
    for model in (
        Team,
        User,
        Organisation,
        Professional,
        Child,
        ChildAlias,
        Address,
        Person,
        Involvement,
        Allocation,
        CaseNote,
        ChronologyEntry,
        RestrictedAccessGrant,
        PartnerShare,
    ):
        assert model.objects.exists(), model.__name__
    # Family networks: parents (some fathers living elsewhere) and siblings who have their own records.
    assert Relationship.objects.filter(kind="mother", person__isnull=False).exists()
    assert Relationship.objects.filter(kind="father", lives_elsewhere=True).exists()
    assert Relationship.objects.filter(kind="sibling", related_child__isnull=False).exists()
    assert Person.objects.filter(marac=True).exists()
    # Allocations: open with a worker, open awaiting a worker, and closed.
    assert Allocation.objects.filter(end_date__isnull=True, worker__isnull=False).exists()
    assert Allocation.objects.filter(end_date__isnull=False).exists()
    # Case notes of the kinds inspectors look for.
    assert CaseNote.objects.filter(note_type="home_visit", child_seen=True, child_seen_alone=True).exists()
    assert CaseNote.objects.filter(note_type="management_oversight").exists()
    assert CaseNote.objects.filter(note_type="phone_call", child_seen=False).exists()
    # Partner shares to police and health, and restricted records a named manager may see.
    assert {Agency.POLICE, Agency.HEALTH} <= set(PartnerShare.objects.values_list("agency", flat=True))
    restricted = Child.objects.filter(is_restricted=True)
    assert restricted.exists()
    manager = User.objects.get(username="sm.demo")
    for child in restricted:
        assert child.restriction_reason
        assert RestrictedAccessGrant.objects.filter(child=child, user=manager).exists()


def test_generated_children_have_valid_identifiers_and_codes(authority):
    children = list(Child.objects.all())
    assert len(children) > 200
    for child in children:
        assert re.fullmatch(r"C\d{7}", child.la_child_id)
        assert child.nhs_number is None or is_valid_nhs_number(child.nhs_number), child.nhs_number
        assert child.upn is None or is_valid_upn(child.upn), child.upn
        assert child.ethnicity in ETHNICITY and child.sex in SEX
        keys = search_keys(child.first_name, child.last_name)
        assert {k: getattr(child, k) for k in keys} == keys
    assert sum(1 for c in children if c.nhs_number) > len(children) * 0.8
    assert any(c.upn for c in children)
    assert len({c.ethnicity for c in children}) >= 8  # a diverse borough


def test_generated_postcodes_are_valid_and_local(authority):
    postcodes = set(Address.objects.values_list("postcode", flat=True))
    assert postcodes
    for postcode in postcodes:
        assert is_valid_postcode(postcode), postcode
        assert postcode.split(" ")[0] in POSTCODE_DISTRICTS
    # Address histories: some children have moved.
    assert Address.objects.filter(end_date__isnull=False).exists()


def test_generated_ages_follow_the_service(authority):
    for child in Child.objects.filter(date_of_birth__isnull=True):
        assert child.expected_date_of_birth > TODAY and child.first_name == "Unborn"
    open_children = Child.objects.filter(allocations__end_date__isnull=True).distinct()
    ages = {c.pk: years(c.date_of_birth, TODAY) for c in open_children if c.date_of_birth}
    care_leavers = set(
        Allocation.objects.filter(end_date__isnull=True, team__kind="care_leavers").values_list(
            "child", flat=True
        )
    )
    assert care_leavers
    for pk, age in ages.items():
        if pk in care_leavers:
            assert 18 <= age <= 24
        else:
            assert 0 <= age <= 17
    assert all(c.date_of_birth <= TODAY for c in Child.objects.filter(date_of_birth__isnull=False))


def test_generated_near_duplicates_share_a_birth_date_with_a_different_spelling(authority):
    pairs = 0
    for child in Child.objects.filter(nhs_number__isnull=True, date_of_birth__isnull=False):
        twins = Child.objects.filter(
            date_of_birth=child.date_of_birth, phonetic_last=child.phonetic_last
        ).exclude(pk=child.pk)
        if any(t.first_name != child.first_name or t.last_name != child.last_name for t in twins):
            pairs += 1
    assert pairs >= 2


@pytest.mark.parametrize("role", Role.values)
def test_every_role_has_a_demo_login_that_signs_in_with_the_demo_password(authority, client, role):
    logins = [d for d in DEMO_LOGINS if d.role == role]
    assert logins, f"No demo login for {role}"
    for login in logins:
        response = client.post(
            reverse("accounts:login"), {"username": login.username, "password": DEMO_PASSWORD}
        )
        user = User.objects.get(username=login.username)
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == str(user.pk)
        assert user.role == role and user.team.name == login.team
        client.logout()


def test_only_demo_logins_can_sign_in(authority):
    demo = User.objects.filter(username__endswith=".demo")
    assert demo.count() == len(DEMO_LOGINS)
    assert len(set(demo.values_list("password", flat=True))) == 1  # hashed once, shared
    others = User.objects.exclude(username__endswith=".demo")
    assert others.count() > 20
    assert not any(u.has_usable_password() for u in others)


def test_the_demo_social_worker_has_a_caseload_and_a_manager(authority):
    worker = User.objects.get(username="sw.demo")
    assert Allocation.objects.filter(worker=worker, end_date__isnull=True).exists()
    assert worker.team.manager.username == "tm.demo"


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


def counts():
    return {m.__name__: m.objects.count() for m in (Team, User, Child, Person, CaseNote, Allocation)}


def test_given_an_authority_when_generated_again_then_it_refuses_and_changes_nothing(authority):
    before = counts()
    with pytest.raises(AuthorityNotEmptyError):
        authority_generate(seed=8, size=SIZE, today=TODAY)
    with pytest.raises(CommandError, match="already has children"):
        call_command("generate_authority", seed=9, size=SIZE, quiet=True, stdout=io.StringIO())
    assert counts() == before


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
