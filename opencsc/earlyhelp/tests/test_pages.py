"""Early help through its pages: episodes, assessment with starting scores, plan, reviews, the team
around the family, closure, step-down and step-up with the panel's decision, and the dashboard."""

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.accounts.roles import CASEWORK_ROLES, Role
from opencsc.assessment.tests.factories import CINEpisodeFactory
from opencsc.casework.models import Plan
from opencsc.casework.selectors import chronology_for
from opencsc.casework.summary import services_for
from opencsc.core.models import AuditEvent
from opencsc.earlyhelp import policy, services
from opencsc.earlyhelp.models import (
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    Family,
    OutcomeArea,
    OutcomeScore,
    Review,
    StepRequest,
    TeamMember,
)
from opencsc.people.models import Relationship
from opencsc.people.tests.factories import ChildFactory

from .factories import ACTION, ALL_FIVES, EarlyHelpEpisodeFactory, StepRequestFactory

pytestmark = pytest.mark.django_db
D = dt.date


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def score_fields(value):
    return {f"score_{area.value}": value for area in OutcomeArea}


def url(name, episode, *extra):
    return reverse(f"earlyhelp:{name}", args=[episode.child_id, episode.pk, *extra])


def start_data(**overrides):
    data = {**date_fields("start_date", D(2026, 2, 2)), "source": "request",
            "reason": "Mother asked for help with the children's routines."}
    data.update(overrides)
    return data


def completed_episode(actor, **kwargs):
    """An episode whose assessment is complete, through the services."""
    episode = EarlyHelpEpisodeFactory(**kwargs)
    services.assessment_record(actor=actor, episode=episode, start_date=D(2026, 2, 3),
                               wishes_and_feelings="Jay wants mum to be less stressed.",
                               completed_date=D(2026, 2, 20), scores=ALL_FIVES)
    return episode


# --- Episodes and families ----------------------------------------------------------------


def test_starting_early_help_opens_a_family_and_a_sibling_joins_it(signed_in):
    client = signed_in(Role.SOCIAL_WORKER)
    first, second = ChildFactory(last_name="Okafor"), ChildFactory(last_name="Okafor")
    Relationship.objects.create(child=second, related_child=first, person=None, kind="sibling")
    response = client.post(reverse("earlyhelp:episode_start", args=[first.pk]), start_data())
    episode = EarlyHelpEpisode.objects.get(child=first)
    assert response["Location"] == url("episode_detail", episode)
    assert episode.family.name == "Okafor family"
    client.post(reverse("earlyhelp:episode_start", args=[second.pk]), start_data())
    assert EarlyHelpEpisode.objects.get(child=second).family == episode.family
    assert Family.objects.count() == 1
    assert services_for(first) == ["Early help"]


def test_a_second_open_episode_is_refused_and_nothing_changes(signed_in):
    episode = EarlyHelpEpisodeFactory()
    client = signed_in(Role.SOCIAL_WORKER)
    page = reverse("earlyhelp:episode_start", args=[episode.child_id])
    assert client.get(page)["Location"] == url("episode_detail", episode)
    audits = AuditEvent.objects.count()
    response = client.post(page, start_data())
    assert "already has an open early help episode, started on 2 Feb 2026" in response.content.decode()
    assert EarlyHelpEpisode.objects.count() == 1
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize("overrides, field, message", [
    ({"reason": " "}, "reason", "Enter why the family needs early help"),
    (date_fields("start_date", D(2099, 1, 1)), "start_date", "The start date must be today or in the past"),
    ({"source": "step_down"}, "source", services.NO_STEP_DOWN),
])
def test_an_incomplete_start_is_refused(signed_in, overrides, field, message):
    child = ChildFactory()
    client = signed_in(Role.SOCIAL_WORKER)
    response = client.post(reverse("earlyhelp:episode_start", args=[child.pk]), start_data(**overrides))
    assert message in response.context["form"].errors[field]
    assert not EarlyHelpEpisode.objects.exists() and not Family.objects.exists()


# --- Assessment, plan and reviews ---------------------------------------------------------


def test_the_assessment_is_saved_as_a_draft_then_completed_with_starting_scores(signed_in):
    episode = EarlyHelpEpisodeFactory()
    client = signed_in(Role.SOCIAL_WORKER)
    page = url("assessment", episode)
    client.post(page, {**date_fields("start_date", D(2026, 2, 3)), "history": "Known to school nurse."})
    assessment = EarlyHelpAssessment.objects.get(episode=episode)
    assert assessment.completed_date is None and not OutcomeScore.objects.exists()

    refused = client.post(page, {**date_fields("start_date", D(2026, 2, 3)), "version": assessment.version,
                                 **date_fields("completed_date", D(2026, 2, 20))})
    errors = refused.context["form"].errors
    assert "Record the child's wishes and feelings before completing the assessment" in errors["wishes_and_feelings"]
    assert services.SCORE_EVERY_AREA in errors["__all__"]
    assessment.refresh_from_db()
    assert assessment.completed_date is None and not OutcomeScore.objects.exists()

    assert "Known to school nurse." in client.get(page).content.decode()  # the draft is shown to continue
    client.post(page, {**date_fields("start_date", D(2026, 2, 3)), "version": assessment.version,
                       "history": "Known to school nurse.", "wishes_and_feelings": "Wants more time with dad.",
                       **date_fields("completed_date", D(2026, 2, 20)), **score_fields(4)})
    assessment.refresh_from_db()
    assert assessment.completed_date == D(2026, 2, 20)
    assert assessment.history == "Known to school nurse."
    assert sorted(OutcomeScore.objects.filter(review=None).values_list("area", flat=True)) == sorted(OutcomeArea.values)
    assert client.get(page).status_code == 404  # a completed assessment is not changed


def test_the_plan_waits_for_the_assessment_then_is_an_early_help_plan(signed_in):
    client = signed_in(Role.SOCIAL_WORKER)
    episode = EarlyHelpEpisodeFactory()
    data = {**date_fields("start_date", D(2026, 2, 23)), "summary": "Calmer mornings, Jay in school on time.",
            **{f"action-1-{k}": v for k, v in ACTION.items() if k != "due_date"},
            **date_fields("action-1-due_date", ACTION["due_date"])}
    refused = client.post(url("plan_start", episode), data)
    assert services.ASSESS_FIRST in refused.content.decode()
    assert not Plan.objects.exists()

    services.assessment_record(actor=client.user, episode=episode, start_date=D(2026, 2, 3),
                               wishes_and_feelings="Happy at school.", completed_date=D(2026, 2, 20),
                               scores=ALL_FIVES)
    client.post(url("plan_start", episode), data)
    link = EarlyHelpPlan.objects.get(episode=episode)
    assert link.plan.kind == Plan.Kind.EARLY_HELP
    assert [a.what_must_change for a in link.plan.actions.all()] == [ACTION["what_must_change"]]


def test_a_review_rescores_every_area_and_shows_the_change(signed_in):
    client = signed_in(Role.SOCIAL_WORKER)
    episode = completed_episode(client.user)
    services.plan_start(actor=client.user, episode=episode, start_date=D(2026, 2, 23), actions=[ACTION])
    page = url("review_add", episode)
    base = {**date_fields("held_on", D(2026, 3, 23)), "progress": "Mornings calmer; attendance up.",
            **date_fields("next_review_due", D(2026, 5, 18))}
    partial = {**base, **score_fields(7)}
    partial.pop("score_work")
    refused = client.post(page, partial)
    assert services.SCORE_EVERY_AREA in refused.content.decode()
    assert not Review.objects.exists()

    client.post(page, {**base, **score_fields(7)})
    review = Review.objects.get(episode=episode)
    assert review.scores.count() == len(OutcomeArea)
    assert EarlyHelpPlan.objects.get(episode=episode).plan.review_due == D(2026, 5, 18)
    detail = client.get(url("episode_detail", episode))
    assert detail.context["score_headings"] == ["Start 20 Feb 2026", "Review 23 Mar 2026"]
    assert {row.change for row in detail.context["score_rows"]} == {2}


def test_a_review_needs_a_plan(signed_in):
    client = signed_in(Role.SOCIAL_WORKER)
    episode = completed_episode(client.user)
    response = client.post(url("review_add", episode), {**date_fields("held_on", D(2026, 3, 23)),
                                                        "progress": "Better.", **score_fields(6)})
    assert services.PLAN_FIRST in response.content.decode()
    assert not Review.objects.exists() and not OutcomeScore.objects.exclude(review=None).exists()


@pytest.mark.parametrize("scores", [
    {},
    {**ALL_FIVES, "work": 0},
    {**ALL_FIVES, "work": 11},
    {**ALL_FIVES, "work": True},
    {**ALL_FIVES, "work": "5"},
    {k: v for k, v in ALL_FIVES.items() if k != "routine"},
    {**ALL_FIVES, "cooking": 5},
])
def test_scores_must_cover_every_area_from_one_to_ten(scores):
    with pytest.raises(Exception) as error:
        services.check_scores(scores)
    assert services.SCORE_EVERY_AREA in str(error.value)


@pytest.mark.parametrize("score", [1, 10])
def test_the_ends_of_the_scale_are_allowed(score):
    assert services.check_scores({a: score for a in OutcomeArea.values})["work"] == score


def test_a_new_lead_professional_replaces_the_last(signed_in):
    episode = EarlyHelpEpisodeFactory()
    client = signed_in(Role.SOCIAL_WORKER)
    for name in ("Ann Lee", "Bo Khan"):
        client.post(url("member_add", episode), {"name": name, "agency": "School", "role": "Family liaison",
                                                 **date_fields("joined_on", D(2026, 2, 5)), "is_lead": "on"})
    assert list(TeamMember.objects.filter(family=episode.family).values_list("name", "is_lead")) == [
        ("Bo Khan", True), ("Ann Lee", False)]


# --- Closing --------------------------------------------------------------------------------


def test_closing_ends_the_plan_and_stepped_up_needs_an_accepted_step_up(signed_in):
    client = signed_in(Role.SOCIAL_WORKER)
    episode = completed_episode(client.user)
    link = services.plan_start(actor=client.user, episode=episode, start_date=D(2026, 2, 23), actions=[ACTION])
    page = url("episode_close", episode)
    refused = client.post(page, {**date_fields("closure_date", D(2026, 4, 1)), "closure_reason": "stepped_up",
                                 "version": episode.version})
    assert "Only a step-up the panel accepted" in refused.content.decode()
    episode.refresh_from_db()
    assert episode.closure_date is None
    client.post(page, {**date_fields("closure_date", D(2026, 4, 1)), "closure_reason": "outcomes_achieved",
                       "version": episode.version})
    episode.refresh_from_db()
    link.plan.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (D(2026, 4, 1), "outcomes_achieved")
    assert link.plan.end_date == D(2026, 4, 1)
    assert services_for(episode.child) == []


# --- Step-down ----------------------------------------------------------------------------


def stepped_down_cin(**kwargs):
    return CINEpisodeFactory(referral_date=D(2025, 9, 1), closure_date=D(2026, 1, 12), reason_for_closure="RC9",
                             step_down_to_early_help=True, step_down_date=D(2026, 1, 12), **kwargs)


@pytest.mark.parametrize("role", sorted(CASEWORK_ROLES))
def test_only_managers_record_the_panel_decision_on_a_step_down(signed_in, role):
    cin = stepped_down_cin()
    client = signed_in(role)
    response = client.post(reverse("earlyhelp:step_down_decision", args=[cin.child_id, cin.pk]),
                           {**date_fields("panel_date", D(2026, 1, 15)), "panel_decision": "accepted"})
    assert StepRequest.objects.filter(cin_episode=cin).exists() is (role in policy.may_record_panel_decision.roles)
    if role not in policy.may_record_panel_decision.roles:
        assert response.status_code == 403


def test_an_accepted_step_down_is_taken_on_when_early_help_starts(signed_in, client, make_user):
    cin = stepped_down_cin()
    manager = signed_in(Role.TEAM_MANAGER)
    overview = manager.get(reverse("earlyhelp:overview", args=[cin.child_id]))
    assert [e.pk for e in overview.context["awaiting_panel"]] == [cin.pk]
    manager.post(reverse("earlyhelp:step_down_decision", args=[cin.child_id, cin.pk]),
                 {**date_fields("panel_date", D(2026, 1, 15)), "panel_decision": "accepted"})
    step = StepRequest.objects.get(cin_episode=cin)
    assert (step.direction, step.requested_on, step.outcome) == ("step_down", D(2026, 1, 12), "")
    assert manager.get(reverse("earlyhelp:step_down_decision", args=[cin.child_id, cin.pk])).status_code == 404

    worker = make_user(role=Role.SOCIAL_WORKER)
    client.force_login(worker)
    early = client.post(reverse("earlyhelp:episode_start", args=[cin.child_id]),
                        start_data(source="step_down", **date_fields("start_date", D(2026, 1, 14))))
    assert "after the panel accepted the step-down (15 Jan 2026)" in early.content.decode()
    client.post(reverse("earlyhelp:episode_start", args=[cin.child_id]),
                start_data(source="step_down", **date_fields("start_date", D(2026, 1, 19))))
    step.refresh_from_db()
    assert step.outcome == "taken_on" and step.outcome_date == D(2026, 1, 19)
    assert step.early_help_episode == EarlyHelpEpisode.objects.get(child=cin.child)


def test_a_declined_step_down_is_settled_as_not_taken_on(signed_in):
    cin = stepped_down_cin()
    client = signed_in(Role.SERVICE_MANAGER)
    client.post(reverse("earlyhelp:step_down_decision", args=[cin.child_id, cin.pk]),
                {**date_fields("panel_date", D(2026, 1, 15)), "panel_decision": "declined",
                 "panel_notes": "Needs met by school."})
    step = StepRequest.objects.get(cin_episode=cin)
    assert (step.outcome, step.outcome_date) == ("not_taken_on", D(2026, 1, 15))


def test_a_step_down_is_not_taken_on_through_the_outcome_page(signed_in):
    cin = stepped_down_cin()
    manager = signed_in(Role.TEAM_MANAGER)
    step = services.step_down_decide(actor=manager.user, cin_episode=cin, panel_date=D(2026, 1, 15),
                                     panel_decision="accepted")
    response = manager.post(reverse("earlyhelp:step_outcome", args=[cin.child_id, step.pk]),
                            {"outcome": "taken_on", **date_fields("outcome_date", D(2026, 1, 20)),
                             "version": step.version})
    assert services.STEP_DOWN_THROUGH_START in response.content.decode()
    manager.post(reverse("earlyhelp:step_outcome", args=[cin.child_id, step.pk]),
                 {"outcome": "not_taken_on", **date_fields("outcome_date", D(2026, 1, 20)),
                  "outcome_notes": "Family declined early help.", "version": step.version})
    step.refresh_from_db()
    assert (step.outcome, step.outcome_notes) == ("not_taken_on", "Family declined early help.")


# --- Step-up ------------------------------------------------------------------------------


def test_a_step_up_goes_to_the_panel_and_closes_early_help_when_taken_on(signed_in, client, make_user):
    worker = signed_in(Role.SOCIAL_WORKER)
    episode = EarlyHelpEpisodeFactory()
    worker.post(url("step_up", episode), {**date_fields("requested_on", D(2026, 3, 2)),
                                          "reason": "Disclosure of domestic abuse."})
    step = StepRequest.objects.get(early_help_episode=episode)
    assert (step.direction, step.panel_decision, step.outcome) == ("step_up", "", "")
    again = worker.post(url("step_up", episode), {**date_fields("requested_on", D(2026, 3, 3)), "reason": "Again."})
    assert "already waiting for a decision" in again.content.decode()
    assert StepRequest.objects.count() == 1
    decision = reverse("earlyhelp:step_decision", args=[episode.child_id, step.pk])
    assert worker.post(decision, {**date_fields("panel_date", D(2026, 3, 4)),
                                  "panel_decision": "accepted"}).status_code == 403

    client.force_login(make_user(role=Role.TEAM_MANAGER))
    client.post(decision, {**date_fields("panel_date", D(2026, 3, 4)), "panel_decision": "accepted",
                           "version": step.version})
    step.refresh_from_db()
    assert (step.panel_date, step.panel_decision) == (D(2026, 3, 4), "accepted")
    contact = step.frontdoor_contact  # the child goes to the MASH as a contact from early help
    assert list(contact.children.all()) == [episode.child]
    assert (contact.referral_source, contact.concerns) == ("5D", "Disclosure of domestic abuse.")
    assert contact.received_at.date() == D(2026, 3, 4)
    cin = CINEpisodeFactory(child=episode.child, referral_date=D(2026, 3, 5))
    client.post(reverse("earlyhelp:step_outcome", args=[episode.child_id, step.pk]),
                {"outcome": "taken_on", **date_fields("outcome_date", D(2026, 3, 5)), "version": step.version})
    step.refresh_from_db()
    episode.refresh_from_db()
    assert (step.outcome, step.cin_episode) == ("taken_on", cin)
    assert (episode.closure_date, episode.closure_reason) == (D(2026, 3, 5), "stepped_up")


def test_a_declined_step_up_keeps_the_family_in_early_help(signed_in):
    step = StepRequestFactory()
    client = signed_in(Role.TEAM_MANAGER)
    client.post(reverse("earlyhelp:step_decision", args=[step.child_id, step.pk]),
                {**date_fields("panel_date", D(2026, 3, 1)), "panel_decision": "declined", "version": step.version})
    step.refresh_from_db()
    assert step.panel_decision == ""  # the panel cannot sit before the request
    client.post(reverse("earlyhelp:step_decision", args=[step.child_id, step.pk]),
                {**date_fields("panel_date", D(2026, 3, 4)), "panel_decision": "declined",
                 "panel_notes": "Threshold not met; continue the plan.", "version": step.version})
    step.refresh_from_db()
    step.early_help_episode.refresh_from_db()
    assert (step.outcome, step.outcome_date) == ("not_taken_on", D(2026, 3, 4))
    assert step.early_help_episode.closure_date is None
    assert step.frontdoor_contact is None


# --- The rest of the record ---------------------------------------------------------------


def test_early_help_appears_in_the_chronology(make_user):
    actor = make_user()
    episode = completed_episode(actor)
    StepRequestFactory(early_help_episode=episode, panel_date=D(2026, 3, 4), panel_decision="accepted")
    titles = [i.title for i in chronology_for(user=actor, child=episode.child) if i.category == "Early help"]
    assert titles == ["Step-up to children's social care: accepted by the panel",
                      "Step-up to children's social care requested", "Early help assessment completed",
                      "Early help started"]


# --- Dashboard ----------------------------------------------------------------------------


def test_the_dashboard_counts_families_rates_and_waits_without_restricted_children(signed_in):
    family_episode = EarlyHelpEpisodeFactory()
    EarlyHelpEpisodeFactory(family=family_episode.family)  # a sibling: same family
    EarlyHelpEpisodeFactory()  # another family
    EarlyHelpEpisodeFactory(child=ChildFactory(is_restricted=True))  # not counted
    closed = EarlyHelpEpisodeFactory(closure_date=D(2026, 5, 1), closure_reason="stepped_up")
    EarlyHelpEpisodeFactory(closure_date=D(2026, 5, 1), closure_reason="outcomes_achieved")
    stepped_down_cin()
    CINEpisodeFactory(referral_date=D(2025, 10, 1), closure_date=D(2026, 2, 1), reason_for_closure="RC8")
    StepRequestFactory(early_help_episode=family_episode, requested_on=D(2026, 3, 2))
    client = signed_in(Role.PERFORMANCE_ANALYST)
    context = client.get(reverse("earlyhelp:dashboard")).context
    assert (context["families_now"], context["children_now"]) == (2, 3)
    assert (context["step_down_rate"], context["step_up_rate"]) == (50, 50)
    today = context["today"]
    [awaiting_panel, accepted] = context["step_downs"]
    assert (awaiting_panel.count, awaiting_panel.longest_days) == (1, (today - D(2026, 1, 12)).days)
    assert accepted.count == 0
    assert context["step_ups"][0].count == 1

    families = client.get(reverse("earlyhelp:children"), {"show": "families"}).context["page_obj"]
    assert [len(f.open_episodes) for f in families] == [2, 1]
    ups = client.get(reverse("earlyhelp:children"), {"show": "step_ups"}).context["page_obj"]
    assert [row.child for row in ups] == [family_episode.child]
    downs = client.get(reverse("earlyhelp:children"), {"show": "step_downs"})
    assert [row.stage for row in downs.context["page_obj"]] == ["Waiting for the panel"]
    assert closed.child.full_name not in downs.content.decode()


def test_the_families_list_searches_by_family_or_child(signed_in):
    episode = EarlyHelpEpisodeFactory(family__name="Nowak family")
    EarlyHelpEpisodeFactory(family__name="Adeyemi family")
    client = signed_in(Role.SOCIAL_WORKER)
    found = client.get(reverse("earlyhelp:children"), {"show": "families", "q": "nowak"}).context["page_obj"]
    assert [f.name for f in found] == ["Nowak family"]
    by_child = client.get(reverse("earlyhelp:children"), {"show": "families", "q": episode.child.first_name})
    assert "Nowak family" in by_child.content.decode()


def test_the_dashboard_runs_a_fixed_number_of_queries(signed_in, django_assert_max_num_queries):
    client = signed_in(Role.TEAM_MANAGER)
    for _ in range(5):
        StepRequestFactory()
    with django_assert_max_num_queries(20):
        client.get(reverse("earlyhelp:dashboard"))


def test_the_episode_page_runs_the_same_queries_however_long_the_history(signed_in, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(Role.SOCIAL_WORKER)
    episode = completed_episode(client.user)
    services.plan_start(actor=client.user, episode=episode, start_date=D(2026, 2, 23), actions=[ACTION])
    page = url("episode_detail", episode)
    with CaptureQueriesContext(connection) as before:
        client.get(page)
    for month in (3, 4, 5):
        services.review_record(actor=client.user, episode=episode, held_on=D(2026, month, 20), progress="Better.",
                               scores=ALL_FIVES)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(page)
    assert len(response.context["reviews"]) == 3
