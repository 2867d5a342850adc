"""The pages, for each role, and what the rest of the record reads from this app."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse

from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import CASEWORK_ROLES, READ_ALL_ROLES, Role
from opencsc.assessment import policy
from opencsc.assessment.models import Assessment, CINEpisode, CINPlan
from opencsc.casework.selectors import chronology_for
from opencsc.casework.summary import services_for
from opencsc.core.models import Event
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales.reads import clock_facts

from .factories import AssessmentFactory, CINEpisodeFactory

D = dt.date
pytestmark = pytest.mark.django_db
ALL_ROLES = sorted(Role.values)


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_episodes_page_is_for_those_who_read_casework(signed_in, role):
    episode = CINEpisodeFactory()
    client = signed_in(role)
    for url in (reverse("assessment:episodes", args=[episode.child.pk]),
                reverse("assessment:episode_detail", args=[episode.child.pk, episode.pk])):
        response = client.get(url)
        assert response.status_code == (200 if role in READ_ALL_ROLES else 403)  # the page is refused


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_casework_roles_record_a_referral(signed_in, role):
    child = ChildFactory()
    client = signed_in(role)
    url = reverse("assessment:referral_add", args=[child.pk])
    assert client.get(url).status_code == (200 if role in CASEWORK_ROLES else 403)
    response = client.post(url, {**date_fields("referral_date", D(2026, 3, 3)), "referral_source": "6",
                                 "primary_need": "N1"})
    assert CINEpisode.objects.filter(child=child).count() == (1 if role in CASEWORK_ROLES else 0)
    if role not in CASEWORK_ROLES:
        assert response.status_code == 403


@pytest.mark.parametrize("role", sorted(CASEWORK_ROLES))
def test_only_managers_can_open_the_authorise_page(signed_in, role):
    assessment = AssessmentFactory(submitted=True)
    episode = assessment.episode
    client = signed_in(role)
    url = reverse("assessment:assessment_authorise", args=[episode.child.pk, episode.pk])
    expected = 200 if role in policy.may_authorise_assessment.roles else 403
    assert client.get(url).status_code == expected
    client.post(url, {**date_fields("authorised_on", D(2026, 4, 1)), "outcome": "nfa",
                      "version": assessment.version})
    assessment.refresh_from_db()
    assert (assessment.completed_date is not None) is (role in policy.may_authorise_assessment.roles)


def test_the_whole_pathway_through_the_pages(signed_in, make_user):
    child = ChildFactory()
    worker = signed_in("social_worker")
    # Given a referral
    response = worker.post(reverse("assessment:referral_add", args=[child.pk]), {
        **date_fields("referral_date", D(2026, 3, 2)), "referral_source": "2A", "primary_need": "N1",
        "referral_details": "School worried about bruising",
    })
    episode = CINEpisode.objects.get(child=child)
    detail = reverse("assessment:episode_detail", args=[child.pk, episode.pk])
    assert response.url == detail
    # When the worker starts the assessment, then the page shows the 45-working-day due date
    response = worker.post(reverse("assessment:assessment_edit", args=[child.pk, episode.pk]), {
        **date_fields("start_date", D(2026, 3, 3)), **date_fields("child_seen_date", D(2026, 3, 4)),
        "childs_views": "I like my teacher", "analysis": "Needs support", "factors": ["3A", "21"],
    })
    assert response.status_code == 302
    page = worker.get(detail).content.decode()
    assert "7 May 2026" in page and "I like my teacher" in page
    assert services_for(child) == ["Assessment", "Child in need"]
    # And the worker submits it for authorisation
    assessment = Assessment.objects.get(episode=episode)
    response = worker.post(reverse("assessment:assessment_submit", args=[child.pk, episode.pk]),
                           {"version": assessment.version})
    assert response.status_code == 302
    # And a late authorisation without a reason is refused, with the message on the page
    manager = make_user(role="team_manager")
    worker.force_login(manager)
    authorise = reverse("assessment:assessment_authorise", args=[child.pk, episode.pk])
    assessment = Assessment.objects.get(episode=episode)
    response = worker.post(authorise, {**date_fields("authorised_on", D(2026, 5, 8)), "outcome": "cin_plan",
                                       "version": assessment.version})
    assert "Enter why the assessment took longer than 45 working days" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.completed_date is None
    response = worker.post(authorise, {**date_fields("authorised_on", D(2026, 5, 8)), "outcome": "cin_plan",
                                       "reason_late": "Father unavailable", "version": assessment.version})
    assert response.status_code == 302
    assert services_for(child) == ["Child in need"]
    # Then a CIN plan with one action, and it appears on the episode
    plan_url = reverse("assessment:cin_plan_start", args=[child.pk, episode.pk])
    response = worker.post(plan_url, {**date_fields("start_date", D(2026, 5, 11)), "summary": "Safe at home"})
    assert "Add at least one action to the plan" in response.content.decode()
    assert not CINPlan.objects.get().plan.actions.exists()  # started by the outcome, not yet written
    response = worker.post(plan_url, {
        **date_fields("start_date", D(2026, 5, 11)), "summary": "Safe at home",
        "action-1-what_must_change": "Regular meals", "action-1-action": "Food bank referral",
        "action-1-responsible": "Family support worker", **date_fields("action-1-due_date", D(2026, 6, 1)),
        "action-1-measure": "Three meals a day at visits",
    })
    assert response.status_code == 302
    assert "Food bank referral" in worker.get(detail).content.decode()
    # And closing it ends the plan
    response = worker.post(reverse("assessment:episode_close", args=[child.pk, episode.pk]), {
        **date_fields("closure_date", D(2026, 10, 1)), "reason_for_closure": "RC7", "version": episode.version,
    })
    assert response.status_code == 302
    assert CINPlan.objects.get().plan.end_date == D(2026, 10, 1)
    assert services_for(child) == []


def test_a_second_referral_while_open_shows_the_message(signed_in):
    episode = CINEpisodeFactory(referral_date=D(2026, 3, 3))
    client = signed_in("social_worker")
    response = client.post(reverse("assessment:referral_add", args=[episode.child.pk]), {
        **date_fields("referral_date", D(2026, 6, 3)), "referral_source": "6", "primary_need": "N1"})
    assert "This child already has an open episode of need, opened on 3 Mar 2026" in response.content.decode()
    assert CINEpisode.objects.count() == 1


def test_an_episode_of_another_child_is_not_found(signed_in):
    episode = CINEpisodeFactory()
    other = ChildFactory()
    client = signed_in("social_worker")
    url = reverse("assessment:episode_detail", args=[other.pk, episode.pk])
    assert client.get(url).status_code == 404


def test_a_restricted_child_is_not_found_and_the_refusal_is_logged(signed_in):
    episode = CINEpisodeFactory(child=ChildFactory(is_restricted=True))
    client = signed_in("social_worker")
    assert client.get(reverse("assessment:episodes", args=[episode.child.pk])).status_code == 404
    assert AccessLog.objects.filter(child=episode.child, outcome=AccessLog.Outcome.REFUSED).count() == 1


def test_empty_state(signed_in):
    child = ChildFactory()
    assert "No referrals yet" in signed_in("social_worker").get(
        reverse("assessment:episodes", args=[child.pk])).content.decode()


def test_the_log_names_the_timescales_events_and_scopes_them_by_episode():
    episode = CINEpisodeFactory(referral_date=D(2026, 3, 2), closure_date=D(2026, 9, 1), reason_for_closure="RC8")
    AssessmentFactory(episode=episode, completed_date=D(2026, 4, 1), outcome="nfa")
    in_progress = AssessmentFactory()
    clocks = Event.objects.filter(child=episode.child, kind__in=["cin_episode", "assessment"]).exclude(clock="")
    scope = f"episode:{episode.pk}"
    assert sorted((e.clock, e.occurred_on, e.scope) for e in clocks) == sorted([
        ("referral", D(2026, 3, 2), scope), ("case_closed", D(2026, 9, 1), scope),
        ("assessment_completed", D(2026, 4, 1), scope),
    ])
    assert not Event.objects.filter(kind="assessment", source_id=in_progress.pk).exclude(clock="").exists()
    assert Event.objects.filter(kind="assessment", source_id=in_progress.pk).exists()  # its start is in the log


def test_the_clock_facts_of_any_number_of_children_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    for _ in range(5):
        AssessmentFactory(completed_date=D(2026, 4, 1), outcome="nfa")
    with django_assert_max_num_queries(2):
        facts = list(clock_facts(Child.objects.all()))
    names = Counter(name for _, _, name, _, _ in facts)
    assert (names["referral"], names["assessment_completed"]) == (5, 5)


def test_the_chronology_shows_referral_assessment_and_closure(make_user):
    user = make_user(role="social_worker")
    episode = CINEpisodeFactory(referral_date=D(2026, 3, 2), closure_date=D(2026, 9, 1), reason_for_closure="RC9",
                                step_down_to_early_help=True, is_re_referral=True)
    AssessmentFactory(episode=episode, start_date=D(2026, 3, 3), completed_date=D(2026, 4, 1), outcome="early_help")
    items = chronology_for(user=user, child=episode.child, sources=["cin_episode", "assessment"])
    assert sorted((i.occurred_on, i.title) for i in items) == [
        (D(2026, 3, 2), "Re-referral received"),
        (D(2026, 3, 3), "Child and family assessment started"),
        (D(2026, 4, 1), "Child and family assessment authorised"),
        (D(2026, 9, 1), "Stepped down to early help"),
    ]
