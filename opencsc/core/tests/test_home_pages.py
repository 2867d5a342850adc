"""Every role's home page shows that role's work: the work queues registered by the apps (core.work),
what is due for the children allocated to them, their team's timescales (team managers) or every team's
(service managers). Practitioners land on My work, which shows the same queues above their due list."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opencsc.accounts.models import ApprovalRequest
from opencsc.accounts.roles import CASEWORK_ROLES, Role
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.care.models import IROAppointment
from opencsc.care.tests.factories import IROEscalationFactory, PeriodOfCareFactory
from opencsc.careleavers.tests.factories import AdviserAllocationFactory, PathwayPlanFactory, care_leaver
from opencsc.casework.tests.factories import AllocationFactory
from opencsc.core import events, work
from opencsc.core.views import LAND_ON_MY_WORK
from opencsc.earlyhelp.tests.factories import StepRequestFactory
from opencsc.edt.tests.factories import OutOfHoursEntryFactory
from opencsc.inspection.tests.factories import ActionFactory
from opencsc.quality.tests.factories import CaseAuditFactory
from opencsc.returns.models import ReturnRun
from opencsc.timescales.models import DueReminder
from opencsc.workforce.tests.factories import SupervisionSessionFactory

pytestmark = pytest.mark.django_db


def _home(client):
    """The page a user lands on from the home page (practitioners: My work)."""
    response = client.get(reverse("core:home"), follow=True)
    assert response.status_code == 200
    return response.content.decode()


# --- Any queue, for any role: rendered with its counts and empty states ---------------------------------


@pytest.fixture
def throwaway_queues(monkeypatch):
    """Three queues only: one that is the signed-in role's main work (two items, one overdue), one that is
    everybody's (empty), one that is another role's main work (empty: not shown to this role)."""
    monkeypatch.setattr(work, "_QUEUES", {})

    def register(role):
        other = Role.AUDITOR if role != Role.AUDITOR else Role.PARTNER
        work.register_queue(work.WorkQueue(
            code="mine", label="Decisions waiting for you", permission=lambda u: True, order=10,
            main_for=frozenset({role}), items=lambda u: [
                work.WorkItem(label="Decide what happens next", url="/x/1/", subject="Malcolm Andrews (LA1)",
                              due_text="2 working days overdue", overdue=True),
                work.WorkItem(label="Decide what happens next", url="/x/2/", subject="Ada Lovelace (LA2)",
                              since=dt.date(2026, 11, 23)),
            ]))
        work.register_queue(work.WorkQueue(
            code="everyone", label="Requests for everyone", permission=lambda u: True, order=20,
            items=lambda u: [], empty_text="No requests are waiting."))
        work.register_queue(work.WorkQueue(
            code="theirs", label="Somebody else's queue", permission=lambda u: True, order=30,
            main_for=frozenset({other}), items=lambda u: [], empty_text="Nothing for them."))
        work.register_queue(work.WorkQueue(
            code="refused", label="A queue this user may not see", permission=lambda u: False, order=40,
            items=lambda u: [work.WorkItem(label="Secret", url="/secret/")]))
    return register


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_a_page_with_their_queues_counts_and_empty_states(
        signed_in, throwaway_queues, role, django_assert_max_num_queries):
    throwaway_queues(role)
    client = signed_in(role)

    with django_assert_max_num_queries(25):
        html = _home(client)

    assert "Decisions waiting for you" in html
    assert "2 waiting" in html and "1 overdue" in html
    assert "Malcolm Andrews (LA1)" in html and 'href="/x/2/"' in html
    assert "2 working days overdue" in html and "Waiting since 23 Nov 2026" in html
    assert "Requests for everyone" in html and "No requests are waiting." in html
    assert "Somebody else&#x27;s queue" not in html and "Somebody else's queue" not in html
    assert "A queue this user may not see" not in html and "/secret/" not in html
    assert html.index("Decisions waiting for you") < html.index("Requests for everyone")


@pytest.mark.parametrize("role", sorted(LAND_ON_MY_WORK))
def test_practitioners_land_on_my_work_with_their_queues_above_the_due_list(signed_in, throwaway_queues, role):
    throwaway_queues(role)
    client = signed_in(role)

    response = client.get(reverse("core:home"))

    assert response.status_code == 302 and response.url == reverse("timescales:my_work")
    html = client.get(response.url).content.decode()
    assert html.index("Decisions waiting for you") < html.index("Due for the children allocated to you")
    assert "Nothing is due for the children allocated to you" in html


@pytest.mark.parametrize("role", sorted(set(Role) - LAND_ON_MY_WORK))
def test_other_roles_have_their_own_home_page_with_the_menu_below_their_work(signed_in, throwaway_queues, role):
    throwaway_queues(role)
    client = signed_in(role)

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Decisions waiting for you") < html.index('<ul class="govuk-list">\n')


def test_a_role_with_no_queue_at_all_is_told_nothing_is_waiting(signed_in, monkeypatch):
    monkeypatch.setattr(work, "_QUEUES", {})

    html = _home(signed_in(Role.PARTNER))

    assert "Nothing is waiting for you." in html


# --- The queues the apps register, through the pages ---------------------------------------------------


def test_a_team_manager_sees_handovers_to_their_team_and_the_teams_timescales(signed_in):
    team = TeamFactory(name="Referral and assessment team")
    client = signed_in(Role.TEAM_MANAGER, team=team)
    entry = OutOfHoursEntryFactory(day_team=team)
    OutOfHoursEntryFactory(day_team=TeamFactory(name="Another team"))  # not theirs

    html = _home(client)

    queue = html[html.index('id="queue-edt_handovers"'):]
    queue = queue[:queue.index("</section>")]
    assert "1 waiting" in queue and "1 overdue" in queue
    assert reverse("edt:entry_detail", args=[entry.child_id, entry.pk]) in queue
    assert escape(entry.child.full_name) in queue
    assert "Referral and assessment team: timescales" in html
    assert "Nothing is due for the team&#x27;s children." in html or "Nothing is due for the team's children." in html
    assert reverse("timescales:team") in html


def test_a_team_manager_with_nothing_waiting_reads_plain_empty_states(signed_in):
    html = _home(signed_in(Role.TEAM_MANAGER, team=TeamFactory()))

    assert "No out-of-hours handovers are waiting for your team." in html
    assert "Nothing is due for the children allocated to you." in html


def test_the_emergency_duty_team_sees_handovers_not_yet_acknowledged(signed_in):
    client = signed_in(Role.EDT_WORKER, team=TeamFactory(name="Emergency duty team"))

    assert "Every out-of-hours handover has been acknowledged." in _home(client)

    OutOfHoursEntryFactory(recorded_by=client.user)
    html = _home(client)
    assert "Handovers the day teams have not acknowledged yet" in html and "1 waiting" in html


def test_a_service_manager_sees_every_teams_overdue_counts_and_approvals_awaiting(signed_in, make_user):
    client = signed_in(Role.SERVICE_MANAGER)
    admin = make_user(Role.ADMINISTRATOR)
    newcomer = make_user(Role.SOCIAL_WORKER)
    ApprovalRequest.objects.create(kind=ApprovalRequest.Kind.NEW_ACCOUNT, subject=newcomer, requested_by=admin,
                                   new_role=Role.SOCIAL_WORKER)
    ApprovalRequest.objects.create(kind=ApprovalRequest.Kind.ROLE_CHANGE, subject=client.user, requested_by=admin,
                                   new_role=Role.SERVICE_MANAGER)  # about themselves: not theirs to decide
    team = TeamFactory(name="Child protection team")
    today = timezone.localdate()
    for overdue, due_soon in ((3, 1), (2, 4)):
        DueReminder.objects.create(worker=make_user(Role.SOCIAL_WORKER, team=team), as_at=today, due_by=today,
                                   overdue=overdue, due_soon=due_soon, computed_at=timezone.now())

    html = _home(client)

    queue = html[html.index('id="queue-account_approvals"'):]
    queue = queue[:queue.index("</section>")]
    assert "1 waiting" in queue and escape(newcomer.display_name) in queue
    overview = html[html.index('id="teams-overview"'):]
    overview = overview[:overview.index("</section>")]
    assert "Child protection team" in overview and ">5<" in overview
    assert f"?team={team.pk}" in overview and f"worked out overnight on {today.day} {today:%b %Y}" in overview
    assert "No destruction of records is waiting for you to confirm." in html


def test_a_service_manager_before_the_overnight_counts_is_told_so(signed_in):
    html = _home(signed_in(Role.SERVICE_MANAGER))

    assert "The teams&#x27; counts have not been worked out yet" in html \
        or "The teams' counts have not been worked out yet" in html


def test_an_administrator_sees_two_factor_resets_another_administrator_asked_for(signed_in, make_user):
    client = signed_in(Role.ADMINISTRATOR)
    other = make_user(Role.ADMINISTRATOR)
    ApprovalRequest.objects.create(kind=ApprovalRequest.Kind.TWO_FACTOR_RESET, subject=make_user(), requested_by=other)
    ApprovalRequest.objects.create(kind=ApprovalRequest.Kind.NEW_ACCOUNT, subject=make_user(), requested_by=other)

    html = _home(client)

    queue = html[html.index('id="queue-account_approvals"'):]
    assert "1 waiting" in queue[:queue.index("</section>")]


def test_an_auditor_sees_the_audits_they_have_to_complete(signed_in):
    client = signed_in(Role.AUDITOR)

    assert "You have no case audits in progress." in _home(client)

    audit = CaseAuditFactory(auditor=client.user)
    CaseAuditFactory()  # someone else's
    html = _home(client)
    queue = html[html.index('id="queue-quality_audits"'):]
    queue = queue[:queue.index("</section>")]
    assert "1 waiting" in queue and reverse("quality:audit_detail", args=[audit.child_id, audit.pk]) in queue


def test_a_performance_analyst_sees_the_errors_of_the_latest_validation(signed_in):
    client = signed_in(Role.PERFORMANCE_ANALYST)

    assert "The latest checks of the statutory returns found no errors for you to fix." in _home(client)

    run = ReturnRun.objects.create(kind="cin", year=2026, status=ReturnRun.Status.SUCCEEDED, validated=True,
                                   error_count=7, finished_at=timezone.now())
    html = _home(client)
    assert "Fix 7 validation errors" in html and reverse("returns:report", args=[run.pk]) in html


# --- The independent reviewing officer ------------------------------------------------------------------


@pytest.fixture
def iro_caseload(make_user):
    """An IRO appointed to two children in care (one became looked after 40 days ago: their first review is
    overdue; one 10 days ago), and to a third whose appointment ended; an escalation they raised."""
    iro = make_user(Role.IRO)
    today = timezone.localdate()
    children = []
    for days_ago, ended in ((40, False), (10, False), (60, True)):
        period = PeriodOfCareFactory(start_date=today - dt.timedelta(days=days_ago))
        appointment = IROAppointment.objects.create(
            child=period.child, period=period, iro=iro, appointed_on=period.start_date, created_by=iro,
            ended_on=today if ended else None)
        events.announce(appointment)
        children.append(period.child)
    escalation = IROEscalationFactory(period=children[1].care_periods.get(), raised_by=iro,
                                      raised_on=today - dt.timedelta(days=5),
                                      response_due_on=today - dt.timedelta(days=1))
    return iro, children, escalation


def test_an_iro_lands_on_their_reviews_due_and_escalations(client, iro_caseload):
    iro, (late, soon, former), escalation = iro_caseload
    client.force_login(iro)

    html = _home(client)

    queue = html[html.index('id="queue-iro_reviews"'):]
    queue = queue[:queue.index("</section>")]
    assert "2 waiting" in queue and "1 overdue" in queue
    assert escape(late.full_name) in queue and escape(soon.full_name) in queue
    assert escape(former.full_name) not in queue
    assert queue.index(escape(late.full_name)) < queue.index(escape(soon.full_name))
    assert reverse("care:iro_caseload") in queue
    escalations = html[html.index('id="queue-iro_escalations"'):]
    assert "1 waiting" in escalations[:escalations.index("</section>")]


def test_an_iros_my_work_shows_their_reviews_due(client, iro_caseload):
    iro, (late, soon, _former), _escalation = iro_caseload
    client.force_login(iro)

    html = client.get(reverse("timescales:my_work")).content.decode()

    assert "Looked-after reviews due" in html and "Chair the looked-after review" in html
    assert escape(late.full_name) in html and escape(soon.full_name) in html


def test_the_iro_caseload_lists_each_child_with_the_next_review_and_escalations(
        client, iro_caseload, django_assert_max_num_queries):
    iro, (late, soon, former), escalation = iro_caseload
    client.force_login(iro)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("care:iro_caseload"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "2 children; 1 review overdue; 1 with an open escalation." in html
    assert html.index(escape(late.full_name)) < html.index(escape(soon.full_name))
    assert escape(former.full_name) not in html
    assert "Overdue" in html and escalation.get_stage_display() in html
    assert reverse("care:overview", args=[late.pk]) in html


def test_an_iro_with_no_children_is_told_so(signed_in):
    client = signed_in(Role.IRO)

    assert "You are not appointed as independent reviewing officer to any child in care." in \
        client.get(reverse("care:iro_caseload")).content.decode()
    assert "No looked-after reviews are due" in _home(client)


@pytest.mark.parametrize("role", list(Role))
def test_only_an_iro_has_a_caseload_of_reviews(signed_in, role):
    assert signed_in(role).get(reverse("care:iro_caseload")).status_code == (200 if role == Role.IRO else 403)


def test_the_caseload_page_queries_do_not_grow_with_the_children(client, make_user, django_assert_max_num_queries):
    iro = make_user(Role.IRO)
    today = timezone.localdate()
    for days_ago in range(5, 35):
        period = PeriodOfCareFactory(start_date=today - dt.timedelta(days=days_ago))
        events.announce(IROAppointment.objects.create(child=period.child, period=period, iro=iro,
                                                      appointed_on=period.start_date, created_by=iro))
    client.force_login(iro)

    with django_assert_max_num_queries(20):
        assert "30 children" in client.get(reverse("care:iro_caseload")).content.decode()
    with django_assert_max_num_queries(25):
        assert "30 waiting" in _home(client)


# --- My work on the home page ------------------------------------------------------------------------


def test_casework_roles_have_my_work_on_their_home_page(signed_in):
    for role in sorted(CASEWORK_ROLES - LAND_ON_MY_WORK):
        html = _home(signed_in(role, team=TeamFactory()))
        assert "Due for the children allocated to you" in html and reverse("timescales:my_work") in html


def test_a_personal_advisers_my_work_shows_what_is_due_for_the_young_people_they_hold(signed_in):
    client = signed_in(Role.PERSONAL_ADVISER)
    held = care_leaver()
    AdviserAllocationFactory(child=held.child, adviser=client.user)
    PathwayPlanFactory(child=held.child, start_date=timezone.localdate() - dt.timedelta(days=200))  # review late
    other = care_leaver()
    PathwayPlanFactory(child=other.child)  # held by nobody: not theirs

    html = _home(client)

    queue = html[html.index('id="queue-careleavers_due"'):]
    queue = queue[:queue.index("</section>")]
    assert "1 waiting" in queue and "1 overdue" in queue and "Pathway plan reviews" in queue
    assert escape(held.child.full_name) in queue and escape(other.child.full_name) not in queue


def test_a_personal_adviser_holding_nobody_is_told_so(signed_in):
    assert "Nothing is due for the young people you hold as personal adviser." in _home(
        signed_in(Role.PERSONAL_ADVISER))


# --- More work that exists today: inspection actions, the early help panel, supervision, escalations ----


def _queue(html, code):
    section = html[html.index(f'id="queue-{code}"'):]
    return section[:section.index("</section>")]


def test_the_owner_of_an_inspection_action_sees_it_until_it_is_done(signed_in):
    client = signed_in(Role.PERFORMANCE_ANALYST)
    assert "You own no inspection actions that are still to do." in _home(client)

    action = ActionFactory(owner=client.user, due_on=timezone.localdate() - dt.timedelta(days=1))
    ActionFactory()  # someone else's
    queue = _queue(_home(client), "inspection_actions")
    assert "1 waiting" in queue and "1 overdue" in queue and reverse("inspection:action", args=[action.pk]) in queue


def test_managers_see_step_ups_waiting_for_the_panel(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    assert "No step-up or step-down is waiting for the panel." in _home(client)

    step = StepRequestFactory()
    StepRequestFactory(panel_decision="accepted")  # decided
    queue = _queue(_home(client), "earlyhelp_panel")
    assert "1 waiting" in queue and reverse("earlyhelp:step_decision", args=[step.child_id, step.pk]) in queue


def test_a_team_manager_sees_who_in_their_team_is_due_supervision(signed_in, make_user):
    team = TeamFactory()
    client = signed_in(Role.TEAM_MANAGER, team=team)
    worker = make_user(Role.SOCIAL_WORKER, team=team, date_joined=timezone.now() - dt.timedelta(days=400))
    supervised = make_user(Role.SOCIAL_WORKER, team=team, date_joined=timezone.now() - dt.timedelta(days=400))
    SupervisionSessionFactory(supervisor=client.user, held_on=timezone.localdate(), supervisees=[supervised])

    queue = _queue(_home(client), "workforce_supervision")

    assert "1 waiting" in queue and "1 overdue" in queue
    assert escape(worker.display_name) in queue and escape(supervised.display_name) not in queue


def test_the_childs_worker_and_team_manager_see_an_iro_escalation_to_answer(signed_in, make_user):
    team = TeamFactory()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    period = PeriodOfCareFactory()
    AllocationFactory(child=period.child, worker=worker, team=team)
    escalation = IROEscalationFactory(period=period, raised_by=make_user(Role.IRO),
                                      response_due_on=timezone.localdate() + dt.timedelta(days=3))
    manager = signed_in(Role.TEAM_MANAGER, team=team)

    queue = _queue(_home(manager), "care_escalations_to_answer")
    assert "1 waiting" in queue
    assert reverse("care:escalation_respond", args=[period.child_id, escalation.pk]) in queue

    manager.force_login(worker)
    assert "1 waiting" in _queue(_home(manager), "care_escalations_to_answer")

    manager.force_login(make_user(Role.TEAM_MANAGER, team=TeamFactory()))
    assert "No IRO escalation is waiting for your response." in _home(manager)
