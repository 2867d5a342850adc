"""Referral, assessment, CIN plan and closure rules, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.accounts.roles import CASEWORK_ROLES, Role
from opencsc.assessment import policy, services
from opencsc.assessment.models import Assessment, CINEpisode, CINPlan
from opencsc.casework.models import Plan, PlanAction
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory

from .factories import AssessmentFactory, CINEpisodeFactory

D = dt.date
pytestmark = pytest.mark.django_db

ACTION = {
    "what_must_change": "Maya attends school every day",
    "action": "Mum walks Maya to school; school reports attendance weekly",
    "responsible": "Mum and Ms Patel (school)",
    "due_date": D(2026, 12, 18),
    "measure": "Attendance above 95% for four weeks",
}


@pytest.fixture
def worker(make_user):
    return make_user(role=Role.SOCIAL_WORKER)


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.TEAM_MANAGER)


MARCH_2 = D(2026, 3, 2)


def refer(actor, child, on=MARCH_2, **kw):
    values = {"referral_source": "2A", "primary_need": "N1", **kw}
    return services.referral_create(actor=actor, child=child, referral_date=on, **values)


# --- Referrals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "expected"),
    [(D(2025, 3, 3), True), (D(2025, 3, 2), False), (D(2026, 1, 10), True)],
)
def test_given_a_previous_referral_when_referred_again_then_re_referral_is_flagged_within_12_months(
    worker, previous, expected
):
    child = ChildFactory()
    refer(worker, child, on=previous, referral_nfa=True)
    episode = refer(worker, child, on=D(2026, 3, 3))
    assert episode.is_re_referral is expected
    assert AuditEvent.objects.filter(object_id=str(episode.pk), child=child).count() == 1


def test_given_an_open_episode_when_referred_again_then_refused_and_nothing_changes(worker):
    child = ChildFactory()
    refer(worker, child, on=D(2026, 3, 3))
    with pytest.raises(ValidationError) as error:
        refer(worker, child, on=D(2026, 6, 1))
    assert error.value.messages == ["This child already has an open episode of need, opened on 3 Mar 2026"]
    assert CINEpisode.objects.filter(child=child).count() == 1


def test_given_a_referral_nfa_then_the_episode_closes_the_same_day(worker):
    episode = refer(worker, ChildFactory(), on=D(2026, 3, 3), referral_nfa=True)
    assert (episode.closure_date, episode.reason_for_closure) == (D(2026, 3, 3), "RC7")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"on": D(2099, 1, 1)}, "referral_date", "The referral date must be today or in the past"),
        ({"referral_source": "ZZ"}, "referral_source", "Select who made the referral"),
        ({"primary_need": ""}, "primary_need", "Select the child's primary need"),
    ],
)
def test_bad_referrals_are_refused_and_nothing_changes(worker, values, field, message):
    child = ChildFactory()
    with pytest.raises(ValidationError) as error:
        refer(worker, child, **values)
    assert error.value.message_dict[field] == [message]
    assert not CINEpisode.objects.exists()


def test_a_referral_before_the_last_episode_closed_is_refused(worker):
    child = ChildFactory()
    first = refer(worker, child, on=D(2026, 1, 5))
    services.episode_close(actor=worker, episode=first, closure_date=D(2026, 2, 1), reason_for_closure="RC7")
    with pytest.raises(ValidationError) as error:
        refer(worker, child, on=D(2026, 1, 20))
    assert "after the day the last episode of need closed (1 Feb 2026)" in error.value.messages[0]
    assert CINEpisode.objects.filter(child=child).count() == 1


@pytest.mark.parametrize("role", sorted(set(Role.values) - CASEWORK_ROLES))
def test_roles_that_cannot_record_cannot_refer(make_user, role):
    with pytest.raises(PermissionDenied):
        refer(make_user(role=role), ChildFactory())
    assert not CINEpisode.objects.exists()


# --- Assessments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"start_date": D(2026, 3, 1)}, "start_date",
         "The assessment start date must be the same as or after the referral date (2 Mar 2026)"),
        ({"start_date": D(2099, 3, 1)}, "start_date", "The assessment start date must be today or in the past"),
        ({"child_seen_date": D(2026, 2, 1)}, "child_seen_date",
         "The date the child was seen must be the same as or after the referral date (2 Mar 2026)"),
        ({"child_seen_alone_date": D(2026, 3, 5)}, "child_seen_date",
         "Enter the date the child was seen, if they were seen alone"),
        ({"factors": ["99Z"]}, "factors", "Select assessment factors from the list"),
    ],
)
def test_bad_assessments_are_refused_and_nothing_changes(worker, values, field, message):
    episode = CINEpisodeFactory()
    with pytest.raises(ValidationError) as error:
        services.assessment_start(actor=worker, episode=episode, **{"start_date": D(2026, 3, 3), **values})
    assert error.value.message_dict[field] == [message]
    assert not Assessment.objects.exists()


def test_one_assessment_in_progress_at_a_time(worker):
    episode = CINEpisodeFactory()
    services.assessment_start(actor=worker, episode=episode, start_date=D(2026, 3, 3))
    with pytest.raises(ValidationError):
        services.assessment_start(actor=worker, episode=episode, start_date=D(2026, 3, 4))
    assert episode.assessments.count() == 1


def test_an_assessment_records_views_seen_dates_and_factors(worker):
    episode = CINEpisodeFactory()
    a = services.assessment_start(
        actor=worker, episode=episode, start_date=D(2026, 3, 3), child_seen_date=D(2026, 3, 4),
        child_seen_alone_date=D(2026, 3, 4), childs_views=" I want mum to stop shouting ", factors=["3A", "4B"],
    )
    a.refresh_from_db()
    assert (a.childs_views, a.factors, a.child_seen_alone_date) == ("I want mum to stop shouting", ["3A", "4B"],
                                                                    D(2026, 3, 4))


# --- Authorisation ------------------------------------------------------------------------


def snapshot(assessment):
    assessment.refresh_from_db()
    return (assessment.completed_date, assessment.outcome, assessment.authorised_by_id, assessment.reason_late,
            assessment.version, AuditEvent.objects.count())


@pytest.mark.parametrize(
    ("authorised_on", "outcome", "reason_late", "field", "message"),
    [
        (D(2026, 3, 9), "cin_plan", "", "authorised_on", services.AUTHORISED_BEFORE_START),
        (D(2099, 1, 1), "cin_plan", "", "authorised_on", "The authorisation date must be today or in the past"),
        (D(2026, 5, 8), "cin_plan", "", "reason_late", services.LATE_REASON_REQUIRED),  # day 46
        (D(2026, 5, 8), "cin_plan", "   ", "reason_late", services.LATE_REASON_REQUIRED),
        (D(2026, 5, 1), "", "", "outcome", "Select the outcome of the assessment"),
    ],
)
def test_refused_authorisations_change_nothing(manager, authorised_on, outcome, reason_late, field, message):
    assessment = AssessmentFactory(start_date=D(2026, 3, 10), submitted=True)
    before = snapshot(assessment)
    with pytest.raises(ValidationError) as error:
        services.assessment_authorise(actor=manager, assessment=assessment, authorised_on=authorised_on,
                                      outcome=outcome, reason_late=reason_late)
    assert error.value.message_dict[field] == [message]
    assert snapshot(assessment) == before


@pytest.mark.parametrize("role", sorted(set(Role.values) - policy.may_authorise_assessment.roles))
def test_only_managers_authorise(make_user, role):
    assessment = AssessmentFactory(submitted=True)
    before = snapshot(assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_authorise(actor=make_user(role=role), assessment=assessment,
                                      authorised_on=D(2026, 4, 1), outcome="nfa")
    assert snapshot(assessment) == before


@pytest.mark.parametrize(
    ("authorised_on", "late"),
    [(D(2026, 5, 7), False), (D(2026, 5, 8), True)],  # 45 and 46 working days after 2 Mar 2026
)
def test_authorising_on_the_45th_working_day_needs_no_reason(manager, authorised_on, late):
    assessment = AssessmentFactory(submitted=True)
    services.assessment_authorise(actor=manager, assessment=assessment, authorised_on=authorised_on,
                                  outcome="cin_plan", reason_late="Waiting for the paediatric report")
    assessment.refresh_from_db()
    assert assessment.completed_date == authorised_on
    assert assessment.authorised_by == manager
    assert (assessment.reason_late != "") is late


def test_an_assessment_without_analysis_cannot_be_authorised(manager):
    assessment = AssessmentFactory(analysis="", submitted=True)
    with pytest.raises(ValidationError) as error:
        services.assessment_authorise(actor=manager, assessment=assessment, authorised_on=D(2026, 4, 1),
                                      outcome="nfa")
    assert error.value.messages == ["Record the analysis before the assessment is authorised"]


def test_an_authorised_assessment_cannot_be_changed(worker, manager):
    assessment = AssessmentFactory(submitted=True)
    services.assessment_authorise(actor=manager, assessment=assessment, authorised_on=D(2026, 4, 1), outcome="nfa")
    assessment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.assessment_update(actor=worker, assessment=assessment, expected_version=assessment.version,
                                   analysis="Changed")
    assessment.refresh_from_db()
    assert assessment.analysis.startswith("Risks")


# --- CIN plans and closure ----------------------------------------------------------------


def test_starting_a_cin_plan_makes_a_casework_plan_with_its_actions(worker):
    episode = CINEpisodeFactory()
    link = services.cin_plan_start(actor=worker, episode=episode, start_date=D(2026, 4, 2),
                                   summary="Maya is safe and in school", actions=[ACTION])
    assert link.plan.kind == Plan.Kind.CHILD_IN_NEED and link.plan.child == episode.child
    assert list(link.plan.actions.values_list("what_must_change", flat=True)) == [ACTION["what_must_change"]]


@pytest.mark.parametrize(
    ("start_date", "actions", "field"),
    [
        (D(2026, 4, 2), [], "actions"),
        (D(2026, 3, 1), [ACTION], "start_date"),  # before the referral
        (D(2099, 3, 1), [ACTION], "start_date"),
        (D(2026, 4, 2), [{**ACTION, "measure": ""}], "measure"),
    ],
)
def test_refused_cin_plans_change_nothing(worker, start_date, actions, field):
    episode = CINEpisodeFactory()
    with pytest.raises(ValidationError) as error:
        services.cin_plan_start(actor=worker, episode=episode, start_date=start_date, actions=actions)
    assert field in error.value.message_dict
    assert (Plan.objects.count(), PlanAction.objects.count(), CINPlan.objects.count()) == (0, 0, 0)


def test_closing_ends_the_cin_plan_and_records_step_down(worker, manager):
    episode = CINEpisodeFactory()
    AssessmentFactory(episode=episode, completed_date=D(2026, 4, 1), outcome="cin_plan", authorised_by=manager)
    link = services.cin_plan_start(actor=worker, episode=episode, start_date=D(2026, 4, 2), actions=[ACTION])
    services.episode_close(actor=worker, episode=episode, closure_date=D(2026, 9, 30), reason_for_closure="RC9")
    episode.refresh_from_db()
    link.plan.refresh_from_db()
    assert link.plan.end_date == D(2026, 9, 30)
    assert (episode.closure_date, episode.reason_for_closure) == (D(2026, 9, 30), "RC9")
    assert (episode.step_down_to_early_help, episode.step_down_date) == (True, D(2026, 9, 30))


@pytest.mark.parametrize(
    ("closure_date", "reason", "field"),
    [
        (D(2026, 3, 1), "RC7", "closure_date"),  # before the referral
        (D(2026, 4, 1), "RC7", "closure_date"),  # before the CIN plan started
        (D(2099, 4, 1), "RC7", "closure_date"),
        (D(2026, 9, 1), "RC99", "reason_for_closure"),
    ],
)
def test_refused_closures_change_nothing(worker, manager, closure_date, reason, field):
    episode = CINEpisodeFactory()
    AssessmentFactory(episode=episode, completed_date=D(2026, 3, 20), outcome="cin_plan", authorised_by=manager)
    link = services.cin_plan_start(actor=worker, episode=episode, start_date=D(2026, 4, 2), actions=[ACTION])
    with pytest.raises(ValidationError) as error:
        services.episode_close(actor=worker, episode=episode, closure_date=closure_date, reason_for_closure=reason)
    assert field in error.value.message_dict
    episode.refresh_from_db()
    link.plan.refresh_from_db()
    assert (episode.closure_date, episode.version, link.plan.end_date) == (None, 1, None)


def test_an_episode_with_an_assessment_in_progress_cannot_be_closed(worker):
    episode = AssessmentFactory().episode
    with pytest.raises(ValidationError):
        services.episode_close(actor=worker, episode=episode, closure_date=D(2026, 4, 1), reason_for_closure="RC7")
    episode.refresh_from_db()
    assert episode.closure_date is None


# --- Child protection plans inside the episode ----------------------------------------------


def _cp_plan_in(worker, episode, start, end=None):
    from opencsc.protection.tests.helpers import cp_plan

    return cp_plan(worker, episode.child, start, end=end)


def test_an_episode_with_an_open_child_protection_plan_cannot_be_closed_and_nothing_changes(worker):
    episode = refer(worker, ChildFactory(date_of_birth=D(2015, 5, 1)), on=MARCH_2)
    cp = _cp_plan_in(worker, episode, D(2026, 3, 9))
    audit_before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        services.episode_close(actor=worker, episode=episode, closure_date=D(2026, 9, 1), reason_for_closure="RC7")

    assert error.value.messages == ["End the child protection plan before closing the episode"]
    episode.refresh_from_db()
    cp.plan.refresh_from_db()
    assert (episode.closure_date, episode.reason_for_closure, episode.version) == (None, "", 1)
    assert cp.plan.end_date is None
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.parametrize(
    ("closure_date", "closes"),
    [(D(2026, 6, 30), False), (D(2026, 7, 1), True), (D(2026, 9, 1), True)],
)
def test_an_episode_closes_on_or_after_its_child_protection_plan_ended(worker, closure_date, closes):
    episode = refer(worker, ChildFactory(date_of_birth=D(2015, 5, 1)), on=MARCH_2)
    _cp_plan_in(worker, episode, D(2026, 3, 9), end=D(2026, 7, 1))

    call = lambda: services.episode_close(  # noqa: E731
        actor=worker, episode=episode, closure_date=closure_date, reason_for_closure="RC7")
    if closes:
        call()
    else:
        with pytest.raises(ValidationError) as error:
            call()
        assert error.value.message_dict["closure_date"] == [
            "The closure date must be the same as or after the child protection plan ended (1 Jul 2026)"]
    episode.refresh_from_db()
    assert episode.closure_date == (closure_date if closes else None)


def test_a_plan_in_an_earlier_episode_does_not_stop_a_later_one_closing(worker):
    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    first = refer(worker, child, on=D(2025, 1, 6))
    _cp_plan_in(worker, first, D(2025, 1, 13), end=D(2025, 6, 2))
    services.episode_close(actor=worker, episode=first, closure_date=D(2025, 6, 2), reason_for_closure="RC7")
    second = refer(worker, child, on=MARCH_2)

    services.episode_close(actor=worker, episode=second, closure_date=D(2026, 3, 3), reason_for_closure="RC7")

    second.refresh_from_db()
    assert second.closure_date == D(2026, 3, 3)
