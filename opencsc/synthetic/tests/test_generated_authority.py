"""The synthetic local authority: what it makes, that it is valid, reproducible and refuses to mix."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
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
from opencsc.synthetic.testing import SHARED

TODAY = dt.date(2026, 11, 23)
SIZE = SHARED["size"]
pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def years(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


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


def counts():
    return {m.__name__: m.objects.count() for m in (Team, User, Child, Person, CaseNote, Allocation)}


def test_given_an_authority_when_generated_again_then_it_refuses_and_changes_nothing(authority):
    before = counts()
    with pytest.raises(AuthorityNotEmptyError):
        authority_generate(seed=8, size=SIZE, today=TODAY)
    with pytest.raises(CommandError, match="already has children"):
        call_command("generate_authority", seed=9, size=SIZE, quiet=True, stdout=io.StringIO())
    assert counts() == before

