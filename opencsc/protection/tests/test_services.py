"""The rules of the child protection services; every refusal changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.assessment import services as assessment_services
from opencsc.assessment.models import CINEpisode
from opencsc.casework.models import Meeting, Plan, PlanAction
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection import services
from opencsc.protection.models import (
    Conference,
    CPPlan,
    EmergencyProtectionOrder,
    PoliceProtection,
    Section47,
    StrategyDiscussion,
)
from opencsc.protection.selectors import cp_plans_for, plan_flags
from opencsc.protection.tests.helpers import ACTION, HEALTH, POLICE, cp_plan, icpc, referral, strategy

D = dt.date
MODELS = (StrategyDiscussion, Section47, Conference, CPPlan, Plan, PlanAction, Meeting, PoliceProtection,
          EmergencyProtectionOrder, AuditEvent, CINEpisode)


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


@pytest.fixture
def child(db, worker):
    """A child with an episode of need open since 2 Jan 2023."""
    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    referral(worker, child, D(2023, 1, 2))
    return child


def refused(call, message):
    before = counts()
    with pytest.raises(ValidationError) as error:
        call()
    assert message in " ".join(error.value.messages)
    assert counts() == before


# --- Strategy discussions and section 47 ------------------------------------------------------


def test_a_strategy_discussion_deciding_s47_starts_an_enquiry_on_its_date(worker, child):
    discussion = strategy(worker, child, D(2026, 3, 2))

    assert discussion.meeting.kind == Meeting.Kind.STRATEGY
    assert [(a.agency, a.status) for a in discussion.meeting.attendance.order_by("id")] == [
        ("Police", "attended"), ("Health", "absent")]
    assert discussion.section47.start_date == D(2026, 3, 2)
    assert discussion.section47.outcome == ""


@pytest.mark.parametrize("decision", ["nfa", "other"])
def test_other_decisions_start_no_enquiry(worker, child, decision):
    strategy(worker, child, D(2026, 3, 2), decision=decision)
    assert Section47.objects.count() == 0
    assert StrategyDiscussion.objects.get().decision == decision


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"information_shared": " "}, "Enter the information shared"),
        ({"decision": "maybe"}, "Select the decision"),
        ({"attendance": []}, "Enter at least one person who took part"),
        ({"held_on": D(2099, 1, 1)}, "must be today or in the past"),
        ({"attendance": [{"name": "A Person", "agency": ""}]}, "Enter the agency of A Person"),
    ],
)
def test_an_incomplete_strategy_discussion_is_refused(worker, child, changes, message):
    values = {"held_on": D(2026, 3, 2), "decision": "s47", **changes}
    refused(lambda: strategy(worker, child, **values), message)


def test_a_second_enquiry_cannot_start_while_one_is_in_progress(worker, child):
    strategy(worker, child, D(2026, 3, 2))
    refused(lambda: strategy(worker, child, D(2026, 3, 5)),
            "A section 47 enquiry is already in progress (started 2 Mar 2026)")


def test_a_follow_up_discussion_without_s47_leaves_the_enquiry_start_alone(worker, child):
    first = strategy(worker, child, D(2026, 3, 2))
    strategy(worker, child, D(2026, 3, 5), decision="other")
    assert Section47.objects.get().start_date == first.held_on == D(2026, 3, 2)


@pytest.mark.parametrize(
    ("outcome", "icpc_not_required"),
    [("substantiated", False), ("not_substantiated", True), ("other", True)],
)
def test_the_s47_outcome_sets_whether_a_conference_is_needed(worker, child, outcome, icpc_not_required):
    enquiry = strategy(worker, child, D(2026, 3, 2)).section47
    services.section47_outcome_record(actor=worker, section47=enquiry, outcome=outcome, completed_on=D(2026, 3, 9))
    enquiry.refresh_from_db()
    assert (enquiry.outcome, enquiry.icpc_not_required, enquiry.completed_on) == (
        outcome, icpc_not_required, D(2026, 3, 9))


@pytest.mark.parametrize(
    ("completed_on", "outcome", "message"),
    [
        (D(2026, 3, 1), "substantiated", "The completion date must be on or after the strategy discussion on 2 Mar 2026"),
        (D(2099, 1, 1), "substantiated", "must be today or in the past"),
        (D(2026, 3, 9), "", "Select the outcome of the enquiry"),
    ],
)
def test_a_wrong_s47_outcome_is_refused(worker, child, completed_on, outcome, message):
    enquiry = strategy(worker, child, D(2026, 3, 2)).section47
    refused(lambda: services.section47_outcome_record(actor=worker, section47=enquiry, outcome=outcome,
                                                      completed_on=completed_on), message)
    enquiry.refresh_from_db()
    assert enquiry.outcome == "" and enquiry.completed_on is None


def test_an_s47_outcome_is_recorded_once(worker, child):
    enquiry = strategy(worker, child, D(2026, 3, 2)).section47
    services.section47_outcome_record(actor=worker, section47=enquiry, outcome="substantiated",
                                      completed_on=D(2026, 3, 9))
    enquiry.refresh_from_db()
    refused(lambda: services.section47_outcome_record(actor=worker, section47=enquiry, outcome="other",
                                                      completed_on=D(2026, 3, 10)), "already been recorded")


# --- Conferences ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held_on", "allowed"),
    [(D(2026, 3, 1), False), (D(2026, 3, 2), True), (D(2026, 3, 20), True)],
)
def test_an_icpc_cannot_be_before_the_strategy_discussion(worker, child, held_on, allowed):
    enquiry = strategy(worker, child, D(2026, 3, 2)).section47
    if allowed:
        assert icpc(worker, child, enquiry, held_on).held_on == held_on
    else:
        refused(lambda: icpc(worker, child, enquiry, held_on),
                "The conference date must be on or after the strategy discussion on 2 Mar 2026")


@pytest.mark.parametrize("outcome", ["not_substantiated", "other"])
def test_no_icpc_after_an_enquiry_that_found_no_need(worker, child, outcome):
    enquiry = strategy(worker, child, D(2026, 3, 2)).section47
    services.section47_outcome_record(actor=worker, section47=enquiry, outcome=outcome, completed_on=D(2026, 3, 9))
    enquiry.refresh_from_db()
    refused(lambda: icpc(worker, child, enquiry, D(2026, 3, 12)), "no conference was needed")


def test_one_icpc_per_enquiry(worker, child):
    enquiry = strategy(worker, child, D(2026, 3, 2)).section47
    icpc(worker, child, enquiry, D(2026, 3, 12), decision="no_plan", category="")
    refused(lambda: icpc(worker, child, enquiry, D(2026, 3, 13)), "already been recorded for this enquiry")


@pytest.mark.parametrize(
    ("kind", "decision", "category", "message"),
    [
        ("initial", "continues", "NEG", "Select the conference's decision"),
        ("initial", "plan", "", "Select the category of abuse"),
        ("initial", "plan", "XXX", "Select the category of abuse"),
        ("review", "continues", "", "The child has no child protection plan to review"),
        ("transfer_in", "plan", "NEG", "Enter the date the notification of the transfer was received"),
    ],
)
def test_a_wrong_conference_is_refused(worker, child, kind, decision, category, message):
    enquiry = strategy(worker, child, D(2026, 3, 2)).section47
    refused(lambda: services.conference_record(actor=worker, child=child, kind=kind, held_on=D(2026, 3, 12),
                                               decision=decision, category=category, section47=enquiry,
                                               attendance=[POLICE]), message)


def test_an_icpc_needs_an_enquiry_of_this_child(worker, child):
    other = strategy(worker, ChildFactory(), D(2026, 3, 2)).section47
    refused(lambda: icpc(worker, child, other, D(2026, 3, 12)), "Select the section 47 enquiry")
    refused(lambda: icpc(worker, child, None, D(2026, 3, 12)), "Select the section 47 enquiry")


def test_a_transfer_in_conference_is_not_before_the_notification(worker, child):
    def record(held_on):
        return services.conference_record(actor=worker, child=child, kind="transfer_in", held_on=held_on,
                                          decision="plan", category="EMO", transfer_notified_on=D(2026, 3, 2),
                                          attendance=[POLICE])

    refused(lambda: record(D(2026, 3, 1)), "on or after the notification on 2 Mar 2026")
    conference = record(D(2026, 3, 20))
    plan = services.cp_plan_start(actor=worker, conference=conference, contingency="C", actions=[ACTION])
    assert plan.start_date == D(2026, 3, 20) and plan.initial_category == "EMO"


# --- Plans ------------------------------------------------------------------------------------


def test_a_plan_starts_on_the_conference_date_with_actions_and_contingency(worker, child):
    enquiry = strategy(worker, child, D(2025, 3, 3)).section47
    conference = icpc(worker, child, enquiry, D(2025, 3, 20), category="PHY")

    plan = services.cp_plan_start(actor=worker, conference=conference, contingency="Legal planning meeting",
                                  actions=[ACTION], summary="Safe at home")

    assert plan.plan.kind == Plan.Kind.CHILD_PROTECTION
    assert plan.start_date == D(2025, 3, 20)
    assert plan.plan.review_due == D(2025, 6, 20)
    assert (plan.initial_category, plan.latest_category) == ("PHY", "PHY")
    assert plan.plan.contingency == "Legal planning meeting"
    assert list(plan.plan.actions.values_list("responsible", flat=True)) == ["Ms Dean"]
    conference.meeting.refresh_from_db()
    assert conference.meeting.plan_id == plan.plan_id


@pytest.mark.parametrize("decision", ["no_plan"])
def test_a_plan_without_a_conference_deciding_on_one_is_refused(worker, child, decision):
    enquiry = strategy(worker, child, D(2025, 3, 3)).section47
    conference = icpc(worker, child, enquiry, D(2025, 3, 20), decision=decision, category="")
    refused(lambda: services.cp_plan_start(actor=worker, conference=conference, contingency="C", actions=[ACTION]),
            services.PLAN_NEEDS_CONFERENCE)


def test_a_review_conference_cannot_start_a_plan(worker, child):
    plan = cp_plan(worker, child, D(2025, 3, 3))
    review = services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 6, 1),
                                        decision="continues", attendance=[POLICE])
    assert review.cp_plan == plan
    refused(lambda: services.cp_plan_start(actor=worker, conference=review, contingency="C", actions=[ACTION]),
            services.PLAN_NEEDS_CONFERENCE)


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"contingency": ""}, "Enter the contingency plan"), ({"actions": []}, "Add at least one action"),
     ({"actions": [{**ACTION, "measure": ""}]}, "Enter how you will know it has worked")],
)
def test_a_plan_needs_a_contingency_and_smart_actions(worker, child, changes, message):
    enquiry = strategy(worker, child, D(2025, 3, 3)).section47
    conference = icpc(worker, child, enquiry, D(2025, 3, 20))
    values = {"contingency": "Legal planning meeting", "actions": [ACTION], **changes}
    refused(lambda: services.cp_plan_start(actor=worker, conference=conference, **values), message)


def test_only_one_plan_per_conference(worker, child):
    plan = cp_plan(worker, child, D(2025, 3, 3))
    refused(lambda: services.cp_plan_start(actor=worker, conference=plan.conference, contingency="C",
                                           actions=[ACTION]), "already been started from this conference")


def test_no_icpc_while_a_plan_is_open(worker, child):
    cp_plan(worker, child, D(2025, 3, 3))
    discussion = strategy(worker, child, D(2025, 5, 1))
    refused(lambda: icpc(worker, child, discussion.section47, D(2025, 5, 5)), "Record a review conference instead")


@pytest.mark.parametrize(("end", "allowed"), [(D(2025, 3, 2), False), (D(2025, 3, 3), True), (D(2025, 9, 1), True)])
def test_a_plan_cannot_end_before_it_started(worker, child, end, allowed):
    plan = cp_plan(worker, child, D(2025, 3, 3))
    if allowed:
        services.cp_plan_end(actor=worker, cp_plan=plan, end_date=end, end_reason="moved")
        plan.plan.refresh_from_db()
        assert plan.end_date == end
    else:
        refused(lambda: services.cp_plan_end(actor=worker, cp_plan=plan, end_date=end, end_reason="moved"),
                "The end date must be the same as or after the plan's start date")
        plan.plan.refresh_from_db()
        assert plan.end_date is None


def test_a_review_updates_the_latest_category_and_can_end_the_plan(worker, child):
    plan = cp_plan(worker, child, D(2025, 3, 3))
    services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 6, 1),
                               decision="continues", category="EMO", attendance=[POLICE, HEALTH])
    plan.refresh_from_db()
    assert (plan.initial_category, plan.latest_category, plan.plan.end_date) == ("NEG", "EMO", None)

    ending = services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 11, 1),
                                        decision="ends", attendance=[POLICE], end_reason="no_longer_at_risk")
    plan.refresh_from_db()
    plan.plan.refresh_from_db()
    assert plan.end_date == D(2025, 11, 1)
    assert plan.ended_by_conference == ending
    assert plan.end_reason == "no_longer_at_risk"


def test_a_review_before_the_plan_started_is_refused(worker, child):
    cp_plan(worker, child, D(2025, 3, 3))
    refused(lambda: services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 3, 2),
                                               decision="continues", attendance=[POLICE]),
            "The review date must be on or after the plan started on 3 Mar 2025")


def test_second_and_subsequent_plans_are_flagged_and_counted(worker, child):
    first = cp_plan(worker, child, D(2024, 1, 8), end=D(2024, 6, 3))
    second = cp_plan(worker, child, D(2025, 1, 6), end=D(2025, 4, 7))
    third = cp_plan(worker, child, D(2025, 6, 2))
    unrelated = cp_plan(worker, ChildFactory(), D(2023, 1, 9))

    plans = {p.pk: p for p in cp_plans_for(type(child).objects.all())}
    assert [plans[p.pk].previous_plans for p in (first, second, third, unrelated)] == [0, 1, 2, 0]
    assert [plan_flags(plans[p.pk], D(2025, 7, 1)).repeat for p in (first, second, third)] == [False, True, True]


@pytest.mark.parametrize(("today", "long"), [(D(2026, 1, 5), False), (D(2026, 1, 6), True)])
def test_an_open_plan_is_flagged_on_its_second_anniversary(worker, child, today, long):
    cp_plan(worker, child, D(2024, 1, 6))
    plan = cp_plans_for(type(child).objects.all()).get()
    assert plan_flags(plan, today).long is long


# --- Police protection and EPOs ---------------------------------------------------------------


def aware(*args):
    from django.utils import timezone

    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.mark.parametrize(
    ("ended_at", "ended_how", "message"),
    [
        (aware(2026, 3, 5, 14, 1), "returned", "Police protection cannot last more than 72 hours"),
        (aware(2026, 3, 2, 13, 0), "returned", "must be after its start"),
        (aware(2026, 3, 3, 9, 0), "", "Select how police protection ended"),
    ],
)
def test_wrong_police_protection_is_refused(worker, child, ended_at, ended_how, message):
    refused(lambda: services.police_protection_record(actor=worker, child=child, started_at=aware(2026, 3, 2, 14, 0),
                                                      ended_at=ended_at, ended_how=ended_how, circumstances="Found"),
            message)


def test_police_protection_up_to_72_hours_is_recorded(worker, child):
    record = services.police_protection_record(actor=worker, child=child, started_at=aware(2026, 3, 2, 14, 0),
                                               ended_at=aware(2026, 3, 5, 14, 0), ended_how="epo",
                                               circumstances="Found alone")
    assert record.ended_how == "epo"


@pytest.mark.parametrize(
    ("expires_on", "extended_to", "ended_on", "message"),
    [
        (D(2026, 3, 11), None, None, "cannot last more than 8 days (until 10 Mar 2026)"),
        (D(2026, 3, 1), None, None, "on or after the date the order was made"),
        (D(2026, 3, 10), D(2026, 3, 18), None, "extended by 7 days at most"),
        (D(2026, 3, 10), D(2026, 3, 10), None, "must end after the order's expiry date"),
        (D(2026, 3, 10), None, D(2026, 3, 11), "on or before its expiry (10 Mar 2026)"),
    ],
)
def test_wrong_epo_is_refused(worker, child, expires_on, extended_to, ended_on, message):
    refused(lambda: services.epo_record(actor=worker, child=child, made_on=D(2026, 3, 2), expires_on=expires_on,
                                        extended_to=extended_to, ended_on=ended_on, circumstances="Court"), message)


def test_an_epo_of_8_days_extended_by_7_is_recorded(worker, child):
    order = services.epo_record(actor=worker, child=child, made_on=D(2026, 3, 2), expires_on=D(2026, 3, 10),
                                extended_to=D(2026, 3, 17), ended_on=D(2026, 3, 17), circumstances="Court")
    assert order.extended_to == D(2026, 3, 17)


@pytest.mark.parametrize("role", ["performance_analyst", "auditor", "partner", "administrator"])
def test_roles_that_cannot_record_change_nothing(make_user, child, role):
    user = make_user(role)
    before = counts()
    with pytest.raises(PermissionDenied):
        strategy(user, child, D(2026, 3, 2))
    assert counts() == before


# --- The episode of need -------------------------------------------------------------------

NO_EPISODE = ("Record a referral for this child before the strategy discussion: "
              "a strategy discussion belongs to an open episode of need")


def _close(worker, episode, on):
    assessment_services.episode_close(actor=worker, episode=episode, closure_date=on, reason_for_closure="RC7")


@pytest.mark.parametrize("history", ["never_referred", "episode_closed"])
def test_a_strategy_discussion_without_an_open_episode_is_refused_and_changes_nothing(worker, history):
    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    if history == "episode_closed":
        _close(worker, referral(worker, child, D(2026, 1, 5)), D(2026, 2, 2))

    refused(lambda: services.strategy_discussion_record(
        actor=worker, child=child, held_on=D(2026, 3, 2), information_shared="Bruising", decision="s47",
        attendance=[POLICE]), NO_EPISODE)


@pytest.mark.parametrize(("held_on", "allowed"), [(D(2026, 2, 27), False), (D(2026, 3, 2), True)])
def test_a_strategy_discussion_is_not_before_the_referral(worker, held_on, allowed):
    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    referral(worker, child, D(2026, 3, 2))

    def call():
        return services.strategy_discussion_record(
            actor=worker, child=child, held_on=held_on, information_shared="Bruising", decision="s47",
            attendance=[POLICE])

    if allowed:
        assert call().episode.referral_date == D(2026, 3, 2)
    else:
        refused(call, "The date of the strategy discussion must be on or after the referral date (2 Mar 2026)")


def test_every_protection_record_belongs_to_the_episode_open_at_the_time(worker, child):
    episode = CINEpisode.objects.get(child=child)
    cp = cp_plan(worker, child, D(2025, 3, 3))
    review = services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 6, 2),
                                        decision="continues", attendance=[POLICE])
    discussion = cp.conference.section47.strategy_discussion

    assert [discussion.episode, discussion.section47.episode, cp.conference.episode, cp.episode,
            review.episode] == [episode] * 5
    assert list(episode.cp_plans.all()) == [cp]
    assert list(episode.strategy_discussions.all()) == [discussion]
    assert list(episode.section47s.all()) == [discussion.section47]
    assert set(episode.cp_conferences.all()) == {cp.conference, review}


def test_a_later_episode_gets_its_own_records(worker, child):
    first = CINEpisode.objects.get(child=child)
    old = cp_plan(worker, child, D(2023, 1, 9), end=D(2023, 6, 5))
    _close(worker, first, D(2023, 6, 5))
    second = referral(worker, child, D(2025, 3, 3))

    new = cp_plan(worker, child, D(2025, 3, 10))

    assert (old.episode, new.episode) == (first, second)
    assert new.conference.section47.strategy_discussion.episode == second


def test_a_transfer_in_conference_without_an_open_episode_is_refused_and_changes_nothing(worker):
    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    refused(lambda: services.conference_record(
        actor=worker, child=child, kind="transfer_in", held_on=D(2026, 3, 20), transfer_notified_on=D(2026, 3, 3),
        decision="plan", category="NEG", attendance=[POLICE]),
        "Record a referral for this child before the transfer-in conference")


def test_a_transfer_in_conference_belongs_to_the_open_episode_and_is_not_before_its_referral(worker):
    child = ChildFactory(date_of_birth=D(2015, 5, 1))
    episode = referral(worker, child, D(2026, 3, 10))

    def call(held_on):
        return services.conference_record(
            actor=worker, child=child, kind="transfer_in", held_on=held_on, transfer_notified_on=D(2026, 3, 3),
            decision="plan", category="NEG", attendance=[POLICE])

    refused(lambda: call(D(2026, 3, 9)), "The date of the conference must be on or after the referral date")
    conference = call(D(2026, 3, 20))
    plan = services.cp_plan_start(actor=worker, conference=conference, contingency="C", actions=[ACTION])
    assert (conference.episode, plan.episode) == (episode, episode)


def test_no_icpc_or_plan_once_the_enquiry_s_episode_has_closed(worker, child):
    episode = CINEpisode.objects.get(child=child)
    enquiry = strategy(worker, child, D(2026, 3, 2)).section47
    _close(worker, episode, D(2026, 3, 20))

    refused(lambda: icpc(worker, child, enquiry, D(2026, 3, 23)),
            "The episode of need closed on 20 Mar 2026. Record a new referral before the conference")


def test_no_plan_from_a_conference_whose_episode_has_since_closed(worker, child):
    episode = CINEpisode.objects.get(child=child)
    conference = icpc(worker, child, strategy(worker, child, D(2026, 3, 2)).section47, D(2026, 3, 16))
    _close(worker, episode, D(2026, 3, 20))

    refused(lambda: services.cp_plan_start(actor=worker, conference=conference, contingency="C", actions=[ACTION]),
            "The episode of need closed on 20 Mar 2026")
