"""The front door through its pages: recording, screening, deciding, partners answering, lists and figures."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import Role
from opencsc.assessment.models import CINEpisode
from opencsc.frontdoor.models import Contact, InformationRequest
from opencsc.people.models import Child, PartnerShare
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory

from .factories import (
    ContactFactory,
    DomesticAbuseNotificationFactory,
    InformationRequestFactory,
    at,
    screened,
)

D = dt.date
pytestmark = pytest.mark.django_db


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def contact_post(**overrides):
    return {**date_fields("received_on", D(2026, 11, 2)), "received_time": "10:15", "referrer_name": "PC Lewis",
            "referrer_agency": "police", "referral_source": "6", "concerns": "Shouting heard; children at home.",
            "action": "save", **overrides}


def test_a_mash_worker_finds_siblings_and_records_one_contact_about_both(signed_in):
    client = signed_in(Role.MASH_PRACTITIONER)
    amir = ChildFactory(first_name="Amir", last_name="Hussain", **search_keys("Amir", "Hussain"))
    zara = ChildFactory(first_name="Zara", last_name="Hussain", **search_keys("Zara", "Hussain"))
    url = reverse("frontdoor:contact_add")
    found = client.post(url, contact_post(action="search", find="Hussain"))
    assert found.status_code == 200
    assert "Amir Hussain" in found.content.decode() and "Zara Hussain" in found.content.decode()
    assert "There is a problem" not in found.content.decode()  # searching is not saving
    assert not Contact.objects.exists()
    response = client.post(url, contact_post(children=[amir.pk, zara.pk]))
    contact = Contact.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("frontdoor:contact_detail",
                                                                           args=[contact.pk])
    assert set(contact.children.all()) == {amir, zara}


def test_a_contact_without_a_child_shows_a_clear_message_and_keeps_what_was_typed(signed_in):
    client = signed_in(Role.MASH_PRACTITIONER)
    response = client.post(reverse("frontdoor:contact_add"), contact_post(concerns="Bruise seen at nursery"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select or add at least one child the contact is about" in body
    assert "Bruise seen at nursery" in body and "PC Lewis" in body
    assert not Contact.objects.exists()


def test_a_new_child_is_added_with_the_contact(signed_in):
    client = signed_in(Role.MASH_PRACTITIONER)
    client.post(reverse("frontdoor:contact_add"), contact_post(
        new_first_name="Ruby", new_last_name="Ncube", **date_fields("new_date_of_birth", D(2020, 2, 3))))
    child = Contact.objects.get().children.get()
    assert (child.first_name, child.last_name, child.date_of_birth) == ("Ruby", "Ncube", D(2020, 2, 3))


def test_starting_from_a_child_selects_them(signed_in):
    child = ChildFactory(first_name="Tomasz")
    response = signed_in(Role.MASH_PRACTITIONER).get(reverse("frontdoor:contact_add") + f"?child={child.pk}")
    assert 'checked' in response.content.decode() and "Tomasz" in response.content.decode()


def test_a_restricted_child_cannot_be_named_by_someone_not_granted(signed_in):
    client = signed_in(Role.MASH_PRACTITIONER)
    hidden = ChildFactory(is_restricted=True)
    client.post(reverse("frontdoor:contact_add"), contact_post(children=[hidden.pk]))
    assert not Contact.objects.exists()


def test_screen_then_decide_referral_through_the_pages(signed_in, make_user, client):
    child = ChildFactory()
    contact = ContactFactory(children=[child], received_at=timezone.now() - dt.timedelta(hours=2))
    mash = make_user(Role.MASH_PRACTITIONER)
    client.force_login(mash)
    response = client.post(reverse("frontdoor:contact_screen", args=[contact.pk]), {
        "level_of_need": "4", "screening_rationale": "Injury to a non-mobile baby", "version": contact.version})
    assert response.status_code == 302
    assert client.get(reverse("frontdoor:contact_decide", args=[contact.pk])).status_code == 403
    manager = make_user(Role.TEAM_MANAGER)
    worker = make_user(Role.SOCIAL_WORKER, team=manager.team)
    client.force_login(manager)
    contact.refresh_from_db()
    response = client.post(reverse("frontdoor:contact_decide", args=[contact.pk]), {
        "outcome": "referral", "decision_rationale": "Significant harm threshold met", "primary_need": "N1",
        "team": manager.team.pk, "worker": worker.pk, "version": contact.version})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.outcome == "referral"
    episode = CINEpisode.objects.get(child=child)
    page = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert reverse("assessment:episode_detail", args=[child.pk, episode.pk]) in page


def test_a_refused_decision_keeps_what_was_typed(signed_in):
    contact = screened(ContactFactory(children=[ChildFactory()]), None)
    client = signed_in(Role.TEAM_MANAGER)
    response = client.post(reverse("frontdoor:contact_decide", args=[contact.pk]), {
        "outcome": "referral", "decision_rationale": "Threshold met for assessment", "version": contact.version})
    body = response.content.decode()
    assert "Select the child&#x27;s primary need" in body and "Threshold met for assessment" in body
    assert Contact.objects.get().decided_at is None


def test_the_list_searches_and_filters(signed_in):
    a = ContactFactory(children=[ChildFactory(first_name="Olamide", last_name="Adebayo")], referrer_name="Dr Shah")
    b = ContactFactory(children=[ChildFactory(first_name="Freya", last_name="Jones")], referrer_name="PC Lee",
                       out_of_hours=True)
    client = signed_in(Role.MASH_PRACTITIONER)
    url = reverse("frontdoor:contacts")

    def shown(**params):
        page = client.get(url, params).context["page_obj"]
        return {c.pk for c in page.object_list}

    assert shown() == {a.pk, b.pk}
    assert shown(q="adebayo") == {a.pk}
    assert shown(q="Lee") == {b.pk}
    assert shown(out_of_hours="yes") == {b.pk}
    assert shown(status="screening") == {a.pk, b.pk}
    assert shown(status="decided") == set()


def test_the_list_hides_contacts_about_a_restricted_child(signed_in):
    ContactFactory(children=[ChildFactory(), ChildFactory(is_restricted=True)])
    visible = ContactFactory(children=[ChildFactory()])
    page = signed_in(Role.MASH_PRACTITIONER).get(reverse("frontdoor:contacts")).context["page_obj"]
    assert [c.pk for c in page.object_list] == [visible.pk]


def test_the_list_takes_the_same_number_of_queries_for_more_contacts(signed_in, django_assert_max_num_queries):
    client = signed_in(Role.MASH_PRACTITIONER)
    ContactFactory(children=[ChildFactory()])
    url = reverse("frontdoor:contacts")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(5):
        ContactFactory(children=ChildFactory.create_batch(2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_contact_about_a_restricted_child_is_not_found_and_the_attempt_logged(signed_in):
    hidden = ChildFactory(is_restricted=True)
    contact = ContactFactory(children=[ChildFactory(), hidden])
    response = signed_in(Role.SERVICE_MANAGER).get(reverse("frontdoor:contact_detail", args=[contact.pk]))
    assert response.status_code == 404
    assert AccessLog.objects.filter(child=hidden, outcome="refused").exists()


def test_opening_a_contact_logs_a_view_of_each_childs_record(signed_in):
    children = ChildFactory.create_batch(2)
    contact = ContactFactory(children=children)
    client = signed_in(Role.MASH_PRACTITIONER)
    client.get(reverse("frontdoor:contact_detail", args=[contact.pk]))
    logged = AccessLog.objects.filter(user=client.user, outcome="viewed").values_list("child_id", flat=True)
    assert sorted(logged) == sorted(c.pk for c in children)


@pytest.mark.parametrize("target", ["child", "other_agency_request"])
def test_a_partner_opening_anything_not_sent_to_their_agency_gets_404_and_is_logged(signed_in, target):
    child = ChildFactory()
    contact = ContactFactory(children=[child])
    health = InformationRequestFactory(contact=contact, agency="health")
    url = {
        "child": reverse("casework:child_record", args=[child.pk]),
        "contact": reverse("frontdoor:contact_detail", args=[contact.pk]),
        "other_agency_request": reverse("frontdoor:partner_request", args=[health.pk]),
        "child_contacts": reverse("frontdoor:child_contacts", args=[child.pk]),
    }[target]
    client = signed_in(Role.PARTNER, agency="police")
    assert client.get(url).status_code == 404
    log = AccessLog.objects.get(user=client.user)
    assert (log.outcome, log.child_id) == ("refused", child.pk)


@pytest.mark.parametrize("target", ["contact", "child_contacts"])
def test_a_partner_is_refused_the_front_doors_own_pages_and_it_is_logged(signed_in, target):
    child = ChildFactory()
    contact = ContactFactory(children=[child])
    url = {
        "contact": reverse("frontdoor:contact_detail", args=[contact.pk]),
        "child_contacts": reverse("frontdoor:child_contacts", args=[child.pk]),
    }[target]
    client = signed_in(Role.PARTNER, agency="police")
    assert client.get(url).status_code == 403  # refused the page before anything is looked up
    assert AccessLog.objects.get(user=client.user).outcome == "refused"


def test_a_partner_sees_only_their_agencys_requests_with_the_least_about_the_child(signed_in):
    child = ChildFactory(first_name="Kai", last_name="Morgan", date_of_birth=D(2016, 4, 1), upn="A123456789012")
    contact = ContactFactory(children=[child], concerns="Mother disclosed drug use to the GP")
    police = InformationRequestFactory(contact=contact, agency="police")
    InformationRequestFactory(contact=contact, agency="health")
    client = signed_in(Role.PARTNER, agency="police")
    listed = client.get(reverse("frontdoor:partner_requests")).context["page_obj"].object_list
    assert [r.pk for r in listed] == [police.pk]
    page = client.get(reverse("frontdoor:partner_request", args=[police.pk])).content.decode()
    assert "Kai Morgan" in page and "1 Apr 2016" in page and police.question in page
    assert "drug use" not in page and "A123456789012" not in page  # not the concerns, not other identifiers
    assert not PartnerShare.objects.exists()  # answering does not open the child's record to them


def test_a_partner_does_not_see_requests_about_a_restricted_child(signed_in):
    InformationRequestFactory(contact__children=[ChildFactory(is_restricted=True)], agency="police")
    client = signed_in(Role.PARTNER, agency="police")
    assert not client.get(reverse("frontdoor:partner_requests")).context["page_obj"].object_list


def test_a_police_contact_is_recorded_as_a_domestic_abuse_notification(signed_in):
    contact = ContactFactory(children=[ChildFactory()], referral_source="6", received_at=at(D(2026, 3, 2), 9))
    client = signed_in(Role.MASH_PRACTITIONER)
    response = client.post(reverse("frontdoor:domestic_abuse_add", args=[contact.pk]), {
        **date_fields("incident_on", D(2026, 3, 1)), "incident_time": "23:40", "police_reference": "CAD1234",
        "risk_level": "high", "children_present": "on"})
    assert response.status_code == 302
    notification = Contact.objects.get().domestic_abuse
    assert (notification.risk_level, notification.incident_at, notification.children_present) == (
        "high", at(D(2026, 3, 1), 23, 40), True)


def test_a_partner_answers_a_request(signed_in):
    request = InformationRequestFactory(contact__children=[ChildFactory()], agency="police")
    client = signed_in(Role.PARTNER, agency="police")
    url = reverse("frontdoor:partner_request", args=[request.pk])
    empty = client.post(url, {"response": "", "version": request.version})
    assert "Enter what your agency knows" in empty.content.decode()
    response = client.post(url, {"response": "No police involvement known", "version": request.version})
    assert response.status_code == 302
    answered = InformationRequest.objects.get()
    assert (answered.response, answered.responded_by) == ("No police involvement known", client.user)
    answered_list = client.get(reverse("frontdoor:partner_requests"), {"show": "answered"})
    assert [r.pk for r in answered_list.context["page_obj"].object_list] == [request.pk]


def test_the_mash_asks_for_information_with_a_deadline_from_the_urgency(signed_in):
    contact = ContactFactory(children=[ChildFactory()])
    client = signed_in(Role.MASH_PRACTITIONER)
    before = timezone.now()
    client.post(reverse("frontdoor:request_add", args=[contact.pk]),
                {"agency": "health", "rag": "red", "question": "Health visitor concerns?"})
    request = InformationRequest.objects.get()
    assert request.due_at - request.requested_at == dt.timedelta(hours=4)
    assert request.requested_at >= before


def test_the_board_drills_down_to_late_requests_by_agency(signed_in):
    contact = ContactFactory(children=[ChildFactory()])
    late = InformationRequestFactory(contact=contact, agency="police", rag="red")
    InformationRequestFactory(contact=contact, agency="police", rag="green", requested_at=timezone.now())
    client = signed_in(Role.MASH_PRACTITIONER)
    page = client.get(reverse("frontdoor:request_board"), {"agency": "police", "late": "1"})
    assert [r.pk for r in page.context["page_obj"].object_list] == [late.pk]


def test_encompass_list_and_recording_through_pages(signed_in):
    child = ChildFactory(school_name="Heston Primary")
    notification = DomesticAbuseNotificationFactory(contact__children=[child])
    client = signed_in(Role.MASH_PRACTITIONER)
    listed = client.get(reverse("frontdoor:encompass_list")).context["page_obj"].object_list
    assert [link.child for link in listed] == [child]
    url = reverse("frontdoor:encompass_add", args=[notification.contact_id, child.pk])
    assert 'value="Heston Primary"' in client.get(url).content.decode()
    told = notification.contact.received_at.astimezone(timezone.get_current_timezone())
    client.post(url, {"school_name": "Heston Primary", **date_fields("told_on", told.date()),
                      "told_time": f"{told:%H:%M}"})
    assert not client.get(reverse("frontdoor:encompass_list")).context["page_obj"].object_list


def test_the_dashboard_counts_decisions_in_time_and_drills_down_to_the_children(signed_in, make_user):
    manager = make_user(Role.TEAM_MANAGER)
    in_time, late, undecided = ChildFactory.create_batch(3)
    for child, decided, outcome in ((in_time, at(D(2026, 3, 3), 16), "referral"), (late, at(D(2026, 3, 4), 9), "nfa"),
                                    (undecided, None, "")):
        contact = screened(ContactFactory(children=[child]), manager)
        Contact.objects.filter(pk=contact.pk).update(decided_at=decided, outcome=outcome, decided_by=manager)
    client = signed_in(Role.PERFORMANCE_ANALYST)
    period = {**date_fields("date_from", D(2026, 3, 1)), **date_fields("date_to", D(2026, 3, 31))}
    figures = client.get(reverse("frontdoor:dashboard"), period).context["figures"]
    assert (figures["received"], figures["decided_in_time"], figures["decided_late"], figures["undecided"],
            figures["referral"], figures["in_time_percent"], figures["conversion_percent"]) == (3, 1, 1, 1, 1, 50, 50)
    for measure, child in (("decided_in_time", in_time), ("decided_late", late), ("undecided", undecided),
                           ("referral", in_time)):
        rows = client.get(reverse("frontdoor:dashboard_children", args=[measure]), period).context["page_obj"]
        assert [row["child"] for row in rows.object_list] == [child]


def test_the_childs_record_lists_their_contacts(signed_in):
    child = ChildFactory()
    ContactFactory(children=[child], referrer_name="Nurse Patel")
    ContactFactory(children=[ChildFactory()], referrer_name="Someone Else")
    page = signed_in(Role.SOCIAL_WORKER).get(reverse("frontdoor:child_contacts", args=[child.pk]))
    assert "Nurse Patel" in page.content.decode() and "Someone Else" not in page.content.decode()
    assert Child.objects.count() == 2


def test_the_contact_page_takes_the_same_number_of_queries_for_more_children_and_requests(
        signed_in, django_assert_max_num_queries):
    client = signed_in(Role.TEAM_MANAGER)
    contact = DomesticAbuseNotificationFactory(contact__children=[ChildFactory()]).contact
    InformationRequestFactory(contact=contact)
    url = reverse("frontdoor:contact_detail", args=[contact.pk])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    more = DomesticAbuseNotificationFactory(contact__children=ChildFactory.create_batch(3)).contact
    InformationRequestFactory.create_batch(4, contact=more)
    url = reverse("frontdoor:contact_detail", args=[more.pk])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
