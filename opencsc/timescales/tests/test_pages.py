"""The timescale pages, for each role: what they show, what they change, and what they refuse."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES, Role
from opencsc.core.models import AuditEvent
from opencsc.people.models import Child
from opencsc.timescales.authority import authority_settings
from opencsc.timescales.core import RULES, RULES_BY_CODE, WorkingDayCalendar, effective_rule
from opencsc.timescales.models import ClosureDay, LocalRuleSetting, MissedTimescaleReason

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
OVERDUE_ROLES = MANAGER_ROLES | {Role.PERFORMANCE_ANALYST, Role.AUDITOR}
SETTINGS_ROLES = {Role.SERVICE_MANAGER, Role.ADMINISTRATOR}


def _short(day):
    return f"{day.day} {day:%b %Y}"


def _overdue_start(today):
    """A CP plan start date whose first visit is 3 working days overdue today."""
    return WorkingDayCalendar().subtract(today, 13, "working_days")


@pytest.mark.parametrize("name, allowed", [
    ("timescales:my_work", CASEWORK_ROLES),
    ("timescales:team", MANAGER_ROLES),
    ("timescales:overdue", OVERDUE_ROLES),
    ("timescales:rules", set(Role)),
    ("timescales:settings", SETTINGS_ROLES),
    ("timescales:closure_days", SETTINGS_ROLES),
])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_for_each_role(signed_in, name, allowed, role):
    client = signed_in(role)

    response = client.get(reverse(name))

    assert response.status_code == (200 if role in allowed else 403)


def test_my_work_shows_what_is_due_red_first_with_a_link_to_the_child(
    signed_in, casework_clocks, cp_plan, allocate, today
):
    client = signed_in(Role.SOCIAL_WORKER)
    late = cp_plan(_overdue_start(today))
    allocate(late, client.user)
    on_track = cp_plan(today)
    allocate(on_track, client.user)

    response = client.get(reverse("timescales:my_work"))

    html = response.content.decode()
    # The due list, under the work queues (both children are also "Newly allocated to you" above it).
    html = html[html.index("Due for the children allocated to you"):]
    assert reverse("casework:child_record", args=[late.pk]) in html
    assert reverse("casework:child_record", args=[on_track.pk]) in html
    # Names as the page writes them: a generated "O'Neill" is escaped in HTML.
    assert html.index(escape(late.full_name)) < html.index(escape(on_track.full_name))
    assert "Visits to a child on a child protection plan" in html
    due = WorkingDayCalendar().add(_overdue_start(today), 10, "working_days")
    assert _short(due) in html
    overdue = max(1, WorkingDayCalendar().working_days_between(due, today))  # in the rule's unit
    assert f"{overdue} working day{'' if overdue == 1 else 's'} overdue" in html
    assert "Record why it was missed" in html
    assert reverse("timescales:missed_reason", args=[late.pk, "cp_visit"]) in html


def test_my_work_with_nothing_allocated_says_so(signed_in):
    response = signed_in(Role.SOCIAL_WORKER).get(reverse("timescales:my_work"))

    assert "Nothing is due for the children allocated to you" in response.content.decode()


# --- Recording why a timescale was missed ------------------------------------------------------


@pytest.fixture
def late_child(casework_clocks, cp_plan, today):
    return cp_plan(_overdue_start(today))


def _missed_url(child, rule="cp_visit"):
    return reverse("timescales:missed_reason", args=[child.pk, rule])


def test_recording_why_a_visit_was_missed(signed_in, late_child, today):
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(_missed_url(late_child), {"reason": "The family were away and did not answer."})

    assert response.status_code == 302
    record = MissedTimescaleReason.objects.get()
    due = WorkingDayCalendar().add(_overdue_start(today), 10, "working_days")
    assert (record.child, record.rule_code, record.due_date, record.recorded_by) == (
        late_child, "cp_visit", due, client.user)
    assert AuditEvent.objects.filter(child=late_child, action=AuditEvent.Action.CREATED).exists()
    page = client.get(reverse("timescales:overdue") if client.user.role in OVERDUE_ROLES else _missed_url(late_child))
    assert "The family were away" in page.content.decode()


def test_recording_again_replaces_the_reason(signed_in, late_child):
    client = signed_in(Role.SOCIAL_WORKER)
    client.post(_missed_url(late_child), {"reason": "First reason"})

    client.post(_missed_url(late_child), {"reason": "Better reason"})

    assert list(MissedTimescaleReason.objects.values_list("reason", flat=True)) == ["Better reason"]


def test_a_reason_is_required(signed_in, late_child):
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(_missed_url(late_child), {"reason": "  "})

    assert response.status_code == 200
    assert "Enter why the timescale was missed" in response.content.decode()
    assert MissedTimescaleReason.objects.count() == 0


@pytest.mark.parametrize("role", sorted(set(Role) - CASEWORK_ROLES))
def test_roles_that_cannot_record_are_refused_and_nothing_changes(signed_in, late_child, role):
    client = signed_in(role)

    response = client.post(_missed_url(late_child), {"reason": "Not mine to say"})

    assert response.status_code == 403
    assert MissedTimescaleReason.objects.count() == 0
    assert AuditEvent.objects.filter(child=late_child).count() == 0


def test_a_restricted_child_is_not_found_and_the_attempt_is_logged(signed_in, late_child):
    Child.objects.filter(pk=late_child.pk).update(is_restricted=True)
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(_missed_url(late_child), {"reason": "Anything"})

    assert response.status_code == 404
    assert MissedTimescaleReason.objects.count() == 0
    assert AccessLog.objects.filter(child=late_child, outcome="refused").exists()


def test_nothing_can_be_recorded_for_a_timescale_that_is_not_overdue(signed_in, casework_clocks, cp_plan, today):
    child = cp_plan(today)
    client = signed_in(Role.SOCIAL_WORKER)

    page = client.get(_missed_url(child))
    response = client.post(_missed_url(child), {"reason": "Early excuse"})

    assert "nothing to record" in page.content.decode()
    assert response.status_code == 404
    assert MissedTimescaleReason.objects.count() == 0


def test_an_unknown_rule_is_not_found(signed_in, late_child):
    response = signed_in(Role.SOCIAL_WORKER).get(_missed_url(late_child, "no_such_rule"))

    assert response.status_code == 404


# --- Team and overdue -----------------------------------------------------------------------------


def test_team_page_shows_workers_with_their_totals(signed_in, late_child, allocate, team, worker):
    allocate(late_child, worker)
    client = signed_in(Role.TEAM_MANAGER, team=team)

    html = client.get(reverse("timescales:team")).content.decode()

    assert worker.display_name in html
    assert escape(late_child.full_name) in html


def test_team_manager_cannot_look_at_another_team(signed_in, late_child, allocate, team, worker, make_user):
    allocate(late_child, worker)
    client = signed_in(Role.TEAM_MANAGER, team=make_user().team)

    html = client.get(reverse("timescales:team"), {"team": team.pk}).content.decode()

    assert escape(late_child.full_name) not in html


def test_overdue_list_is_paginated_and_filters_by_rule(signed_in, casework_clocks, cp_plan, today):
    for _ in range(26):
        cp_plan(_overdue_start(today))
    client = signed_in(Role.PERFORMANCE_ANALYST)

    first = client.get(reverse("timescales:overdue"), {"rule": "cp_visit"})
    second = client.get(reverse("timescales:overdue"), {"rule": "cp_visit", "page": 2})
    none = client.get(reverse("timescales:overdue"), {"rule": "cin_visit"})

    assert first.context["page_obj"].paginator.count == 26
    assert len(first.context["page_obj"].object_list) == 25
    assert len(second.context["page_obj"].object_list) == 1
    assert "Nothing overdue matches the filters" in none.content.decode()


# --- Rules and settings ---------------------------------------------------------------------------


def test_rules_page_lists_every_rule(signed_in):
    html = signed_in(Role.SOCIAL_WORKER).get(reverse("timescales:rules")).content.decode()

    for rule in RULES:
        assert f'id="rule-{rule.code}"' in html


def _setting_data(**overrides):
    data = {"version": "0", "length": "5", "unit": "working_days", "then_length": "5", "then_unit": "working_days",
            "amber_length": "1", "amber_unit": "working_days"}
    data.update(overrides)
    return data


def test_a_service_manager_changes_a_local_rule(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)

    response = client.post(reverse("timescales:setting_edit", args=["cp_visit"]), _setting_data())

    assert response.status_code == 302
    setting = LocalRuleSetting.objects.get(rule_code="cp_visit")
    assert setting.values == {"length": 5, "unit": "working_days", "then": [[5, "working_days"]],
                              "amber_within": [1, "working_days"]}
    assert AuditEvent.objects.filter(object_id=str(setting.pk), action=AuditEvent.Action.UPDATED).exists()
    rules_page = client.get(reverse("timescales:rules")).content.decode()
    assert "every 5 working days" in rules_page


def test_going_back_to_the_default(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    client.post(reverse("timescales:setting_edit", args=["cp_visit"]), _setting_data())

    client.post(reverse("timescales:setting_edit", args=["cp_visit"]), {"reset": "1"})

    assert LocalRuleSetting.objects.get(rule_code="cp_visit").values == {}
    assert "every 10 working days" in client.get(reverse("timescales:rules")).content.decode()


@pytest.mark.parametrize("overrides, message", [
    ({"length": "0"}, "First timescale must be 1 or more"),
    ({"length": "ten"}, "First timescale must be a whole number"),
    ({"length": ""}, "Enter the first timescale"),
    ({"unit": "hours"}, "Choose working days, days, weeks or months"),
    ({"then_length": "0"}, "Later timescales must be 1 or more"),
    ({"amber_length": "-1"}, "Show as due soon from must be 0 or more"),
])
def test_invalid_values_are_refused_with_a_clear_message(signed_in, overrides, message):
    client = signed_in(Role.SERVICE_MANAGER)

    response = client.post(reverse("timescales:setting_edit", args=["cp_visit"]), _setting_data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert LocalRuleSetting.objects.count() == 0


def test_a_stale_form_is_refused(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    client.post(reverse("timescales:setting_edit", args=["cp_visit"]), _setting_data())

    response = client.post(reverse("timescales:setting_edit", args=["cp_visit"]),
                           _setting_data(length="7", version="0"))

    assert "Someone else changed this record" in response.content.decode()
    assert LocalRuleSetting.objects.get().values["length"] == 5


def test_a_statutory_rule_cannot_be_changed(signed_in):
    """Only how it counts working days may be set: a length posted for it is ignored."""
    client = signed_in(Role.SERVICE_MANAGER)

    page = client.get(reverse("timescales:setting_edit", args=["assessment"])).content.decode()
    response = client.post(reverse("timescales:setting_edit", args=["assessment"]), _setting_data())

    assert 'name="length"' not in page and 'name="closures"' in page
    assert response.status_code == 302
    assert not any(s.values for s in LocalRuleSetting.objects.all())
    assert effective_rule(RULES_BY_CODE["assessment"], authority_settings()).length == 45


def test_a_rule_not_counted_in_working_days_has_no_setting(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)

    response = client.post(reverse("timescales:setting_edit", args=["cla_visit"]), {"closures": "skip"})

    assert response.status_code == 404
    assert LocalRuleSetting.objects.count() == 0


@pytest.mark.parametrize("code", ["assessment", "cp_visit"])
@pytest.mark.parametrize("closures, count_start_day", [("skip", "no"), ("count", "no"), ("skip", "yes"),
                                                       ("count", "yes")])
def test_the_calendar_of_any_working_day_rule_can_be_set(signed_in, code, closures, count_start_day):
    client = signed_in(Role.SERVICE_MANAGER)
    rule = RULES_BY_CODE[code]
    data = {"version": "0", "closures": closures, "count_start_day": count_start_day}
    if rule.configurable:
        data.update(length="10", unit="working_days", then_length="10", then_unit="working_days",
                    amber_length="2", amber_unit="working_days")

    response = client.post(reverse("timescales:setting_edit", args=[code]), data)

    assert response.status_code == 302
    current = effective_rule(rule, authority_settings())
    assert current.applies_closures is (closures == "skip")
    assert current.counts_start_day is (count_start_day == "yes")
    stored = LocalRuleSetting.objects.get(rule_code=code).values
    # Only what differs from the rule's default is stored.
    assert ("closures" in stored) is ((closures == "skip") != rule.applies_closures)
    assert ("count_start_day" in stored) is (count_start_day == "yes")
    settings_page = client.get(reverse("timescales:settings")).content.decode()
    assert rule.name in settings_page


def test_a_wrong_calendar_choice_is_refused_in_plain_words(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)

    response = client.post(reverse("timescales:setting_edit", args=["assessment"]),
                           {"version": "0", "closures": "sometimes"})

    assert response.status_code == 200
    assert "Choose whether to skip the authority&#x27;s closure days" in response.content.decode()
    assert LocalRuleSetting.objects.count() == 0


@pytest.mark.parametrize("role", sorted(set(Role) - SETTINGS_ROLES))
def test_other_roles_cannot_change_settings_or_closure_days(signed_in, role):
    client = signed_in(role)
    ClosureDay.objects.create(date=dt.date(2026, 12, 29), reason="Christmas closure")

    edit = client.post(reverse("timescales:setting_edit", args=["cp_visit"]), _setting_data())
    add = client.post(reverse("timescales:closure_days"),
                      {"date_0": "30", "date_1": "12", "date_2": "2026", "reason": "Christmas"})
    remove = client.post(reverse("timescales:closure_days"), {"remove": ClosureDay.objects.get().pk})

    assert (edit.status_code, add.status_code, remove.status_code) == (403, 403, 403)
    assert LocalRuleSetting.objects.count() == 0
    assert list(ClosureDay.objects.values_list("date", flat=True)) == [dt.date(2026, 12, 29)]


def _closure(day, reason="Christmas closure"):
    return {"date_0": str(day.day), "date_1": str(day.month), "date_2": str(day.year), "reason": reason}


def test_adding_and_removing_a_closure_day(signed_in):
    client = signed_in(Role.ADMINISTRATOR)

    added = client.post(reverse("timescales:closure_days"), _closure(dt.date(2026, 12, 29)))
    day = ClosureDay.objects.get()
    listed = client.get(reverse("timescales:closure_days")).content.decode()
    removed = client.post(reverse("timescales:closure_days"), {"remove": day.pk})

    assert added.status_code == 302 and removed.status_code == 302
    assert "29 Dec 2026" in listed
    assert ClosureDay.objects.count() == 0
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETED, object_id=str(day.pk)).exists()


@pytest.mark.parametrize("data, message", [
    (_closure(dt.date(2026, 12, 26)), "The closure day must be a weekday"),
    (_closure(dt.date(2026, 12, 25)), "That day is already a bank holiday"),
    (_closure(dt.date(2026, 12, 29), reason=""), "Enter why the offices are closed"),
    ({"date_0": "", "date_1": "", "date_2": "", "reason": "x"}, "Enter the date of the closure day"),
    ({"date_0": "31", "date_1": "2", "date_2": "2026", "reason": "x"}, "must be a real date"),
])
def test_closure_day_errors(signed_in, data, message):
    client = signed_in(Role.SERVICE_MANAGER)

    response = client.post(reverse("timescales:closure_days"), data)

    assert message in response.content.decode()
    assert ClosureDay.objects.count() == 0


def test_the_same_closure_day_cannot_be_added_twice(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    client.post(reverse("timescales:closure_days"), _closure(dt.date(2026, 12, 29)))

    response = client.post(reverse("timescales:closure_days"), _closure(dt.date(2026, 12, 29), reason="Again"))

    assert "That day is already a closure day" in response.content.decode()
    assert ClosureDay.objects.count() == 1
