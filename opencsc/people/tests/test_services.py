"""Services: every rule, and every refusal changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from opencsc.core.audit import StaleRecordError
from opencsc.core.models import AuditEvent
from opencsc.people import services
from opencsc.people.models import (
    Address,
    Child,
    ChildAlias,
    PartnerShare,
    Person,
    Relationship,
    RestrictedAccessGrant,
)

from .factories import AddressFactory, ChildFactory, PersonFactory, RelationshipFactory
from .identifiers import make_nhs_number, make_upn

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def actor(make_user):
    return make_user("team_manager")


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (Child, ChildAlias, Address, Person, Relationship, RestrictedAccessGrant, PartnerShare, AuditEvent)
    }


# child_create -----------------------------------------------------------------------


@pytest.mark.django_db
def test_create_normalises_identifiers_computes_search_keys_allocates_an_id_and_audits(actor):
    nhs = make_nhs_number(1234)
    child = services.child_create(
        actor=actor, first_name="  Zoë ", last_name="O'Brien", date_of_birth=dt.date(2015, 3, 27),
        nhs_number=f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", upn=make_upn(7).lower(),
    )
    child.refresh_from_db()
    assert child.first_name == "Zoë"
    assert child.nhs_number == nhs
    assert child.upn == make_upn(7)
    assert child.la_child_id == "C0000001"
    assert (child.search_first, child.search_last) == ("zoe", "obrien")
    assert child.phonetic_last
    event = AuditEvent.objects.get(child=child, action=AuditEvent.Action.CREATED)
    assert event.actor == actor
    assert event.changes["nhs_number"] == [None, nhs]


@pytest.mark.django_db
def test_allocated_la_child_ids_follow_on_and_are_unique(actor):
    ChildFactory(la_child_id="C0000041")
    ChildFactory(la_child_id="X9999999")
    first = services.child_create(actor=actor, first_name="A", last_name="One")
    second = services.child_create(actor=actor, first_name="B", last_name="Two")
    assert (first.la_child_id, second.la_child_id) == ("C0000042", "C0000043")


@pytest.mark.django_db
def test_a_given_la_child_id_is_kept_in_upper_case(actor):
    child = services.child_create(actor=actor, first_name="A", last_name="B", la_child_id=" c123 ")
    assert child.la_child_id == "C123"


def _refusal_cases():
    nhs, upn = make_nhs_number(1), make_upn(1)
    return [
        ({"first_name": ""}, "first_name", None),
        ({"last_name": ""}, "last_name", None),
        ({"nhs_number": "123"}, "nhs_number", "NHS number must be 10 digits, like 943 476 5919"),
        ({"upn": "A801200005001"}, "upn", "Enter a valid UPN, like A123456789012"),
        ({"nhs_number": nhs}, "nhs_number", "A child with this NHS number already exists"),
        ({"nhs_number": nhs[:5] + " " + nhs[5:]}, "nhs_number", "A child with this NHS number already exists"),
        ({"upn": upn.lower()}, "upn", "A child with this UPN already exists"),
        ({"la_child_id": "c0000099"}, "la_child_id", "A child with this LA child ID already exists"),
        ({"date_of_birth": TODAY + dt.timedelta(days=1)}, "date_of_birth", "Date of birth must be today or in the past"),
        ({"date_of_birth": dt.date(2015, 1, 2), "date_of_death": dt.date(2015, 1, 1)}, "date_of_death",
         "Date of death must be the same as or after the date of birth"),
        ({"date_of_death": TODAY + dt.timedelta(days=1)}, "date_of_death", "Date of death must be today or in the past"),
        ({"date_of_birth": None, "expected_date_of_birth": dt.date(2027, 9, 24)}, "expected_date_of_birth",
         "Expected date of birth must be within the next 10 months"),
        ({"date_of_birth": dt.date(2020, 1, 1), "expected_date_of_birth": dt.date(2027, 1, 1)},
         "expected_date_of_birth",
         "Enter an expected date of birth only for an unborn child: this child has a date of birth"),
        ({"sex": "Q"}, "sex", None),
        ({"ethnicity": "NOPE"}, "ethnicity", None),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("overrides, field, message", _refusal_cases())
def test_create_refusals_change_nothing(actor, overrides, field, message):
    ChildFactory(nhs_number=make_nhs_number(1), upn=make_upn(1), la_child_id="C0000099")
    before = snapshot()
    values = {"first_name": "Amara", "last_name": "Okafor", "date_of_birth": dt.date(2016, 5, 1), **overrides}
    with pytest.raises(ValidationError) as exc:
        services.child_create(actor=actor, **values)
    assert field in exc.value.message_dict
    if message:
        assert message in exc.value.message_dict[field]
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "expected, ok",
    [(TODAY, True), (dt.date(2027, 9, 23), True), (dt.date(2027, 9, 24), False), (dt.date(2026, 1, 1), True)],
)
def test_expected_date_of_birth_up_to_ten_months_ahead(actor, expected, ok):
    call = lambda: services.child_create(actor=actor, first_name="Baby", last_name="Unborn",  # noqa: E731
                                         expected_date_of_birth=expected)
    if ok:
        assert call().is_unborn
    else:
        with pytest.raises(ValidationError):
            call()


@pytest.mark.parametrize(
    "day, months, expected",
    [(dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)), (dt.date(2026, 11, 23), 10, dt.date(2027, 9, 23)),
     (dt.date(2026, 12, 1), 1, dt.date(2027, 1, 1))],
)
def test_add_months(day, months, expected):
    assert services.add_months(day, months) == expected


# child_update ------------------------------------------------------------------------


@pytest.mark.django_db
def test_update_changes_details_recomputes_keys_and_records_old_and_new(actor):
    child = ChildFactory(first_name="Jon", last_name="Smith")
    changes = services.child_update(actor=actor, child=child, expected_version=1, last_name="Smythe")
    child.refresh_from_db()
    assert child.last_name == "Smythe" and child.search_last == "smythe" and child.version == 2
    assert changes["last_name"] == ["Smith", "Smythe"]
    assert AuditEvent.objects.get(child=child, action=AuditEvent.Action.UPDATED).changes["last_name"] == [
        "Smith", "Smythe"]


@pytest.mark.django_db
def test_a_concurrent_edit_is_refused_and_changes_nothing(actor):
    child = ChildFactory(first_name="Jon", last_name="Smith")
    services.child_update(actor=actor, child=Child.objects.get(pk=child.pk), expected_version=1, first_name="John")
    before = snapshot()
    with pytest.raises(StaleRecordError) as exc:
        services.child_update(actor=actor, child=child, expected_version=1, last_name="Jones")
    assert "Someone else changed this record" in str(exc.value)
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.version) == ("John", "Smith", 2)
    assert snapshot() == before


@pytest.mark.django_db
def test_update_refuses_another_childs_nhs_number_but_keeps_its_own(actor):
    other = ChildFactory(nhs_number=make_nhs_number(5))
    child = ChildFactory(nhs_number=make_nhs_number(6))
    services.child_update(actor=actor, child=child, expected_version=1, nhs_number=make_nhs_number(6))
    before = snapshot()
    with pytest.raises(ValidationError, match="A child with this NHS number already exists"):
        services.child_update(actor=actor, child=child, expected_version=1, nhs_number=other.nhs_number)
    child.refresh_from_db()
    assert child.nhs_number == make_nhs_number(6) and snapshot() == before


# Addresses ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_address_ends_the_current_one_the_day_before(actor):
    child = ChildFactory()
    old = AddressFactory(child=child, start_date=dt.date(2020, 1, 1))
    new = services.address_add(actor=actor, child=child, line_1="1 High Street", postcode="tw3 1es",
                               start_date=dt.date(2026, 6, 1))
    old.refresh_from_db()
    assert old.end_date == dt.date(2026, 5, 31)
    assert new.postcode == "TW3 1ES" and new.end_date is None
    assert AuditEvent.objects.filter(child=child).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values, field",
    [
        ({"postcode": "NOT A CODE"}, "postcode"),
        ({"line_1": " "}, "line_1"),
        ({"start_date": TODAY + dt.timedelta(days=1)}, "start_date"),
        ({"start_date": dt.date(2020, 1, 1)}, "start_date"),  # not after the current address began
        ({"start_date": None}, "start_date"),
    ],
)
def test_address_refusals_change_nothing(actor, values, field):
    child = ChildFactory()
    current = AddressFactory(child=child, start_date=dt.date(2020, 1, 1))
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.address_add(actor=actor, child=child, **{"line_1": "1 High St", "postcode": "TW3 1ES",
                                                          "start_date": dt.date(2026, 1, 1), **values})
    assert field in exc.value.message_dict
    current.refresh_from_db()
    assert current.end_date is None and snapshot() == before


# Aliases -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_alias_add_keeps_search_keys_and_refuses_an_empty_name(actor):
    child = ChildFactory()
    alias = services.alias_add(actor=actor, child=child, first_name="Kasia", last_name="Nowak")
    assert alias.search_last == "nowak" and alias.phonetic_first
    before = snapshot()
    with pytest.raises(ValidationError):
        services.alias_add(actor=actor, child=child, first_name=" ", last_name="")
    assert snapshot() == before


# People and relationships --------------------------------------------------------------------


@pytest.mark.django_db
def test_person_and_relationship_with_risk_flags(actor):
    child = ChildFactory()
    person = services.person_create(actor=actor, child=child, first_name="Dean", last_name="Walsh",
                                    postcode="tw3 1es", mappa=True, poses_risk=True)
    rel = services.relationship_add(actor=actor, child=child, person=person, kind=Relationship.Kind.STEP_FATHER,
                                    lives_with_child=True)
    assert person.postcode == "TW3 1ES" and person.mappa and person.poses_risk
    assert rel.person == person and rel.kind == "step_father"
    assert AuditEvent.objects.filter(child=child).count() == 2


@pytest.mark.django_db
def test_relationship_update_and_end(actor):
    rel = RelationshipFactory(start_date=dt.date(2020, 1, 1))
    services.relationship_update(actor=actor, relationship=rel, parental_responsibility=True, expected_version=1)
    services.relationship_end(actor=actor, relationship=rel, end_date=dt.date(2026, 1, 1), expected_version=2)
    rel.refresh_from_db()
    assert rel.parental_responsibility and rel.end_date == dt.date(2026, 1, 1)
    before = snapshot()
    with pytest.raises(ValidationError, match="already ended"):
        services.relationship_end(actor=actor, relationship=rel, end_date=dt.date(2026, 2, 1), expected_version=3)
    with pytest.raises(ValidationError, match="has ended"):
        services.relationship_update(actor=actor, relationship=rel, notes="Changed", expected_version=3)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "end_date, message",
    [(dt.date(2019, 12, 31), "End date must be the same as or after the start date"),
     (TODAY + dt.timedelta(days=1), "End date must be today or in the past")],
)
def test_relationship_end_refusals_change_nothing(actor, end_date, message):
    rel = RelationshipFactory(start_date=dt.date(2020, 1, 1))
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        services.relationship_end(actor=actor, relationship=rel, end_date=end_date, expected_version=1)
    rel.refresh_from_db()
    assert rel.end_date is None and snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["neither", "both", "self", "future_start", "bad_kind"])
def test_relationship_add_refusals_change_nothing(actor, case):
    child = ChildFactory()
    person = PersonFactory()
    kwargs = {"actor": actor, "child": child, "kind": Relationship.Kind.MOTHER, "person": person}
    if case == "neither":
        kwargs["person"] = None
    elif case == "both":
        kwargs["related_child"] = ChildFactory()
    elif case == "self":
        kwargs.update(person=None, related_child=child, kind=Relationship.Kind.SIBLING)
    elif case == "future_start":
        kwargs["start_date"] = TODAY + dt.timedelta(days=1)
    elif case == "bad_kind":
        kwargs["kind"] = "cousin"
    before = snapshot()
    with pytest.raises(ValidationError):
        services.relationship_add(**kwargs)
    assert snapshot() == before


# Restriction and sharing -----------------------------------------------------------------------


@pytest.mark.django_db
def test_restricting_grants_the_named_users_and_the_actor(make_user):
    child = ChildFactory()
    actor = make_user("service_manager")  # only service managers restrict records
    worker = make_user("social_worker", username="jbloggs")
    services.child_restrict(actor=actor, child=child, reason="Adoption placement", named_users=["JBloggs"])
    child.refresh_from_db()
    assert child.is_restricted and child.restriction_reason == "Adoption placement"
    assert set(child.access_grants.values_list("user__username", flat=True)) == {actor.username, worker.username}


@pytest.mark.django_db
@pytest.mark.parametrize("reason, users, field", [("", [], "reason"), ("Reason", ["nobody-here"], "named_users")])
def test_restriction_refusals_change_nothing(make_user, reason, users, field):
    child = ChildFactory()
    actor = make_user("service_manager")  # only service managers restrict records
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.child_restrict(actor=actor, child=child, reason=reason, named_users=users)
    assert field in exc.value.message_dict
    child.refresh_from_db()
    assert not child.is_restricted and snapshot() == before


@pytest.mark.django_db
def test_cannot_remove_own_grant(make_user):
    child = ChildFactory()
    actor = make_user("service_manager")  # only service managers restrict records
    services.child_restrict(actor=actor, child=child, reason="Witness protection")
    grant = RestrictedAccessGrant.objects.get(child=child, user=actor)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.access_grant_remove(actor=actor, grant=grant)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["team_manager", "social_worker", "auditor"])
def test_only_a_service_manager_restricts_and_a_refusal_changes_nothing(make_user, role):
    from django.core.exceptions import PermissionDenied

    child = ChildFactory()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.child_restrict(actor=make_user(role), child=child, reason="Witness protection")
    child.refresh_from_db()
    assert not child.is_restricted and snapshot() == before


@pytest.mark.django_db
def test_partner_share_add_and_end(actor):
    child = ChildFactory()
    share = services.partner_share_add(actor=actor, child=child, agency="police", reason="Strategy discussion")
    assert share.shared_on == TODAY and share.ends_on is None
    services.partner_share_end(actor=actor, share=share, expected_version=1)
    share.refresh_from_db()
    assert share.ends_on == TODAY - dt.timedelta(days=1)
    before = snapshot()
    with pytest.raises(ValidationError, match="already ended"):
        services.partner_share_end(actor=actor, share=share, expected_version=2)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values, field",
    [
        ({"reason": " "}, "reason"),
        ({"shared_on": TODAY + dt.timedelta(days=1)}, "shared_on"),
        ({"ends_on": TODAY - dt.timedelta(days=1)}, "ends_on"),
        ({"agency": "police"}, "agency"),  # already shared
        ({"agency": "army"}, "agency"),
    ],
)
def test_partner_share_refusals_change_nothing(actor, values, field):
    child = ChildFactory()
    PartnerShare.objects.create(child=child, agency="police", reason="Open", shared_on=dt.date(2026, 1, 1))
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.partner_share_add(actor=actor, child=child, **{"agency": "health", "reason": "Health visitor",
                                                                 **values})
    assert field in exc.value.message_dict
    assert snapshot() == before


@pytest.mark.django_db
def test_unrestricting_a_record_that_is_not_restricted_is_refused_and_changes_nothing(make_user):
    actor, child = make_user("service_manager"), ChildFactory()
    before = snapshot()
    with pytest.raises(ValidationError, match="not restricted"):
        services.child_unrestrict(actor=actor, child=child)
    assert snapshot() == before


@pytest.mark.django_db
def test_granting_access_twice_keeps_one_grant_and_an_inactive_account_is_refused(make_user):
    actor, child = make_user("service_manager"), ChildFactory()
    worker, leaver = make_user("social_worker"), make_user("social_worker", is_active=False)
    first = services.access_grant_add(actor=actor, child=child, user=worker)
    assert services.access_grant_add(actor=actor, child=child, user=worker) == first
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.access_grant_add(actor=actor, child=child, user=leaver)
    assert "user" in refused.value.message_dict and snapshot() == before
