"""Issue 19, the assessment journey through the pages: a visit with the child seen evidences the assessment,
the worker submits it, it waits in the managers' queue with its clock, a manager authorises or returns it,
and each outcome puts its next steps in the allocated worker's work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.assessment import selectors, services
from opencsc.assessment.models import Assessment, CINPlan
from opencsc.casework.models import Allocation, Plan, Visit
from opencsc.core import events
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.core.work import queues_for
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales.authority import timescale
from opencsc.timescales.selectors import due_items

from .factories import AssessmentFactory, CINEpisodeFactory

D = dt.date
pytestmark = pytest.mark.django_db
REFERRAL = D(2026, 3, 2)
AUTHORISED = D(2026, 4, 1)


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def people(make_user):
    worker = make_user(role=Role.SOCIAL_WORKER)
    return {
        "worker": worker,
        "manager": make_user(role=Role.TEAM_MANAGER, team=worker.team),
        "other_manager": make_user(role=Role.TEAM_MANAGER),  # another team's
        "service_manager": make_user(role=Role.SERVICE_MANAGER),
    }


@pytest.fixture
def assessment(people):
    """An assessment in progress, by the worker, for a child allocated to them."""
    worker = people["worker"]
    episode = CINEpisodeFactory(referral_date=REFERRAL, created_by=worker)
    events.announce(Allocation.objects.create(child=episode.child, worker=worker, team=worker.team,
                                              start_date=REFERRAL))
    return AssessmentFactory(episode=episode, start_date=D(2026, 3, 3), created_by=worker)


def _as(client, user):
    client.force_login(user)
    return client


def _visit(client, child, day, *, kind="assessment", seen=True, alone=False, **extra):
    data = {"kind": kind, **date_fields("visited_on", day), "summary": "Saw her at home"}
    if seen:
        data["child_seen"] = "on"
    if alone:
        data["child_seen_alone"] = "on"
    return client.post(reverse("casework:visits", args=[child.pk]), {**data, **extra})


def _submit(client, a):
    a.refresh_from_db()
    return client.post(reverse("assessment:assessment_submit", args=[a.episode.child_id, a.episode_id]),
                       {"version": a.version})


def _authorise(client, a, outcome="cin_plan", on=AUTHORISED, version=None):
    a.refresh_from_db()
    return client.post(reverse("assessment:assessment_authorise", args=[a.episode.child_id, a.episode_id]), {
        **date_fields("authorised_on", on), "outcome": outcome, "version": a.version if version is None else version})


def _state(a):
    a.refresh_from_db()
    return (a.completed_date, a.outcome, a.submitted_at, a.returned_at, a.return_reason, a.version,
            AuditEvent.objects.count(), Plan.objects.count())


# --- A visit evidences the assessment ----------------------------------------------------------------


def test_an_assessment_visit_with_the_child_seen_sets_child_seen_and_says_which_visit(client, people, assessment):
    child = assessment.episode.child
    client = _as(client, people["worker"])
    page = client.get(reverse("casework:visits", args=[child.pk])).content.decode()
    assert "Assessment visit" in page and "The assessment started 3 Mar 2026" in page  # the default target
    response = _visit(client, child, D(2026, 3, 5), alone=True, evidence=f"assessment:{assessment.pk}")
    assert response.status_code == 302
    visit = Visit.objects.get(child=child)
    assessment.refresh_from_db()
    assert (assessment.child_seen_date, assessment.child_seen_alone_date) == (D(2026, 3, 5), D(2026, 3, 5))
    assert assessment.child_seen_visit == visit == assessment.child_seen_alone_visit
    detail = client.get(reverse("assessment:episode_detail", args=[child.pk, assessment.episode_id])).content.decode()
    assert "Evidenced by the" in detail and "assessment visit on 5 Mar 2026" in detail


@pytest.mark.parametrize(("day", "seen", "evidence", "expected"), [
    (D(2026, 3, 4), True, True, D(2026, 3, 4)),    # an earlier visit: the first time the child was seen
    (D(2026, 3, 9), True, True, D(2026, 3, 6)),    # a later one leaves the first date
    (D(2026, 3, 4), False, True, D(2026, 3, 6)),   # the child not seen: nothing to evidence
    (D(2026, 3, 4), True, False, D(2026, 3, 6)),   # "Nothing else" chosen
])
def test_only_an_earlier_visit_with_the_child_seen_changes_the_date(client, people, assessment, day, seen,
                                                                     evidence, expected):
    Assessment.objects.filter(pk=assessment.pk).update(child_seen_date=D(2026, 3, 6))
    client = _as(client, people["worker"])
    response = _visit(client, assessment.episode.child, day, seen=seen,
                      evidence=f"assessment:{assessment.pk}" if evidence else "")
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.child_seen_date == expected


def test_a_visit_cannot_count_towards_another_childs_assessment(client, people, assessment):
    other = AssessmentFactory(submitted=False)
    client = _as(client, people["worker"])
    response = _visit(client, assessment.episode.child, D(2026, 3, 5), evidence=f"assessment:{other.pk}")
    assert "Select what the visit counts towards from the list" in response.content.decode()
    assert not Visit.objects.exists()
    other.refresh_from_db()
    assert other.child_seen_date is None


def test_changing_the_date_by_hand_forgets_the_visit(client, people, assessment):
    client = _as(client, people["worker"])
    _visit(client, assessment.episode.child, D(2026, 3, 5), evidence=f"assessment:{assessment.pk}")
    assessment.refresh_from_db()
    services.assessment_update(actor=people["worker"], assessment=assessment, expected_version=assessment.version,
                               child_seen_date=D(2026, 3, 4))
    assessment.refresh_from_db()
    assert assessment.child_seen_visit is None and assessment.child_seen_date == D(2026, 3, 4)


def test_without_an_assessment_in_progress_the_visit_form_asks_nothing_more(client, people):
    child = ChildFactory()
    page = _as(client, people["worker"]).get(reverse("casework:visits", args=[child.pk])).content.decode()
    assert "What the visit counts towards" not in page


# --- Submit, the managers' queue, authorise or return ----------------------------------------------


def test_submitted_it_waits_for_the_teams_managers_with_its_clock(client, people, assessment):
    assert _submit(_as(client, people["worker"]), assessment).status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_awaiting_authorisation and assessment.submitted_by == people["worker"]
    due = timescale("assessment").due(REFERRAL)
    for who, sees in (("manager", True), ("service_manager", True), ("other_manager", False)):
        page = _as(client, people[who]).get(reverse("assessment:awaiting_authorisation")).content.decode()
        assert (assessment.episode.child.full_name in page) is sees, who
        if sees:
            assert f"Due {govuk_date(due)}" in page and "Authorise the assessment" in page
    [queue] = [q for q in queues_for(people["manager"]) if q.queue.code == "assessments_awaiting_authorisation"]
    assert [(i.due, i.overdue) for i in queue.items] == [(due, True)]  # 45 working days from 2 Mar 2026
    assert _as(client, people["worker"]).get(reverse("assessment:awaiting_authorisation")).status_code == 403


def test_without_an_analysis_it_cannot_be_submitted(client, people, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(analysis="")
    before = _state(assessment)
    response = _submit(_as(client, people["worker"]), assessment)
    assert "Record the analysis before you submit the assessment for authorisation" in response.content.decode()
    assert _state(assessment) == before


def test_a_returned_assessment_goes_back_to_the_worker_with_the_reason(client, people, assessment):
    _submit(_as(client, people["worker"]), assessment)
    assessment.refresh_from_db()
    url = reverse("assessment:assessment_return", args=[assessment.episode.child_id, assessment.episode_id])
    client = _as(client, people["manager"])
    response = client.post(url, {"reason": "", "version": assessment.version})
    assert "Enter why you are returning the assessment" in response.content.decode()
    response = client.post(url, {"reason": "Add the father's views", "version": assessment.version})
    assert response.status_code == 302
    assert selectors.awaiting_authorisation(people["manager"]).count() == 0
    page = _as(client, people["worker"]).get(reverse("assessment:returned")).content.decode()
    assert "Add the father&#x27;s views" in page and assessment.episode.child.full_name in page
    # The worker changes it and submits it again: it leaves their queue and is back with the manager
    assessment.refresh_from_db()
    services.assessment_update(actor=people["worker"], assessment=assessment, expected_version=assessment.version,
                               childs_views="Dad says he wants to help")
    assert _submit(client, assessment).status_code == 302
    assert list(selectors.returned_to(people["worker"])) == []
    assert list(selectors.awaiting_authorisation(people["manager"])) == [assessment]


def test_while_it_waits_the_worker_cannot_change_it(client, people, assessment):
    _submit(_as(client, people["worker"]), assessment)
    before = _state(assessment)
    response = client.post(reverse("assessment:assessment_edit", args=[assessment.episode.child_id,
                                                                       assessment.episode_id]), {
        **date_fields("start_date", D(2026, 3, 3)), "analysis": "Changed", "version": assessment.version})
    assert "awaiting authorisation" in response.content.decode()
    assert _state(assessment) == before


@pytest.mark.parametrize("refusal", ["wrong role", "not submitted", "already authorised", "stale version",
                                     "return not submitted", "return wrong role"])
def test_refused_authorisations_and_returns_change_nothing(client, people, assessment, refusal):
    if refusal != "not submitted" and refusal != "return not submitted":
        _submit(_as(client, people["worker"]), assessment)
    if refusal == "already authorised":
        assert _authorise(_as(client, people["manager"]), assessment).status_code == 302
    before = _state(assessment)
    a = assessment
    return_url = reverse("assessment:assessment_return", args=[a.episode.child_id, a.episode_id])
    if refusal == "wrong role":
        response = _authorise(_as(client, people["worker"]), a)
        assert response.status_code == 403
    elif refusal == "return wrong role":
        response = _as(client, people["worker"]).post(return_url, {"reason": "No", "version": a.version})
        assert response.status_code == 403
    elif refusal == "not submitted":
        response = _authorise(_as(client, people["manager"]), a)
        assert "has not submitted this assessment" in response.content.decode()
    elif refusal == "return not submitted":
        response = _as(client, people["manager"]).post(return_url, {"reason": "No", "version": a.version})
        assert "has not submitted this assessment" in response.content.decode()
    elif refusal == "already authorised":
        with pytest.raises(Exception, match="was authorised on 1 Apr 2026"):
            services.assessment_authorise(actor=people["manager"], assessment=a, authorised_on=AUTHORISED,
                                          outcome="nfa", expected_version=a.version)
    elif refusal == "stale version":
        response = _authorise(_as(client, people["manager"]), a, version=a.version - 1)
        assert "Someone else changed this record" in response.content.decode()
    assert _state(assessment) == before


# --- Each outcome starts its next steps in the allocated worker's work ------------------------------


def _worker_items(child):
    return {i.rule_code: i for i in due_items(children=Child.objects.filter(pk=child.pk))}


@pytest.mark.parametrize(("outcome", "clocks", "queue_label"), [
    ("cin_plan", {"cin_review", "cin_visit"}, "Write the child in need plan"),
    ("strategy", {"strategy_discussion"}, None),
    ("nfa", set(), "Close the episode: no further action after the assessment"),
    ("early_help", set(), "Close the episode and step down to early help"),
    ("other", set(), None),
])
def test_each_outcome_starts_its_next_steps(client, people, assessment, outcome, clocks, queue_label):
    child = assessment.episode.child
    _submit(_as(client, people["worker"]), assessment)
    assert _authorise(_as(client, people["manager"]), assessment, outcome=outcome).status_code == 302
    # The clocks the outcome starts are in the worker's due list, with the engine's due dates
    items = _worker_items(child)
    assert "assessment" not in items  # authorised: its clock stopped
    assert {code for code in items if code in {"cin_review", "cin_visit", "strategy_discussion"}} == clocks
    for code in clocks:
        assert items[code].due == timescale(code).due(AUTHORISED)
    if outcome == "cin_plan":
        link = CINPlan.objects.get(episode=assessment.episode)
        assert (link.plan.kind, link.plan.start_date, link.plan.actions.count()) == ("cin", AUTHORISED, 0)
    else:
        assert not CINPlan.objects.exists()
    # What has no clock is in the worker's "Next steps after an assessment"
    worker = _as(client, people["worker"])
    page = worker.get(reverse("assessment:next_steps")).content.decode()
    labels = [i.label for i in selectors.next_steps_items(people["worker"])]
    assert labels == ([queue_label] if queue_label else [])
    if queue_label:
        assert queue_label in page and child.full_name in page
    # and the due list on My work shows the clocks
    my_work = worker.get(reverse("timescales:my_work")).content.decode()
    for code in clocks:
        assert items[code].rule_name in my_work
    # Nobody else's next steps: another worker sees none of them
    assert selectors.next_steps_items(people["other_manager"]) == []
    # The event log holds what the services wrote (the strategy discussion's cp_concern, the plan's start)
    assert events.verify(kinds={"assessment", "plan", "cin_episode"}) == []


def test_writing_the_plan_the_outcome_started_takes_it_out_of_the_queue(client, people, assessment):
    child = assessment.episode.child
    _submit(_as(client, people["worker"]), assessment)
    _authorise(_as(client, people["manager"]), assessment)
    [item] = selectors.next_steps_items(people["worker"])
    assert item.due == timescale("cin_review").due(AUTHORISED)  # before the first meeting
    worker = _as(client, people["worker"])
    episode_page = reverse("assessment:episode_detail", args=[child.pk, assessment.episode_id])
    assert "Write the child in need plan" in worker.get(episode_page).content.decode()
    response = worker.post(item.url, {
        **date_fields("start_date", AUTHORISED), "summary": "Safe at home",
        "action-1-what_must_change": "Regular meals", "action-1-action": "Food bank referral",
        "action-1-responsible": "Family support worker", **date_fields("action-1-due_date", D(2026, 6, 1)),
        "action-1-measure": "Three meals a day at visits",
    })
    assert response.status_code == 302
    link = CINPlan.objects.get()
    assert (link.plan.summary, link.plan.actions.count(), Plan.objects.count()) == ("Safe at home", 1, 1)
    assert selectors.next_steps_items(people["worker"]) == []


def test_closing_the_episode_takes_the_step_down_out_of_the_queue(client, people, assessment):
    _submit(_as(client, people["worker"]), assessment)
    _authorise(_as(client, people["manager"]), assessment, outcome="early_help")
    episode = assessment.episode
    services.episode_close(actor=people["worker"], episode=episode, closure_date=D(2026, 4, 2),
                           reason_for_closure="RC9")
    assert selectors.next_steps_items(people["worker"]) == []
