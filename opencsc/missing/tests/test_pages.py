"""The missing pages, through the test client: recording, refusals shown on the form, lists and the report."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opencsc.accounts.roles import Role
from opencsc.missing import policy
from opencsc.missing.models import (
    ExploitationAssessment,
    ExploitationMeeting,
    MissingEpisode,
    ReturnInterview,
)
from opencsc.missing.selectors import Quarter
from opencsc.people import policy as people_policy
from opencsc.people.tests.factories import ChildFactory

from .factories import ExploitationAssessmentFactory, MissingEpisodeFactory, ReturnInterviewFactory, at

D = dt.date


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=D(2011, 5, 4))


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def episode_data(**overrides):
    data = {"kind": "M", "missing_from": "care", **date_fields("started_on", D(2026, 3, 2)),
            "started_time": "21:30", "reported_to_police": "on", "police_reference": "MPS/26/1",
            "risks": "May be in Slough", **date_fields("ended_on", D(2026, 3, 3)), "ended_time": "08:00",
            "where_found": "Slough bus station"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", sorted(Role.values))
def test_recording_an_episode_is_for_casework_roles(signed_in, child, role):
    response = signed_in(role).post(reverse("missing:episode_add", args=[child.pk]), episode_data())
    if role in people_policy.may_record.roles:
        assert response.status_code == 302
        episode = MissingEpisode.objects.get()
        assert episode.started_at == at(D(2026, 3, 2), 21, 30)
        assert episode.ended_at == at(D(2026, 3, 3), 8)
    else:  # a role that may never record is refused before the child is looked up
        assert response.status_code == 403
        assert not MissingEpisode.objects.exists()


def test_an_episode_ending_before_it_starts_is_shown_against_the_return_date(signed_in, child):
    client = signed_in("social_worker")
    response = client.post(reverse("missing:episode_add", args=[child.pk]),
                           episode_data(**date_fields("ended_on", D(2026, 3, 1))))
    assert response.status_code == 200
    assert "must be after they went missing" in response.context["form"].errors["ended_on"][0]
    assert not MissingEpisode.objects.exists()


def test_an_overlapping_episode_is_refused_on_the_page(signed_in, child):
    client = signed_in("social_worker")
    MissingEpisodeFactory(child=child, started_at=at(D(2026, 3, 2), 20), ended_at=at(D(2026, 3, 4), 9))
    response = client.post(reverse("missing:episode_add", args=[child.pk]), episode_data())
    assert "overlaps another episode" in response.context["form"].errors["started_on"][0]
    assert MissingEpisode.objects.count() == 1


def test_a_date_without_a_time_is_an_error(signed_in, child):
    response = signed_in("social_worker").post(reverse("missing:episode_add", args=[child.pk]),
                                               episode_data(ended_time=""))
    assert response.context["form"].errors["ended_time"] == ["Enter the time the child returned"]
    assert not MissingEpisode.objects.exists()


def test_return_then_interview_through_the_pages(signed_in, child):
    client = signed_in("social_worker")
    episode = MissingEpisodeFactory(child=child, ended_at=None, where_found="")
    response = client.post(reverse("missing:episode_return", args=[child.pk, episode.pk]), {
        "version": episode.version, **date_fields("ended_on", D(2026, 3, 4)), "ended_time": "06:45",
        "where_found": "Returned to placement"})
    assert response.status_code == 302
    page = client.get(reverse("missing:overview", args=[child.pk]))
    assert "Overdue</strong> due 7 Mar 2026, 06:45" in page.content.decode()  # 72 hours after the return
    response = client.post(reverse("missing:interview_add", args=[child.pk, episode.pk]), {
        **date_fields("offered_on", D(2026, 3, 4)), "offered_time": "12:00", "response": "accepted",
        **date_fields("completed_on", D(2026, 3, 5)), "completed_time": "16:00", "interviewer": "Ana Cole",
        "findings": "Talked about friends in Slough"})
    assert response.status_code == 302
    assert ReturnInterview.objects.get().completed_at == at(D(2026, 3, 5), 16)
    assert "Within 72 hours" in client.get(reverse("missing:overview", args=[child.pk])).content.decode()


def test_an_interview_before_the_return_is_shown_against_the_offer_date(signed_in, child):
    client = signed_in("social_worker")
    episode = MissingEpisodeFactory(child=child)
    response = client.post(reverse("missing:interview_add", args=[child.pk, episode.pk]), {
        **date_fields("offered_on", D(2026, 3, 1)), "offered_time": "12:00", "response": "declined"})
    assert "after the child returned" in response.context["form"].errors["offered_on"][0]
    assert not ReturnInterview.objects.exists()


def test_a_stale_return_is_refused(signed_in, child):
    client = signed_in("social_worker")
    episode = MissingEpisodeFactory(child=child, ended_at=None, where_found="")
    MissingEpisode.objects.filter(pk=episode.pk).update(version=5)
    response = client.post(reverse("missing:episode_return", args=[child.pk, episode.pk]), {
        "version": 1, **date_fields("ended_on", D(2026, 3, 4)), "ended_time": "06:45", "where_found": "Home"})
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert MissingEpisode.objects.get().ended_at is None


def test_assessment_and_meeting_through_the_pages(signed_in, child):
    client = signed_in("senior_practitioner")
    response = client.post(reverse("missing:assessment_add", args=[child.pk]), {
        **date_fields("assessed_on", D(2026, 3, 10)), "sexual_risk": "medium", "criminal_risk": "high",
        "indicators": "Unexplained gifts", **date_fields("review_on", D(2026, 6, 10))})
    assert response.status_code == 302
    assert ExploitationAssessment.objects.get().criminal_risk == "high"
    data = {**date_fields("held_on", D(2026, 3, 12)), "chair": "DI Khan", "decisions": "Refer to the NRM",
            "attendee-TOTAL_FORMS": "6", "attendee-INITIAL_FORMS": "0", "attendee-MIN_NUM_FORMS": "0",
            "attendee-MAX_NUM_FORMS": "30", "attendee-0-name": "DI Khan", "attendee-0-agency": "Police",
            "attendee-0-role": "Chair", "attendee-0-status": "attended"}
    assert client.post(reverse("missing:meeting_add", args=[child.pk]), data).status_code == 302
    page = client.get(reverse("missing:overview", args=[child.pk])).content.decode()
    assert "Refer to the NRM" in page
    assert "DI Khan, Police (Chair): attended" in page
    assert ExploitationMeeting.objects.count() == 1


def test_the_overview_shows_empty_states(signed_in, child):
    page = signed_in("auditor").get(reverse("missing:overview", args=[child.pk])).content.decode()
    assert "No missing episodes recorded." in page
    assert "No exploitation risk assessments recorded." in page
    assert "Record a missing episode" not in page  # auditors read only


def test_an_overdue_review_is_flagged(signed_in, child):
    ExploitationAssessmentFactory(child=child, review_on=timezone.localdate() - dt.timedelta(days=1),
                                  assessed_on=timezone.localdate() - dt.timedelta(days=90))
    page = signed_in("social_worker").get(reverse("missing:overview", args=[child.pk])).content.decode()
    assert "Review overdue" in page


def test_the_overview_takes_the_same_number_of_queries_however_long_the_history(signed_in, child):
    client = signed_in("social_worker")
    url = reverse("missing:overview", args=[child.pk])
    ReturnInterviewFactory(episode=MissingEpisodeFactory(child=child))
    ExploitationAssessmentFactory(child=child)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for month in (4, 5, 6):
        ReturnInterviewFactory(episode=MissingEpisodeFactory(child=child, started_at=at(D(2026, month, 1))))
        ExploitationAssessmentFactory(child=child, assessed_on=D(2026, month, 2))
    with CaptureQueriesContext(connection) as longer:
        client.get(url)
    assert len(longer) == len(short)


def test_currently_missing_lists_open_episodes_of_visible_children_only(signed_in, child):
    hidden = ChildFactory(is_restricted=True)
    MissingEpisodeFactory(child=child, ended_at=None, where_found="")
    MissingEpisodeFactory(child=hidden, ended_at=None, where_found="")
    returned = MissingEpisodeFactory(child=ChildFactory(first_name="Returnedkid"))
    page = signed_in("team_manager").get(reverse("missing:currently_missing")).content.decode()
    assert escape(child.full_name) in page
    assert escape(hidden.full_name) not in page
    assert escape(returned.child.full_name) not in page
    assert "1 child missing or away" in page


def test_currently_missing_has_an_empty_state(signed_in, db):
    assert "No child is recorded as missing now." in signed_in("auditor").get(
        reverse("missing:currently_missing")).content.decode()


def test_exploitation_reviews_list_latest_risky_assessments_and_filter_overdue(signed_in, db):
    today = timezone.localdate()
    # Names set apart: Faker can give two children the same name, and the page is checked by name.
    overdue = ExploitationAssessmentFactory(review_on=today - dt.timedelta(days=3),
                                            assessed_on=today - dt.timedelta(days=100),
                                            child__first_name="Overdue", child__last_name="Child")
    upcoming = ExploitationAssessmentFactory(review_on=today + dt.timedelta(days=30),
                                             assessed_on=today - dt.timedelta(days=10),
                                             child__first_name="Upcoming", child__last_name="Child")
    no_longer = ExploitationAssessmentFactory(review_on=today - dt.timedelta(days=50),
                                              assessed_on=today - dt.timedelta(days=200),
                                              child__first_name="Nolonger", child__last_name="Child")
    ExploitationAssessmentFactory(child=no_longer.child, sexual_risk="none", criminal_risk="none",
                                  assessed_on=today - dt.timedelta(days=20), review_on=today + dt.timedelta(days=60))
    client = signed_in("performance_analyst")
    page = client.get(reverse("missing:exploitation_reviews")).content.decode()
    assert escape(overdue.child.full_name) in page and escape(upcoming.child.full_name) in page
    assert escape(no_longer.child.full_name) not in page
    page = client.get(reverse("missing:exploitation_reviews") + "?overdue=1").content.decode()
    assert escape(overdue.child.full_name) in page and escape(upcoming.child.full_name) not in page


def _q1_episodes():
    """Three children in Q1 2026: one missing three times from care (at risk), one from home, one from school."""
    repeat = ChildFactory(date_of_birth=D(2010, 1, 1))
    for day, hour in ((D(2026, 1, 5), 23), (D(2026, 2, 7), 22), (D(2026, 3, 14), 2)):  # Mon, Sat, Sat
        episode = MissingEpisodeFactory(child=repeat, started_at=at(day, hour),
                                        ended_at=at(day, hour) + dt.timedelta(hours=10))
    ReturnInterviewFactory(episode=episode, offered_at=episode.ended_at + dt.timedelta(hours=80),
                           completed_at=None, response="declined")
    ExploitationAssessmentFactory(child=repeat, assessed_on=D(2026, 2, 1))
    home = MissingEpisodeFactory(child=ChildFactory(), missing_from="home", started_at=at(D(2026, 2, 10), 15),
                                 ended_at=at(D(2026, 2, 14), 15))  # a Tuesday, 4 days
    ReturnInterviewFactory(episode=home)
    school = MissingEpisodeFactory(child=ChildFactory(), missing_from="education",
                                   started_at=at(D(2026, 3, 31), 9), ended_at=None, where_found="")
    MissingEpisodeFactory(child=ChildFactory(), started_at=at(D(2026, 4, 1), 9))  # next quarter
    MissingEpisodeFactory(child=ChildFactory(is_restricted=True), started_at=at(D(2026, 2, 1), 9))  # hidden
    return repeat, home.child, school.child


def test_the_report_counts_episodes_and_children_by_measure(signed_in, db):
    repeat, home, school = _q1_episodes()
    response = signed_in("team_manager").get(reverse("missing:report") + "?quarter=2026-Q1")
    rows = {r["key"]: (r["episodes"], r["children"]) for group in ("summary", "interviews", "hours", "days",
                                                                    "durations") for r in response.context[group]}
    assert rows["all"] == (5, 3)
    assert rows["from:care"] == (3, 1)
    assert rows["from:home"] == (1, 1)
    assert rows["repeat"] == (3, 1)
    assert rows["at_risk"] == (3, 1)
    assert rows["returned"] == (4, 2)
    assert rows["rhi_offered_72"] == (1, 1)
    assert rows["rhi_not_offered_72"] == (3, 1)
    assert rows["rhi_completed_72"] == (1, 1)
    assert rows["rhi_declined"] == (1, 1)
    assert rows["hour:18:00 to 23:59"] == (2, 1)
    assert rows["hour:00:00 to 05:59"] == (1, 1)
    assert rows["day:Saturday"] == (2, 1)
    assert rows["duration:Under 24 hours"] == (3, 1)
    assert rows["duration:1 to 3 days"] == (0, 0)
    assert rows["duration:3 to 7 days"] == (1, 1)
    assert rows["duration:Still missing"] == (1, 1)
    assert response.context["offered_rate"] == 25


@pytest.mark.parametrize("measure, expected", [
    ("all", {"repeat", "home", "school"}), ("repeat", {"repeat"}), ("from:home", {"home"}),
    ("duration:Still missing", {"school"}), ("rhi_not_offered_72", {"repeat"}), ("at_risk", {"repeat"}),
    ("nonsense", {"repeat", "home", "school"}),
])
def test_the_report_drills_down_to_the_children(signed_in, db, measure, expected):
    repeat, home, school = _q1_episodes()
    names = {"repeat": repeat, "home": home, "school": school}
    response = signed_in("performance_analyst").get(
        reverse("missing:report_children"), {"quarter": "2026-Q1", "measure": measure})
    shown = {c.pk for c in response.context["page_obj"]}
    assert shown == {names[n].pk for n in expected}


def test_the_quarter_can_be_chosen_and_a_bad_one_falls_back(signed_in, db):
    client = signed_in("auditor")
    assert client.get(reverse("missing:report"), {"quarter": "2025-Q4"}).context["quarter"] == Quarter(2025, 4)
    fallback = client.get(reverse("missing:report"), {"quarter": "2025-Q9"}).context["quarter"]
    assert fallback == Quarter.containing(timezone.localdate()).previous()


@pytest.mark.parametrize("name", ["missing:currently_missing", "missing:report", "missing:exploitation_reviews"])
@pytest.mark.parametrize("role", sorted(Role.values))
def test_the_authority_pages_are_for_staff_who_read_records(signed_in, db, name, role):
    response = signed_in(role).get(reverse(name))
    assert response.status_code == (200 if role in policy.may_view_missing_lists.roles else 403)


def test_the_record_summary_lists_missing_now_and_exploitation_risk(signed_in, child):
    from opencsc.casework.summary import services_for

    assert services_for(child) == [] or "Missing now" not in services_for(child)
    MissingEpisodeFactory(child=child, ended_at=None, where_found="")
    ExploitationAssessmentFactory(child=child)
    assert {"Missing now", "At risk of exploitation"} <= set(services_for(child))


def test_the_report_and_the_missing_list_take_the_same_number_of_queries_however_many_rows(signed_in, db):
    client = signed_in("team_manager")
    MissingEpisodeFactory(ended_at=None, where_found="")
    ReturnInterviewFactory()
    ExploitationAssessmentFactory()
    urls = [reverse("missing:currently_missing"), reverse("missing:report") + "?quarter=2026-Q1",
            reverse("missing:exploitation_reviews")]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as short:
            client.get(url)
        counts.append(len(short))
    for _ in range(4):
        MissingEpisodeFactory(ended_at=None, where_found="")
        ReturnInterviewFactory()
        ExploitationAssessmentFactory()
    for url, before in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as longer:
            client.get(url)
        assert len(longer) == before, url
