"""The people pages, through the test client: permissions for every role, and each flow."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from opencsc.accounts.roles import Role
from opencsc.casework.models import Allocation
from opencsc.core.models import AuditEvent
from opencsc.people.models import (
    Address,
    Child,
    ChildAlias,
    PartnerShare,
    Person,
    Relationship,
    RestrictedAccessGrant,
)
from opencsc.people.names import search_keys

from .factories import AddressFactory, ChildFactory, RelationshipFactory
from .identifiers import make_nhs_number

ALL_ROLES = list(Role.values)
EDIT_ANYWAY = {"team_manager", "service_manager", "mash_practitioner"}
EDIT_IF_ALLOCATED = {"social_worker", "senior_practitioner", "personal_adviser"}
SEARCH_ROLES = set(ALL_ROLES) - {"administrator"}


def snapshot():
    return {
        m.__name__: m.objects.count()
        for m in (Child, ChildAlias, Address, Person, Relationship, RestrictedAccessGrant, PartnerShare, AuditEvent)
    }


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def allocate(child, user):
    Allocation.objects.create(child=child, worker=user, team=user.team, start_date=dt.date(2026, 1, 1))


# Permissions ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_find_a_child_page_for_each_role(signed_in, role):
    client = signed_in(role)
    response = client.get(reverse("people:search"))
    assert response.status_code == (200 if role in SEARCH_ROLES else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_add_a_child_page_for_each_role(signed_in, role):
    client = signed_in(role)
    before = snapshot()
    allowed = role in EDIT_ANYWAY | EDIT_IF_ALLOCATED
    assert client.get(reverse("people:child_create")).status_code == (200 if allowed else 403)
    response = client.post(reverse("people:child_create"), {"first_name": "New", "last_name": "Child", "sex": "F",
                                                             "ethnicity": "WBRI"})
    if allowed:
        assert response.status_code == 302 and Child.objects.filter(first_name="New").exists()
    else:
        assert response.status_code == 403 and snapshot() == before


EDIT_PAGES = ["people:child_edit", "people:aliases", "people:addresses", "people:family", "people:family_add",
              "people:sharing"]


def _expected(role, page, allocated):
    if page == "people:merge":
        return role in {"team_manager", "service_manager"}
    if page == "people:restriction":
        return role == "service_manager"
    return role in EDIT_ANYWAY or (allocated and role in EDIT_IF_ALLOCATED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", EDIT_PAGES + ["people:merge", "people:restriction"])
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("allocated", [False, True])
def test_child_pages_for_each_role(signed_in, role, page, allocated):
    client = signed_in(role)
    child = ChildFactory()
    if allocated:
        allocate(child, client.user)
    PartnerShare.objects.create(child=child, agency="police", reason="Shared", shared_on=dt.date(2026, 1, 1))
    response = client.get(reverse(page, args=[child.pk]))
    # Refused: the role may never do it, or (a child they can see) not to a child not allocated to them.
    assert response.status_code == (200 if _expected(role, page, allocated) else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("page", EDIT_PAGES + ["people:merge", "people:restriction"])
def test_a_missing_child_is_404(signed_in, page):
    client = signed_in("service_manager")
    assert client.get(reverse(page, args=[999999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("page", EDIT_PAGES + ["people:merge", "people:restriction"])
def test_a_restricted_child_is_404_even_for_a_service_manager_not_named(signed_in, page):
    client = signed_in("service_manager")
    child = ChildFactory(is_restricted=True)
    assert client.get(reverse(page, args=[child.pk])).status_code == 404
    RestrictedAccessGrant.objects.create(child=child, user=client.user)
    assert client.get(reverse(page, args=[child.pk])).status_code == 200


def _post_for(page, child, other):
    today = dt.date(2026, 1, 1)
    return {
        "people:child_edit": {"first_name": "Changed", "last_name": "Name", "sex": "F", "ethnicity": "WBRI",
                              "la_child_id": child.la_child_id, "version": "1"},
        "people:aliases": {"first_name": "Other", "last_name": "Name", "kind": "aka"},
        "people:addresses": {"line_1": "1 Road", "postcode": "TW3 1ES", **date_fields("start_date", today)},
        "people:family_add": {"kind": "mother", "first_name": "Jo", "last_name": "Bloggs", "sex": "F"},
        "people:sharing": {"op": "add", "agency": "health", "reason": "GP"},
        "people:merge": {"step": "confirm", "duplicate": str(other.pk), "confirm": "on"},
        "people:restriction": {"op": "restrict", "reason": "Protected"},
    }[page]


CHANGE_PAGES = [p for p in EDIT_PAGES if p != "people:family"] + ["people:merge", "people:restriction"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, page",
    [(role, page) for page in CHANGE_PAGES for role in ALL_ROLES if not _expected(role, page, allocated=False)],
)
def test_refused_changes_are_403_and_change_nothing(signed_in, role, page):
    client = signed_in(role)
    child, other = ChildFactory(), ChildFactory()
    before = snapshot()
    child_before = Child.objects.filter(pk=child.pk).values().get()
    response = client.post(reverse(page, args=[child.pk]), _post_for(page, child, other))
    assert response.status_code == 403
    assert snapshot() == before
    assert Child.objects.filter(pk=child.pk).values().get() == child_before
    assert Child.objects.get(pk=other.pk).merged_into is None


@pytest.mark.django_db
@pytest.mark.parametrize("page", CHANGE_PAGES)
def test_allowed_changes_go_through(signed_in, page):
    client = signed_in("service_manager")
    child, other = ChildFactory(), ChildFactory()
    before = snapshot()
    response = client.post(reverse(page, args=[child.pk]), _post_for(page, child, other))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot()["AuditEvent"] > before["AuditEvent"]


@pytest.mark.django_db
def test_find_a_child_is_in_the_navigation_for_readers_only(signed_in, client):
    assert "Find a child" in signed_in("auditor").get("/").content.decode()
    assert "Find a child" not in signed_in("administrator").get("/").content.decode()


# Find a child ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_page_shows_results_with_dates_ids_postcodes_and_links(signed_in):
    client = signed_in("social_worker")
    child = ChildFactory(first_name="Katherine", last_name="Smyth", date_of_birth=dt.date(2014, 11, 23),
                         la_child_id="C0000777", **search_keys("Katherine", "Smyth"))
    AddressFactory(child=child, postcode="TW3 1ES")
    html = client.get(reverse("people:search"), {"q": "catherine smith"}).content.decode()
    assert "Katherine Smyth" in html and "23 Nov 2014" in html and "C0000777" in html and "TW3 1ES" in html
    assert reverse("casework:child_record", args=[child.pk]) in html


@pytest.mark.django_db
def test_search_page_empty_state_and_date_error(signed_in):
    client = signed_in("social_worker")
    assert "No children found" in client.get(reverse("people:search"), {"q": "Nobody Here"}).content.decode()
    html = client.get(reverse("people:search"), {"q": "x", "date_of_birth_0": "31", "date_of_birth_1": "2",
                                                  "date_of_birth_2": "2015"}).content.decode()
    assert "Date of birth must be a real date" in html and 'value="x"' in html


@pytest.mark.django_db
def test_search_page_paginates_25_a_page(signed_in):
    client = signed_in("social_worker")
    for i in range(30):
        ChildFactory(first_name=f"Child{i}", last_name="Pagett", **search_keys(f"Child{i}", "Pagett"))
    first = client.get(reverse("people:search"), {"q": "Pagett"})
    assert len(first.context["page_obj"]) == 25 and first.context["page_obj"].paginator.count == 30
    second = client.get(reverse("people:search"), {"q": "Pagett", "page": 2})
    assert len(second.context["page_obj"]) == 5


@pytest.mark.django_db
def test_search_page_hides_restricted_children(signed_in):
    client = signed_in("service_manager")
    ChildFactory(first_name="Secret", last_name="Record", is_restricted=True, **search_keys("Secret", "Record"))
    response = client.get(reverse("people:search"), {"q": "Secret Record"})
    assert response.context["page_obj"].paginator.count == 0 and "No children found" in response.content.decode()


# Add a child, with the possible-duplicate step -------------------------------------------------------


NEW_CHILD = {"first_name": "Amara", "last_name": "Okafor", "sex": "F", "ethnicity": "BAFR",
             **date_fields("date_of_birth", dt.date(2016, 5, 1))}


@pytest.mark.django_db
def test_adding_a_child_without_matches_saves_and_goes_to_the_record(signed_in):
    client = signed_in("mash_practitioner")
    response = client.post(reverse("people:child_create"), {**NEW_CHILD, "nhs_number": make_nhs_number(3)})
    child = Child.objects.get(first_name="Amara")
    assert response.status_code == 302 and response.url == reverse("casework:child_record", args=[child.pk])
    assert child.nhs_number == make_nhs_number(3) and child.la_child_id.startswith("C")


@pytest.mark.django_db
def test_a_possible_duplicate_must_be_confirmed_before_anything_is_saved(signed_in):
    client = signed_in("mash_practitioner")
    existing = ChildFactory(first_name="Amara", last_name="Okafor", date_of_birth=dt.date(2016, 5, 1),
                            **search_keys("Amara", "Okafor"))
    before = snapshot()
    warning = client.post(reverse("people:child_create"), NEW_CHILD)
    html = warning.content.decode()
    assert warning.status_code == 200 and "This child may already have a record" in html
    assert existing.la_child_id in html and snapshot() == before

    carried = {**NEW_CHILD, "matches_shown": f"child:{existing.pk}"}
    not_chosen = client.post(reverse("people:child_create"), carried)
    assert "Select the child if they are one of these" in not_chosen.content.decode() and snapshot() == before

    back = client.post(reverse("people:child_create"), {**carried, "change": "1"})
    assert 'value="Okafor"' in back.content.decode() and snapshot() == before

    confirmed = client.post(reverse("people:child_create"), {**carried, "match": "new"})
    assert confirmed.status_code == 302 and Child.objects.filter(last_name="Okafor").count() == 2


@pytest.mark.django_db
def test_a_match_the_user_cannot_see_is_mentioned_without_details(signed_in):
    client = signed_in("mash_practitioner")
    hidden = ChildFactory(first_name="Amara", last_name="Okafor", date_of_birth=dt.date(2016, 5, 1),
                          la_child_id="C0009999", is_restricted=True, **search_keys("Amara", "Okafor"))
    html = client.post(reverse("people:child_create"), NEW_CHILD).content.decode()
    assert "A possible match exists in a record you cannot see" in html
    assert hidden.la_child_id not in html and reverse("casework:child_record", args=[hidden.pk]) not in html


@pytest.mark.django_db
def test_add_a_child_errors_keep_the_input(signed_in):
    client = signed_in("mash_practitioner")
    before = snapshot()
    html = client.post(reverse("people:child_create"), {**NEW_CHILD, "first_name": "", "nhs_number": "123"}
                       ).content.decode()
    assert "Enter the child&#x27;s first name" in html and 'value="Okafor"' in html and 'value="123"' in html
    assert snapshot() == before


# Change details ---------------------------------------------------------------------------------------


def _edit_data(child, **overrides):
    return {"first_name": child.first_name, "last_name": child.last_name, "sex": child.sex,
            "ethnicity": child.ethnicity, "la_child_id": child.la_child_id, "version": str(child.version),
            **overrides}


@pytest.mark.django_db
def test_change_details_saves_and_audits(signed_in):
    client = signed_in("team_manager")
    child = ChildFactory(first_name="Jon")
    response = client.post(reverse("people:child_edit", args=[child.pk]), _edit_data(child, first_name="John"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.first_name == "John" and child.version == 2


@pytest.mark.django_db
def test_a_stale_edit_shows_the_error_keeps_the_input_and_changes_nothing(signed_in):
    client = signed_in("team_manager")
    child = ChildFactory(first_name="Jon", last_name="Smith")
    Child.objects.filter(pk=child.pk).update(version=2, first_name="John")  # someone else saved meanwhile
    before = snapshot()
    response = client.post(reverse("people:child_edit", args=[child.pk]),
                           _edit_data(child, last_name="Smythe", version="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record after you opened it" in html and 'value="Smythe"' in html
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.version) == ("John", "Smith", 2) and snapshot() == before


# Addresses, names, family network ---------------------------------------------------------------------


@pytest.mark.django_db
def test_addresses_page_lists_and_adds(signed_in):
    client = signed_in("team_manager")
    child = ChildFactory()
    assert "No addresses recorded yet" in client.get(reverse("people:addresses", args=[child.pk])).content.decode()
    client.post(reverse("people:addresses", args=[child.pk]),
                {"line_1": "1 Road", "postcode": "tw3 1es", **date_fields("start_date", dt.date(2025, 1, 1))})
    html = client.get(reverse("people:addresses", args=[child.pk])).content.decode()
    assert "TW3 1ES" in html and "1 Jan 2025" in html
    before = snapshot()
    bad = client.post(reverse("people:addresses", args=[child.pk]),
                      {"line_1": "2 Lane", "postcode": "nonsense", **date_fields("start_date", dt.date(2025, 6, 1))})
    assert "Enter a real postcode" in bad.content.decode() and 'value="2 Lane"' in bad.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_names_page_adds_and_removes(signed_in):
    client = signed_in("team_manager")
    child = ChildFactory()
    client.post(reverse("people:aliases", args=[child.pk]), {"first_name": "Kasia", "last_name": "", "kind": "aka"})
    alias = ChildAlias.objects.get(child=child)
    client.post(reverse("people:aliases", args=[child.pk]), {"remove": alias.pk})
    assert not ChildAlias.objects.filter(child=child).exists()


@pytest.mark.django_db
def test_family_network_add_person_add_sibling_change_and_end(signed_in):
    client = signed_in("team_manager")
    child, sibling = ChildFactory(), ChildFactory(la_child_id="C0000555")
    assert "No family members" in client.get(reverse("people:family", args=[child.pk])).content.decode()
    client.post(reverse("people:family_add", args=[child.pk]),
                {"kind": "step_father", "first_name": "Dean", "last_name": "Walsh", "sex": "M", "mappa": "on",
                 "lives_with_child": "on"})
    client.post(reverse("people:family_add", args=[child.pk]), {"kind": "sibling", "related_la_child_id": "c0000555"})
    html = client.get(reverse("people:family", args=[child.pk])).content.decode()
    assert "Dean Walsh" in html and "MAPPA" in html and escape(sibling.full_name) in html
    rel = Relationship.objects.get(child=child, person__isnull=False)
    response = client.post(reverse("people:relationship_edit", args=[child.pk, rel.pk]),
                           {"kind": "step_father", "poses_risk": "on", "mappa": "on",
                            "person_version": str(rel.person.version), "version": rel.version})
    assert response.status_code == 302
    rel.person.refresh_from_db()
    assert rel.person.poses_risk and rel.person.mappa
    client.post(reverse("people:relationship_end", args=[child.pk, rel.pk]),
                {**date_fields("end_date", dt.date(2026, 1, 1)), "version": rel.version + 1})
    rel.refresh_from_db()
    assert rel.end_date == dt.date(2026, 1, 1)
    assert client.get(reverse("people:relationship_end", args=[child.pk, rel.pk])).status_code == 405


@pytest.mark.django_db
def test_family_add_errors(signed_in):
    client = signed_in("team_manager")
    child = ChildFactory()
    before = snapshot()
    html = client.post(reverse("people:family_add", args=[child.pk]), {"kind": "", "related_la_child_id": ""}
                       ).content.decode()
    assert "Select the relationship to the child" in html and "Enter their first name" in html
    html = client.post(reverse("people:family_add", args=[child.pk]),
                       {"kind": "sibling", "related_la_child_id": "C404"}).content.decode()
    assert "There is no other child with this LA child ID" in html
    assert snapshot() == before


@pytest.mark.django_db
def test_relationship_of_another_child_is_404(signed_in):
    client = signed_in("team_manager")
    child = ChildFactory()
    rel = RelationshipFactory()
    before = snapshot()
    assert client.get(reverse("people:relationship_edit", args=[child.pk, rel.pk])).status_code == 404
    assert client.post(reverse("people:relationship_end", args=[child.pk, rel.pk]),
                       date_fields("end_date", dt.date(2026, 1, 1))).status_code == 404
    assert snapshot() == before


# Merge ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_merge_pick_confirm_and_merge(signed_in):
    client = signed_in("team_manager")
    keep, duplicate = ChildFactory(), ChildFactory(la_child_id="C0000321")
    AddressFactory(child=duplicate)
    confirm = client.post(reverse("people:merge", args=[keep.pk]), {"la_child_id": "c0000321"})
    assert "Check these are the same child" in confirm.content.decode()
    before = snapshot()
    unticked = client.post(reverse("people:merge", args=[keep.pk]), {"step": "confirm", "duplicate": duplicate.pk})
    assert "Confirm you have checked these records are the same child" in unticked.content.decode()
    assert snapshot() == before and Child.objects.get(pk=duplicate.pk).merged_into is None
    done = client.post(reverse("people:merge", args=[keep.pk]),
                       {"step": "confirm", "duplicate": duplicate.pk, "confirm": "on"})
    assert done.status_code == 302
    assert Child.objects.get(pk=duplicate.pk).merged_into == keep and keep.addresses.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["unknown", "itself", "restricted"])
def test_merge_cannot_pick_a_record_the_user_cannot_merge(signed_in, case):
    client = signed_in("team_manager")
    keep = ChildFactory(la_child_id="C0000001")
    hidden = ChildFactory(la_child_id="C0000002", is_restricted=True)
    typed = {"unknown": "C0000404", "itself": "C0000001", "restricted": "C0000002"}[case]
    before = snapshot()
    html = client.post(reverse("people:merge", args=[keep.pk]), {"la_child_id": typed}).content.decode()
    assert "There is no other child you can merge with this LA child ID" in html
    forced = client.post(reverse("people:merge", args=[keep.pk]),
                         {"step": "confirm", "duplicate": hidden.pk, "confirm": "on"})
    assert forced.status_code == 404 and snapshot() == before
    assert Child.objects.get(pk=hidden.pk).merged_into is None


# Restriction and sharing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_restrict_name_users_revoke_and_unrestrict(signed_in, make_user):
    client = signed_in("service_manager")
    worker = make_user("social_worker", username="kwhite")
    child = ChildFactory()
    bad = client.post(reverse("people:restriction", args=[child.pk]),
                      {"op": "restrict", "reason": "Protected", "named_users": "nobody"})
    assert "There is no active user called nobody" in bad.content.decode()
    assert not Child.objects.get(pk=child.pk).is_restricted
    client.post(reverse("people:restriction", args=[child.pk]),
                {"op": "restrict", "reason": "Protected", "named_users": "KWhite\n"})
    child.refresh_from_db()
    assert child.is_restricted
    assert set(child.access_grants.values_list("user", flat=True)) == {worker.pk, client.user.pk}
    grant = RestrictedAccessGrant.objects.get(child=child, user=worker)
    client.post(reverse("people:restriction", args=[child.pk]), {"op": "revoke", "grant": grant.pk})
    assert not RestrictedAccessGrant.objects.filter(pk=grant.pk).exists()
    client.post(reverse("people:restriction", args=[child.pk]), {"op": "grant", "username": "kwhite"})
    assert RestrictedAccessGrant.objects.filter(child=child, user=worker).exists()
    client.post(reverse("people:restriction", args=[child.pk]), {"op": "unrestrict"})
    assert not Child.objects.get(pk=child.pk).is_restricted


def _found_ids(client, query):
    response = client.get(reverse("people:search"), {"q": query})
    return [r.child.pk for r in response.context["page_obj"]]


@pytest.mark.django_db
def test_sharing_with_an_agency_lets_its_partners_find_the_child_until_stopped(make_user):
    from django.test import Client

    manager, partner = Client(), Client()
    manager.force_login(make_user("team_manager"))
    partner.force_login(make_user("partner", agency="health"))
    child = ChildFactory(first_name="Shared", last_name="Child", **search_keys("Shared", "Child"))
    assert _found_ids(partner, "Shared Child") == []
    manager.post(reverse("people:sharing", args=[child.pk]), {"op": "add", "agency": "health", "reason": "GP"})
    assert _found_ids(partner, "Shared Child") == [child.pk]
    share = PartnerShare.objects.get(child=child)
    manager.post(reverse("people:sharing", args=[child.pk]), {"op": "end", "share": share.pk, "version": 1})
    assert _found_ids(partner, "Shared Child") == []
    assert partner.get(reverse("people:sharing", args=[child.pk])).status_code == 403  # partners never share


@pytest.mark.django_db
def test_stopping_a_share_someone_changed_meanwhile_is_refused(signed_in):
    from opencsc.people import services

    client = signed_in("team_manager")
    child = ChildFactory()
    share = services.partner_share_add(actor=client.user, child=child, agency="police", reason="Strategy meeting")
    PartnerShare.objects.filter(pk=share.pk).update(version=2)  # another manager changed it
    before = snapshot()
    response = client.post(reverse("people:sharing", args=[child.pk]),
                           {"op": "end", "share": share.pk, "version": 1}, follow=True)
    assert "Someone else changed this record after you opened it" in response.content.decode()
    share.refresh_from_db()
    assert share.ends_on is None and snapshot() == before
