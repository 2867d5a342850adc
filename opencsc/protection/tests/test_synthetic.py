"""The synthetic authority's child protection records: valid, realistic and reproducible."""

import datetime as dt

import pytest
from django.db.models import Count, F

from opencsc.assessment.models import CINEpisode
from opencsc.casework.models import Meeting, MeetingAttendance, Plan
from opencsc.people.models import Child
from opencsc.protection import rules
from opencsc.protection.models import Conference, CPPlan, Section47, StrategyDiscussion
from opencsc.protection.selectors import cp_plans_for
from opencsc.synthetic.generators.protection import generate_protection
from opencsc.synthetic.testing import rolled_back_authority

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    with rolled_back_authority(django_db_blocker, seed=11, size=0.5, today=TODAY, until="protection") as ctx:
        if not CPPlan.objects.exists():  # until the step is in pipeline.STEPS
            generate_protection(ctx)
        yield ctx


# Its own authority, generated once: the module runs on one worker.
pytestmark = pytest.mark.xdist_group("protection-generator")


@pytest.mark.django_db
def test_children_on_plans_now_match_the_service(authority):
    open_plans = cp_plans_for(Child.objects.all()).filter(plan__end_date__isnull=True)
    on_cp = {c.pk for c in authority.children if c.service == "child_protection" and c.date_of_birth}
    assert set(open_plans.values_list("child_id", flat=True)) == on_cp
    assert open_plans.count() == len(on_cp) > 50
    assert not open_plans.values("child_id").annotate(n=Count("id")).filter(n__gt=1).exists()


@pytest.mark.django_db
def test_the_records_keep_the_rules(authority):
    plans = list(cp_plans_for(Child.objects.all()))
    for cp in plans:
        icpc = cp.conference
        s47 = icpc.section47
        assert icpc.kind == "initial" and icpc.decision == "plan"
        assert cp.plan.start_date == icpc.meeting.held_on >= s47.start_date
        assert cp.plan.end_date is None or cp.plan.end_date >= cp.plan.start_date
        assert cp.plan.start_date <= TODAY
    for review in Conference.objects.filter(kind="review").select_related("meeting", "cp_plan__plan"):
        assert review.meeting.held_on >= review.cp_plan.plan.start_date
        assert review.cp_plan.plan.end_date is None or review.meeting.held_on <= review.cp_plan.plan.end_date
    assert Section47.objects.exclude(outcome="substantiated").filter(conferences__isnull=False).count() == 0
    assert StrategyDiscussion.objects.count() == Section47.objects.count()


@pytest.mark.django_db
def test_rates_look_like_real_life(authority):
    plans = list(cp_plans_for(Child.objects.all()))
    repeat = sum(p.previous_plans > 0 for p in plans) / len(plans)
    long = sum(rules.is_long_plan(p.plan.start_date, p.plan.end_date, TODAY) for p in plans) / len(plans)
    enquiries = Section47.objects.filter(conferences__kind="initial").select_related("strategy_discussion__meeting")
    held = dict(Conference.objects.filter(kind="initial").values_list("section47_id", "meeting__held_on"))
    on_time = sum(not rules.icpc_is_late(e.start_date, held[e.pk], TODAY) for e in enquiries) / len(enquiries)
    assert 0.10 <= repeat <= 0.30
    assert 0.005 <= long <= 0.10
    assert 0.65 <= on_time <= 0.92
    police = MeetingAttendance.objects.filter(meeting__kind="strategy", agency="Police")
    assert 0.8 <= police.filter(status="attended").count() / police.count() <= 0.97
    categories = dict(CPPlan.objects.values_list("initial_category").annotate(n=Count("id")))
    assert max(categories, key=categories.get) == "NEG"
    assert Meeting.objects.filter(kind="core_group").count() > len(plans)
    assert Conference.objects.filter(kind="review", decision="ends").count() > 0
    assert Plan.objects.filter(kind="cp").count() == len(plans)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_plans(authority):
    first = sorted(CPPlan.objects.values_list("child__la_child_id", "plan__start_date", "initial_category"))
    assert first and first == sorted(
        CPPlan.objects.values_list("child__la_child_id", "plan__start_date", "initial_category"))


@pytest.mark.django_db
def test_every_record_belongs_to_the_episode_of_need_open_at_its_date(authority):
    # Compared in Python from two plain reads: as an anti-join, PostgreSQL planned these for empty tables
    # (the test database's statistics) and took a minute.
    episode_child = dict(CINEpisode.objects.values_list("pk", "child_id"))
    for model in (StrategyDiscussion, Section47, Conference, CPPlan):
        rows = list(model.objects.values_list("episode_id", "child_id"))
        assert all(episode is not None for episode, _ in rows), model.__name__
        assert all(episode_child[episode] == child for episode, child in rows), model.__name__
    for day_field, model in (("meeting__held_on", StrategyDiscussion), ("meeting__held_on", Conference),
                             ("plan__start_date", CPPlan)):
        rows = model.objects.values_list(day_field, "episode__referral_date", "episode__closure_date")
        assert all(referral <= day and (closed is None or day <= closed) for day, referral, closed in rows), model
    for s47 in Section47.objects.select_related("episode", "strategy_discussion"):
        assert s47.episode_id == s47.strategy_discussion.episode_id
        assert s47.completed_on is None or s47.episode.closure_date is None or \
            s47.completed_on <= s47.episode.closure_date
    for cp in CPPlan.objects.select_related("plan", "episode", "conference"):
        assert cp.episode_id == cp.conference.episode_id
        if cp.plan.end_date is None:
            assert cp.episode.closure_date is None
        else:
            assert cp.episode.closure_date is None or cp.plan.end_date <= cp.episode.closure_date
    plan_episode = dict(CPPlan.objects.values_list("pk", "episode_id"))
    assert all(episode == plan_episode[plan] for episode, plan in
               Conference.objects.filter(kind="review").values_list("episode_id", "cp_plan_id"))


@pytest.mark.django_db
def test_episodes_of_need_stay_valid(authority):
    for child_id, rows in _episodes_by_child().items():
        for (_, _, closed), (referral, _, _) in zip(rows, rows[1:], strict=False):  # one after another
            assert closed is not None and closed <= referral, child_id
    assert not CINEpisode.objects.filter(closure_date__lt=F("referral_date")).exists()
    assert not CINEpisode.objects.filter(closure_date__isnull=False, reason_for_closure="").exists()


def _episodes_by_child() -> dict[int, list[tuple]]:
    """Each child's episodes as (referral date, pk, closure date), oldest first."""
    rows: dict[int, list[tuple]] = {}
    for child_id, referral, closed, pk in CINEpisode.objects.order_by("child_id", "referral_date", "id").values_list(
        "child_id", "referral_date", "closure_date", "pk"
    ):
        rows.setdefault(child_id, []).append((referral, pk, closed))
    return rows
