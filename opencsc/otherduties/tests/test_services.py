"""Private fostering, care proceedings and LADO allegations: the rules, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.accounts.roles import Role
from opencsc.core.audit import StaleRecordError
from opencsc.core.models import AuditEvent
from opencsc.otherduties import services
from opencsc.otherduties.models import (
    CareProceedings,
    Extension,
    Hearing,
    LadoAllegation,
    LadoMeeting,
    PrivateFostering,
    PrivateFosteringVisit,
)
from opencsc.people.tests.factories import ChildFactory

from .factories import CareProceedingsFactory, LadoAllegationFactory, PrivateFosteringFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def worker(make_user):
    return make_user(role=Role.SOCIAL_WORKER)


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.TEAM_MANAGER)


def _rows():
    models = (PrivateFostering, PrivateFosteringVisit, CareProceedings, Hearing, Extension, LadoAllegation,
              LadoMeeting, AuditEvent)
    return [m.objects.count() for m in models]


# --- Private fostering --------------------------------------------------------------------------


def _notify(worker, child, **overrides):
    values = dict(actor=worker, child=child, notified_on=D(2026, 3, 2), arrangement_start=D(2026, 2, 20),
                  carer_name="Maureen Hall", carer_relationship="Family friend", parents_consent=True)
    values.update(overrides)
    return services.private_fostering_record(**values)


def test_a_notification_is_recorded_and_audited(worker):
    child = ChildFactory(date_of_birth=D(2012, 6, 1))
    arrangement = _notify(worker, child)
    assert arrangement.is_open and arrangement.outcome == PrivateFostering.Outcome.PENDING
    assert AuditEvent.objects.get(object_id=str(arrangement.pk)).summary == "Private fostering notification recorded"


@pytest.mark.parametrize("overrides, field", [
    ({"notified_on": D(2099, 1, 1)}, "notified_on"),
    ({"notified_on": None}, "notified_on"),
    ({"arrangement_start": None}, "arrangement_start"),
    ({"arrangement_start": D(2012, 5, 1)}, "arrangement_start"),  # before birth
    ({"arrangement_start": D(2030, 6, 1)}, "arrangement_start"),  # 18 by then
    ({"carer_name": "  "}, "carer_name"),
    ({"outcome": "maybe"}, "outcome"),
    ({"outcome": "suitable", "suitability": ""}, "suitability"),
])
def test_bad_notifications_are_refused_and_nothing_changes(worker, overrides, field):
    child = ChildFactory(date_of_birth=D(2012, 6, 1))
    before = _rows()
    with pytest.raises(ValidationError) as error:
        _notify(worker, child, **overrides)
    assert field in error.value.message_dict
    assert _rows() == before


def test_one_open_arrangement_at_a_time(worker):
    child = ChildFactory(date_of_birth=D(2012, 6, 1))
    first = _notify(worker, child)
    with pytest.raises(ValidationError) as error:
        _notify(worker, child, carer_name="Someone Else")
    assert "Record its end first" in error.value.message_dict["notified_on"][0]
    services.private_fostering_end(actor=worker, arrangement=first, ended_on=D(2026, 5, 1),
                                   end_reason="returned_home", expected_version=1)
    _notify(worker, child, notified_on=D(2026, 6, 1), arrangement_start=D(2026, 6, 1), carer_name="Someone Else")
    assert PrivateFostering.objects.filter(child=child).count() == 2


@pytest.mark.parametrize("visited_on, seen, alone, ok", [
    (D(2026, 3, 5), True, True, True),
    (D(2026, 3, 2), False, False, True),
    (D(2026, 3, 1), True, False, False),  # before the notification
    (D(2099, 3, 1), True, False, False),
    (D(2026, 3, 5), False, True, False),  # alone but not seen
])
def test_visits(worker, visited_on, seen, alone, ok):
    arrangement = PrivateFosteringFactory()
    before = _rows()
    if ok:
        visit = services.private_fostering_visit_record(actor=worker, arrangement=arrangement, visited_on=visited_on,
                                                        child_seen=seen, child_seen_alone=alone)
        assert visit.arrangement == arrangement
    else:
        with pytest.raises(ValidationError):
            services.private_fostering_visit_record(actor=worker, arrangement=arrangement, visited_on=visited_on,
                                                    child_seen=seen, child_seen_alone=alone)
        assert _rows() == before


def test_no_visit_after_the_arrangement_ended(worker):
    arrangement = PrivateFosteringFactory(ended_on=D(2026, 4, 1), end_reason="moved")
    with pytest.raises(ValidationError) as error:
        services.private_fostering_visit_record(actor=worker, arrangement=arrangement, visited_on=D(2026, 4, 2))
    assert "ended on 1 Apr 2026" in error.value.message_dict["visited_on"][0]


@pytest.mark.parametrize("ended_on, reason, field", [
    (D(2026, 2, 1), "moved", "ended_on"),  # before it started
    (D(2099, 2, 1), "moved", "ended_on"),
    (D(2026, 4, 1), "bored", "end_reason"),
])
def test_bad_ends_are_refused(worker, ended_on, reason, field):
    arrangement = PrivateFosteringFactory()
    before = _rows()
    with pytest.raises(ValidationError) as error:
        services.private_fostering_end(actor=worker, arrangement=arrangement, ended_on=ended_on, end_reason=reason,
                                       expected_version=1)
    assert field in error.value.message_dict
    assert _rows() == before
    arrangement.refresh_from_db()
    assert arrangement.ended_on is None


def test_an_end_from_an_old_version_is_refused(worker):
    arrangement = PrivateFosteringFactory(version=3)
    with pytest.raises(StaleRecordError):
        services.private_fostering_end(actor=worker, arrangement=arrangement, ended_on=D(2026, 4, 1),
                                       end_reason="moved", expected_version=2)
    assert PrivateFostering.objects.get().ended_on is None


# --- Care proceedings ---------------------------------------------------------------------------


def test_proceedings_hearings_extensions_and_final_order(worker):
    child = ChildFactory(date_of_birth=D(2019, 6, 1))
    proceedings = services.care_proceedings_record(actor=worker, child=child, court="West London Family Court",
                                                   case_number="ZW26C00012", issued_on=D(2026, 3, 2))
    services.hearing_record(actor=worker, proceedings=proceedings, kind="cmh", held_on=D(2026, 3, 20),
                            interim_order="ico", notes="Interim care order made")
    services.extension_record(actor=worker, proceedings=proceedings, granted_on=D(2026, 8, 20),
                              reason="Parenting assessment delayed by illness")
    services.final_order_record(actor=worker, proceedings=proceedings, final_order="sgo",
                                final_order_on=D(2026, 10, 1), expected_version=1)
    proceedings.refresh_from_db()
    assert (proceedings.final_order, proceedings.final_order_on, proceedings.version) == ("sgo", D(2026, 10, 1), 2)
    assert not proceedings.is_open


@pytest.mark.parametrize("overrides, field", [
    ({"issued_on": D(2099, 1, 1)}, "issued_on"),
    ({"issued_on": D(2019, 1, 1)}, "issued_on"),  # before the child was born
    ({"court": ""}, "court"),
    ({"case_number": " "}, "case_number"),
])
def test_bad_proceedings_are_refused(worker, overrides, field):
    child = ChildFactory(date_of_birth=D(2019, 6, 1))
    values = dict(actor=worker, child=child, court="Court", case_number="X1", issued_on=D(2026, 3, 2))
    values.update(overrides)
    before = _rows()
    with pytest.raises(ValidationError) as error:
        services.care_proceedings_record(**values)
    assert field in error.value.message_dict
    assert _rows() == before


def test_one_open_set_of_proceedings_per_child(worker):
    proceedings = CareProceedingsFactory()
    with pytest.raises(ValidationError) as error:
        services.care_proceedings_record(actor=worker, child=proceedings.child, court="Court", case_number="X2",
                                         issued_on=D(2026, 4, 1))
    assert "still open" in error.value.message_dict["issued_on"][0]


@pytest.mark.parametrize("final_order_on, order, field, message", [
    (D(2026, 3, 1), "care", "final_order_on", "on or after the date of issue (2 Mar 2026)"),
    (D(2099, 3, 1), "care", "final_order_on", "today or in the past"),
    (D(2026, 9, 1), "adoption", "final_order", "Select the final order"),
])
def test_a_bad_final_order_is_refused_and_nothing_changes(worker, final_order_on, order, field, message):
    proceedings = CareProceedingsFactory()
    before = _rows()
    with pytest.raises(ValidationError) as error:
        services.final_order_record(actor=worker, proceedings=proceedings, final_order=order,
                                    final_order_on=final_order_on, expected_version=1)
    assert message in error.value.message_dict[field][0]
    assert _rows() == before
    assert CareProceedings.objects.get().final_order_on is None


@pytest.mark.parametrize("write", ["hearing", "extension", "final_order"])
def test_nothing_is_added_after_the_final_order(worker, write):
    proceedings = CareProceedingsFactory(final_order="care", final_order_on=D(2026, 8, 1))
    before = _rows()
    with pytest.raises(ValidationError) as error:
        if write == "hearing":
            services.hearing_record(actor=worker, proceedings=proceedings, kind="other", held_on=D(2026, 8, 2))
        elif write == "extension":
            services.extension_record(actor=worker, proceedings=proceedings, granted_on=D(2026, 8, 2), reason="x")
        else:
            services.final_order_record(actor=worker, proceedings=proceedings, final_order="care",
                                        final_order_on=D(2026, 8, 2), expected_version=1)
    assert "ended with a final order on 1 Aug 2026" in str(error.value)
    assert _rows() == before


@pytest.mark.parametrize("kind, held_on, interim, field", [
    ("cmh", D(2026, 3, 1), "", "held_on"),
    ("party", D(2026, 3, 5), "", "kind"),
    ("cmh", D(2026, 3, 5), "epo", "interim_order"),
])
def test_bad_hearings_are_refused(worker, kind, held_on, interim, field):
    proceedings = CareProceedingsFactory()
    with pytest.raises(ValidationError) as error:
        services.hearing_record(actor=worker, proceedings=proceedings, kind=kind, held_on=held_on,
                                interim_order=interim)
    assert field in error.value.message_dict
    assert not Hearing.objects.exists()


def test_an_extension_needs_a_reason(worker):
    with pytest.raises(ValidationError) as error:
        services.extension_record(actor=worker, proceedings=CareProceedingsFactory(), granted_on=D(2026, 8, 1),
                                  reason=" ")
    assert "reason" in error.value.message_dict
    assert not Extension.objects.exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PERFORMANCE_ANALYST, Role.PARTNER, Role.ADMINISTRATOR])
def test_roles_that_do_not_record_cannot_write(make_user, role):
    with pytest.raises(PermissionDenied):
        services.care_proceedings_record(actor=make_user(role=role), child=ChildFactory(), court="C",
                                         case_number="1", issued_on=D(2026, 3, 2))
    assert not CareProceedings.objects.exists()


# --- LADO -----------------------------------------------------------------------------------------


def _allegation(actor, **overrides):
    values = dict(actor=actor, received_on=D(2026, 3, 2), lado_informed_on=D(2026, 3, 3), person_name="Gary Lamb",
                  person_role="Football coach", employer="Northvale Juniors FC", agency="sport",
                  allegation="Sent messages to a player late at night.")
    values.update(overrides)
    return services.lado_allegation_record(**values)


@pytest.mark.parametrize("role", sorted(Role.values))
def test_only_managers_record_allegations(make_user, role):
    actor = make_user(role=role)
    if role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER):
        assert _allegation(actor).agency == "sport"
    else:
        with pytest.raises(PermissionDenied):
            _allegation(actor)
        assert not LadoAllegation.objects.exists()


def test_children_involved_must_be_visible_to_the_manager(manager):
    child = ChildFactory()
    hidden = ChildFactory(is_restricted=True)
    with pytest.raises(ValidationError) as error:
        _allegation(manager, children=[child.pk, hidden.pk])
    assert "children" in error.value.message_dict
    assert not LadoAllegation.objects.exists()
    allegation = _allegation(manager, children=[child.pk])
    assert list(allegation.children.all()) == [child]


@pytest.mark.parametrize("overrides, field", [
    ({"lado_informed_on": D(2026, 3, 1)}, "lado_informed_on"),
    ({"received_on": D(2099, 3, 1), "lado_informed_on": None}, "received_on"),
    ({"agency": "circus"}, "agency"),
    ({"person_name": ""}, "person_name"),
    ({"allegation": ""}, "allegation"),
])
def test_bad_allegations_are_refused(manager, overrides, field):
    before = _rows()
    with pytest.raises(ValidationError) as error:
        _allegation(manager, **overrides)
    assert field in error.value.message_dict
    assert _rows() == before


def test_meetings_and_outcome(manager):
    allegation = LadoAllegationFactory()
    services.lado_meeting_record(actor=manager, allegation=allegation, kind="strategy", held_on=D(2026, 3, 4),
                                 attendees="DS Cole, Police\nJo Reed, Headteacher", decisions="Police to interview")
    with pytest.raises(ValidationError):
        services.lado_meeting_record(actor=manager, allegation=allegation, kind="evaluation", held_on=D(2026, 3, 1),
                                     attendees="x", decisions="y")
    services.lado_outcome_record(actor=manager, allegation=allegation, outcome="unsubstantiated",
                                 outcome_on=D(2026, 4, 20), expected_version=1)
    allegation.refresh_from_db()
    assert allegation.outcome == "unsubstantiated" and not allegation.is_open
    with pytest.raises(ValidationError):
        services.lado_outcome_record(actor=manager, allegation=allegation, outcome="false",
                                     outcome_on=D(2026, 4, 21), expected_version=2)
    assert LadoMeeting.objects.count() == 1


def test_an_outcome_before_the_allegation_is_refused(manager):
    allegation = LadoAllegationFactory()
    with pytest.raises(ValidationError) as error:
        services.lado_outcome_record(actor=manager, allegation=allegation, outcome="false",
                                     outcome_on=D(2026, 3, 1), expected_version=1)
    assert "outcome_on" in error.value.message_dict
    assert LadoAllegation.objects.get().outcome == ""
