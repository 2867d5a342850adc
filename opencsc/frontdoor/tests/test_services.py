"""The front door's services: what they write, and that a refused action changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.assessment.models import CINEpisode
from opencsc.assessment.tests.factories import CINEpisodeFactory
from opencsc.casework.selectors import chronology_for
from opencsc.core.audit import StaleRecordError
from opencsc.core.models import AuditEvent, Event
from opencsc.frontdoor import policy, selectors, services
from opencsc.frontdoor.models import Contact, ContactChild, EncompassNotice, InformationRequest
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales.selectors import due_items

from .factories import (
    ContactFactory,
    DomesticAbuseNotificationFactory,
    InformationRequestFactory,
    at,
    screened,
)

D = dt.date
pytestmark = pytest.mark.django_db
ALL_ROLES = sorted(Role.values)


def counts():
    return (Contact.objects.count(), ContactChild.objects.count(), Child.objects.count(),
            CINEpisode.objects.count(), InformationRequest.objects.count(), AuditEvent.objects.count())


def create(actor, children, **overrides):
    values = {"received_at": at(D(2026, 11, 2), 11), "referrer_name": "Ms Adeyemi", "referral_source": "2A",
              "concerns": "Came to school hungry.", "referrer_agency": "education"}
    return services.contact_create(actor=actor, children=children, **{**values, **overrides})


def test_one_contact_names_brothers_and_sisters(make_user):
    mash = make_user(Role.MASH_PRACTITIONER)
    siblings = ChildFactory.create_batch(2)
    contact = create(mash, siblings)
    assert set(contact.children.all()) == set(siblings)
    assert contact.out_of_hours is False  # 11am on a Monday
    assert AuditEvent.objects.filter(object_id=str(contact.pk), child__in=siblings).count() == 2


def test_a_child_not_yet_known_is_created_through_people(make_user):
    mash = make_user(Role.MASH_PRACTITIONER)
    contact = create(mash, [], new_children=[{"first_name": "Ayla", "last_name": "Okafor",
                                              "date_of_birth": D(2019, 5, 4)}])
    child = contact.children.get()
    assert (child.first_name, child.la_child_id[:1]) == ("Ayla", "C")
    assert child.search_last  # the people service keeps its search keys
    assert AuditEvent.objects.filter(child=child, summary="").exists()  # the child's own creation event


def test_a_contact_without_a_child_is_refused_and_nothing_is_saved(make_user):
    mash = make_user(Role.MASH_PRACTITIONER)
    before = counts()
    with pytest.raises(ValidationError) as error:
        create(mash, [])
    assert error.value.message_dict["children"] == [services.NO_CHILD]
    assert counts() == before


@pytest.mark.parametrize("overrides, field", [
    ({"received_at": None}, "received_at"),
    ({"referrer_name": "  "}, "referrer_name"),
    ({"referral_source": "99"}, "referral_source"),
    ({"referrer_agency": "army"}, "referrer_agency"),
    ({"concerns": ""}, "concerns"),
])
def test_contact_details_are_checked(make_user, overrides, field):
    child = ChildFactory()
    before = counts()
    with pytest.raises(ValidationError) as error:
        create(make_user(Role.MASH_PRACTITIONER), [child], **overrides)
    assert field in error.value.message_dict
    assert counts() == before


def test_a_contact_cannot_be_received_in_the_future(make_user):
    with pytest.raises(ValidationError) as error:
        create(make_user(Role.MASH_PRACTITIONER), [ChildFactory()],
               received_at=timezone.now() + dt.timedelta(hours=2))
    assert "received_at" in error.value.message_dict


@pytest.mark.parametrize("hour, ticked, expected", [(11, None, False), (22, None, True), (11, True, True)])
def test_out_of_hours_is_worked_out_from_the_time_unless_said(make_user, hour, ticked, expected):
    contact = create(make_user(Role.MASH_PRACTITIONER), [ChildFactory()], received_at=at(D(2026, 11, 2), hour),
                     out_of_hours=ticked)
    assert contact.out_of_hours is expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_front_door_records_contacts(make_user, role):
    child = ChildFactory()
    before = counts()
    if role in policy.may_record_contact.roles:
        create(make_user(role), [child])
        assert Contact.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            create(make_user(role), [child])
        assert counts() == before


def test_screening_records_the_threshold_and_rationale(make_user):
    mash = make_user(Role.MASH_PRACTITIONER)
    contact = ContactFactory(children=[ChildFactory()])
    services.contact_screen(actor=mash, contact=contact, level_of_need="3", screening_rationale="Neglect indicators",
                            expected_version=contact.version)
    contact.refresh_from_db()
    assert (contact.level_of_need, contact.screened_by, contact.status) == ("3", mash, "awaiting_decision")


def test_screening_someone_changed_meanwhile_is_refused(make_user):
    contact = ContactFactory(children=[ChildFactory()])
    with pytest.raises(StaleRecordError):
        services.contact_screen(actor=make_user(Role.MASH_PRACTITIONER), contact=contact, level_of_need="2",
                                screening_rationale="x", expected_version=contact.version - 1)
    contact.refresh_from_db()
    assert contact.screened_at is None


@pytest.mark.parametrize("level, rationale, field", [("9", "reason", "level_of_need"), ("2", " ", "screening_rationale")])
def test_screening_needs_a_level_and_a_reason(make_user, level, rationale, field):
    contact = ContactFactory(children=[ChildFactory()])
    with pytest.raises(ValidationError) as error:
        services.contact_screen(actor=make_user(Role.MASH_PRACTITIONER), contact=contact, level_of_need=level,
                                screening_rationale=rationale, expected_version=contact.version)
    assert field in error.value.message_dict


def decide(actor, contact, outcome="nfa", **kwargs):
    kwargs.setdefault("team", getattr(actor, "team", None))  # who takes a referral: the manager's team
    return services.contact_decide(actor=actor, contact=contact, outcome=outcome,
                                   decision_rationale="Needs are met by universal services",
                                   expected_version=contact.version, **kwargs)


@pytest.mark.parametrize("role", sorted(policy.may_record_contact.roles | {Role.SOCIAL_WORKER, Role.PARTNER}))
def test_only_managers_decide(make_user, role):
    contact = screened(ContactFactory(children=[ChildFactory()]), make_user(Role.MASH_PRACTITIONER))
    if role in policy.may_decide_contact.roles:
        decide(make_user(role), contact, decided_at=at(D(2026, 3, 3), 9))
        assert Contact.objects.get().outcome == "nfa"
    else:
        before = counts()
        with pytest.raises(PermissionDenied):
            decide(make_user(role), contact)
        assert counts() == before and Contact.objects.get().decided_at is None


def test_a_contact_must_be_screened_before_the_decision(make_user):
    contact = ContactFactory(children=[ChildFactory()])
    with pytest.raises(ValidationError) as error:
        decide(make_user(Role.TEAM_MANAGER), contact)
    assert "screen" in error.value.message_dict["__all__"][0]
    assert Contact.objects.get().decided_at is None


def test_a_decision_cannot_be_made_twice(make_user):
    manager = make_user(Role.TEAM_MANAGER)
    contact = screened(ContactFactory(children=[ChildFactory()]), manager)
    decide(manager, contact)
    contact.refresh_from_db()
    with pytest.raises(ValidationError):
        decide(manager, contact, outcome="advice")
    assert Contact.objects.get().outcome == "nfa"


def test_a_referral_opens_an_episode_for_each_child_or_joins_the_open_one(make_user):
    manager = make_user(Role.TEAM_MANAGER)
    new, known = ChildFactory.create_batch(2)
    open_episode = CINEpisodeFactory(child=known, referral_date=D(2026, 1, 5))
    contact = screened(ContactFactory(children=[new, known]), manager)
    decide(manager, contact, outcome="referral", primary_need="N1", decided_at=at(D(2026, 3, 3), 9))
    links = {link.child_id: link.episode for link in ContactChild.objects.select_related("episode")}
    assert links[known.pk] == open_episode
    opened = links[new.pk]
    assert (opened.referral_date, opened.referral_source, opened.primary_need) == (D(2026, 3, 3), "2A", "N1")
    assert CINEpisode.objects.count() == 2


def test_a_referral_needs_the_primary_need(make_user):
    manager = make_user(Role.TEAM_MANAGER)
    contact = screened(ContactFactory(children=[ChildFactory()]), manager)
    before = counts()
    with pytest.raises(ValidationError) as error:
        decide(manager, contact, outcome="referral")
    assert "primary_need" in error.value.message_dict
    assert counts() == before


def test_a_referral_the_assessment_rules_refuse_changes_nothing(make_user):
    manager = make_user(Role.TEAM_MANAGER)
    child = ChildFactory()
    CINEpisodeFactory(child=child, referral_date=D(2026, 3, 1), closure_date=D(2026, 3, 20), reason_for_closure="RC8")
    contact = screened(ContactFactory(children=[child]), manager)
    with pytest.raises(ValidationError):  # referral before the last episode closed
        decide(manager, contact, outcome="referral", primary_need="N1", decided_at=at(D(2026, 3, 3), 9))
    assert Contact.objects.get().decided_at is None
    assert CINEpisode.objects.count() == 1


def test_the_log_runs_the_one_working_day_clock_and_starts_the_strategy_clock(make_user):
    manager = make_user(Role.TEAM_MANAGER)
    a, b = ChildFactory.create_batch(2)
    contact = screened(ContactFactory(children=[a, b]), manager)
    decide(manager, contact, outcome="strategy", primary_need="N1", decided_at=at(D(2026, 3, 3), 16))
    clocks = Event.objects.filter(kind="contact", child__in=[a, b]).exclude(clock="")
    scope = f"contact:{contact.pk}"
    assert {(e.child_id, e.clock, e.occurred_on, e.scope) for e in clocks} == {
        (child.pk, event, on, scope) for child in (a, b)
        for event, on in (("contact_received", D(2026, 3, 2)), ("contact_decided", D(2026, 3, 3)),
                          ("cp_concern", D(2026, 3, 3)))
    }


def test_the_contacts_clocks_follow_the_services(make_user):
    """Received: each child named has a decision due within one working day. Decided for a strategy
    discussion: that clock is done and the strategy discussion's has started, for each child."""
    mash, manager = make_user(Role.MASH_PRACTITIONER), make_user(Role.TEAM_MANAGER)
    siblings = ChildFactory.create_batch(2)
    children = Child.objects.filter(pk__in=[c.pk for c in siblings])
    contact = services.contact_create(actor=mash, children=siblings, received_at=at(D(2026, 11, 2), 11),
                                      referrer_name="Ms Adeyemi", referral_source="2A",
                                      concerns="Came to school hungry.")
    scope = f"contact:{contact.pk}"

    def due(today):
        items = due_items(children=children, today=today, rules=["contact_decision", "strategy_discussion"])
        return {(i.child_id, i.rule_code, i.scope, i.due_date) for i in items}

    assert due(D(2026, 11, 2)) == {(c.pk, "contact_decision", scope, D(2026, 11, 3)) for c in siblings}
    contact = screened(contact, mash)
    decide(manager, contact, outcome="strategy", primary_need="N1", decided_at=at(D(2026, 11, 3), 9))
    assert due(D(2026, 11, 3)) == {(c.pk, "strategy_discussion", scope, D(2026, 11, 5)) for c in siblings}


def test_the_chronology_shows_the_contact_its_screening_and_the_decision(make_user):
    manager = make_user(Role.TEAM_MANAGER)
    child = ChildFactory()
    contact = screened(ContactFactory(children=[child]), manager)
    decide(manager, contact, outcome="advice", decided_at=at(D(2026, 3, 3), 9))
    items = chronology_for(user=manager, child=child, sources=["contact"])
    assert [(i.occurred_on, i.title) for i in items] == [
        (D(2026, 3, 3), "Contact decided: information and advice"), (D(2026, 3, 2), "Contact screened"),
        (D(2026, 3, 2), "Contact received")]


# --- Domestic abuse and Operation Encompass -----------------------------------------------


def test_children_leave_the_encompass_list_once_their_school_is_told(make_user):
    mash = make_user(Role.MASH_PRACTITIONER)
    a, b = ChildFactory.create_batch(2)
    notification = DomesticAbuseNotificationFactory(contact__children=[a, b])
    assert [link.child for link in selectors.encompass_outstanding(user=mash)] == [a, b]
    services.encompass_record(actor=mash, notification=notification, child=a, school_name="Lampton School",
                              told_at=notification.contact.received_at)
    assert [link.child for link in selectors.encompass_outstanding(user=mash)] == [b]
    notice = EncompassNotice.objects.get()
    assert (notice.school_name, notice.told_by) == ("Lampton School", mash)


def test_a_school_is_told_once_and_only_about_children_named(make_user):
    mash = make_user(Role.MASH_PRACTITIONER)
    child = ChildFactory()
    notification = DomesticAbuseNotificationFactory(contact__children=[child])
    services.encompass_record(actor=mash, notification=notification, child=child, school_name="Lampton School",
                              told_at=notification.contact.received_at)
    for who in (child, ChildFactory()):
        with pytest.raises(ValidationError):
            services.encompass_record(actor=mash, notification=notification, child=who, school_name="X",
                                      told_at=notification.contact.received_at)
    assert EncompassNotice.objects.count() == 1


def test_a_school_cannot_be_told_before_the_incident(make_user):
    child = ChildFactory()
    notification = DomesticAbuseNotificationFactory(contact__children=[child])
    with pytest.raises(ValidationError) as error:
        services.encompass_record(actor=make_user(Role.MASH_PRACTITIONER), notification=notification, child=child,
                                  school_name="Lampton School",
                                  told_at=notification.incident_at - dt.timedelta(hours=1))
    assert "told_at" in error.value.message_dict
    assert not EncompassNotice.objects.exists()


def test_only_a_police_contact_is_a_domestic_abuse_notification(make_user):
    contact = ContactFactory(children=[ChildFactory()], referral_source="2A")
    with pytest.raises(ValidationError):
        services.domestic_abuse_record(actor=make_user(Role.MASH_PRACTITIONER), contact=contact, risk_level="high",
                                       incident_at=contact.received_at - dt.timedelta(hours=3))
    assert not Contact.objects.filter(domestic_abuse__isnull=False).exists()


@pytest.mark.parametrize("risk, incident_after, field", [("extreme", -1, "risk_level"), ("high", 1, "incident_at")])
def test_a_notification_is_checked(make_user, risk, incident_after, field):
    contact = ContactFactory(children=[ChildFactory()], referral_source="6")
    with pytest.raises(ValidationError) as error:
        services.domestic_abuse_record(actor=make_user(Role.MASH_PRACTITIONER), contact=contact, risk_level=risk,
                                       incident_at=contact.received_at + dt.timedelta(hours=incident_after))
    assert field in error.value.message_dict
    assert not Contact.objects.filter(domestic_abuse__isnull=False).exists()


# --- Information requests -----------------------------------------------------------------


@pytest.mark.parametrize("rag, hours", [("red", 4), ("amber", 24), ("green", 72)])
def test_a_request_is_due_by_its_urgency(make_user, rag, hours):
    contact = ContactFactory(children=[ChildFactory()])
    asked = at(D(2026, 3, 2), 11)
    request = services.information_request_create(actor=make_user(Role.MASH_PRACTITIONER), contact=contact,
                                                  agency="health", rag=rag, question="GP concerns?",
                                                  requested_at=asked)
    assert request.due_at == asked + dt.timedelta(hours=hours)


def test_only_the_agency_asked_answers_and_only_once(make_user):
    request = InformationRequestFactory(contact__children=[ChildFactory()], agency="police")
    for user in (make_user(Role.PARTNER, agency="health"), make_user(Role.MASH_PRACTITIONER)):
        with pytest.raises(PermissionDenied):
            services.information_request_answer(actor=user, request=request, response="x",
                                                expected_version=request.version)
    assert InformationRequest.objects.get().responded_at is None
    police = make_user(Role.PARTNER, agency="police")
    services.information_request_answer(actor=police, request=request, response="Two call-outs in May",
                                        expected_version=request.version)
    with pytest.raises(ValidationError):
        services.information_request_answer(actor=police, request=request, response="Again",
                                            expected_version=request.version)
    answered = InformationRequest.objects.get()
    assert (answered.response, answered.responded_by) == ("Two call-outs in May", police)


def test_the_board_counts_open_requests_by_agency_and_urgency_and_who_is_late(make_user):
    contact = ContactFactory(children=[ChildFactory()])
    now = at(D(2026, 3, 3), 12)
    InformationRequestFactory(contact=contact, agency="police", rag="red")  # asked 2 Mar 11am, due 3pm: late
    InformationRequestFactory(contact=contact, agency="police", rag="green")
    InformationRequestFactory(contact=contact, agency="health", rag="amber",
                              requested_at=at(D(2026, 3, 3), 9))
    InformationRequestFactory(contact=contact, agency="health", rag="red", responded_at=now)
    board = selectors.rag_board(user=make_user(Role.MASH_PRACTITIONER), now=now)
    rows = {row["agency"]: row for row in board["rows"]}
    assert [(c.rag, c.open, c.late) for c in rows["police"]["cells"]] == [
        ("red", 1, 1), ("amber", 0, 0), ("green", 1, 0)]
    assert (rows["health"]["open"], rows["health"]["late"]) == (1, 0)
    assert rows["housing"]["open"] == 0
