"""Every edit form detects a stale save (issue 15): the inventory of edit views, checked complete, and for
each one: open the form, someone else saves the record meanwhile, send the form with a change: the save
is refused with the GOV.UK error summary, what was typed is still in the form, and the record is as the
other person left it.

The inventory is checked against the pages themselves (every page of the permission matrix whose POST
form carries a `version` field must be listed) and against the code (every view that passes
`expected_version` to a service must be listed, or named in NOT_EDIT_FORMS with the reason).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db.models import F
from django.forms.models import model_to_dict
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape

from opencsc.accounts.roles import Role
from opencsc.core.audit import StaleRecordError
from opencsc.core.models import AuditEvent
from opencsc.core.tests import test_permission_matrix as matrix_tests
from opencsc.core.tests.form_pages import filled, form_data, post_forms
from opencsc.core.tests.test_permission_matrix import MATRIX, PUBLIC

world = matrix_tests.world  # the permission matrix's records, built once for this module

STALE = StaleRecordError.message


def _pk(key):
    return lambda w: {"pk": w[key]}


@dataclass(frozen=True)
class Edit:
    """One edit view: the versioned model it saves and how to find the matrix world's row, the page the
    form is on (default: the view's own URL), what to type, and anything the form needs to be valid."""

    model: str
    lookup: Callable[[dict], dict]
    typed: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    page: str | None = None
    role: str | None = None
    fill: bool = True  # give empty fields a plausible value (forms that record a step); False: as opened
    setup: Callable[[dict], None] | None = None  # bring the world's record to where the form can be used


def _update(model: str, key: str, **values):
    return lambda w: apps.get_model(model).objects.filter(pk=w[key]).update(**values)


def _days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


def _matched(w):
    _update("adoption.AdopterHousehold", "adopters", approved_on=_days_ago(60))(w)
    _update("adoption.AdoptionPlan", "adoption_plan", placement_order_on=_days_ago(50), matched_on=_days_ago(40),
            adopters_id=w["adopters"])(w)


def _placed(w):
    _matched(w)
    _update("adoption.AdoptionPlan", "adoption_plan", placed_on=_days_ago(30))(w)


def _closable_episode(w):
    from opencsc.assessment.tests.factories import CINEpisodeFactory
    from opencsc.people.tests.factories import ChildFactory

    child = ChildFactory()
    w["child"], w["episode"] = child.pk, CINEpisodeFactory(child=child).pk


def _submitted_assessment(w):
    apps.get_model("assessment.Assessment").objects.filter(episode=w["episode"]).update(submitted_at=timezone.now())


def _eh_assessment(w):
    from opencsc.earlyhelp.models import EarlyHelpAssessment, EarlyHelpEpisode

    episode = EarlyHelpEpisode.objects.get(pk=w["eh_episode"])
    EarlyHelpAssessment.objects.create(episode=episode, created_by=episode.created_by,
                                       start_date=episode.start_date)


def _rule_setting(w):
    from opencsc.timescales.models import LocalRuleSetting

    LocalRuleSetting.objects.create(rule_code=w["rule"], values={}, version=1)


def _worker_profile(w):
    from opencsc.workforce.models import WorkerProfile

    WorkerProfile.objects.get_or_create(user_id=w["worker"])


def _chronology_analysis(w):
    from opencsc.casework.models import ChronologyAnalysis

    ChronologyAnalysis.objects.create(child_id=w["child"], kind="case_note", source_id=w["note"], seq=0,
                                      text="An analysis", author=w["users"][Role.SOCIAL_WORKER])


def _workforce_settings(w):
    from opencsc.workforce.models import WorkforceSettings

    WorkforceSettings.objects.get_or_create(pk=1)

EDIT_VIEWS: dict[str, Edit] = {
    "accounts:user_edit": Edit("accounts.User", _pk("user"), {"job_title": "Stale title"}, fill=False),
    "accounts:team_edit": Edit("accounts.Team", _pk("team"), {"name": "Stale team name"}, fill=False),
    "adoption:adopter_stage": Edit("adoption.AdopterHousehold", _pk("adopters")),
    "adoption:adopter_withdraw": Edit("adoption.AdopterHousehold", _pk("adopters")),
    "adoption:placement_order": Edit("adoption.AdoptionPlan", _pk("adoption_plan")),
    "adoption:match": Edit("adoption.AdoptionPlan", _pk("adoption_plan"), setup=_update(
        "adoption.AdopterHousehold", "adopters", approved_on=_days_ago(60))),
    "adoption:placement": Edit("adoption.AdoptionPlan", _pk("adoption_plan"), setup=_matched),
    "adoption:adoption_order": Edit("adoption.AdoptionPlan", _pk("adoption_plan"), setup=_placed),
    "adoption:plan_end": Edit("adoption.AdoptionPlan", _pk("adoption_plan")),
    "assessment:assessment_edit": Edit("assessment.Assessment", lambda w: {"episode": w["episode"]}),
    "assessment:assessment_authorise": Edit("assessment.Assessment", lambda w: {"episode": w["episode"]},
                                            setup=_submitted_assessment),
    "assessment:assessment_submit": Edit("assessment.Assessment", lambda w: {"episode": w["episode"]}),
    "assessment:assessment_return": Edit("assessment.Assessment", lambda w: {"episode": w["episode"]},
                                         setup=_submitted_assessment),
    "assessment:episode_close": Edit("assessment.CINEpisode", _pk("episode"), setup=_closable_episode),
    "care:placement_edit": Edit("care.Placement", _pk("care_placement")),
    "care:escalation_respond": Edit("care.IROEscalation", _pk("care_escalation")),
    "care:escalation_progress": Edit("care.IROEscalation", _pk("care_escalation")),
    "careleavers:support": Edit("careleavers.CareLeaver", lambda w: {"child": w["child"]},
                                {"staying_put_carer": "Mrs Stale"}, fill=False),
    "casework:chronology_analysis": Edit(
        "casework.ChronologyAnalysis", lambda w: {"child": w["child"], "kind": "case_note", "source_id": w["note"]},
        {"text": "What I typed, now stale"}, setup=_chronology_analysis),
    "casework:note_edit": Edit("casework.CaseNote", _pk("note"), {"body": "What I typed, now stale"}),
    "earlyhelp:assessment": Edit("earlyhelp.EarlyHelpAssessment", lambda w: {"episode": w["eh_episode"]},
                                 setup=_eh_assessment),
    "earlyhelp:episode_close": Edit("earlyhelp.EarlyHelpEpisode", _pk("eh_episode")),
    "earlyhelp:step_decision": Edit("earlyhelp.StepRequest", _pk("eh_step_up")),
    "earlyhelp:step_outcome": Edit("earlyhelp.StepRequest", _pk("eh_step_accepted")),
    "frontdoor:contact_screen": Edit("frontdoor.Contact", _pk("contact")),
    "frontdoor:contact_decide": Edit("frontdoor.Contact", _pk("contact"), setup=_update(
        "frontdoor.Contact", "contact", screened_at=timezone.now() - dt.timedelta(hours=2))),
    "frontdoor:partner_request": Edit("frontdoor.InformationRequest", _pk("information_request")),
    "inspection:edit": Edit("inspection.Inspection", _pk("inspection")),
    "inspection:area_edit": Edit("inspection.AreaForImprovement", _pk("inspection_area")),
    "inspection:action_edit": Edit("inspection.Action", _pk("inspection_action")),
    "inspection:action_update": Edit("inspection.Action", _pk("inspection_action"),
                                     data={"status": "in_progress", "completed_on_0": "", "completed_on_1": "",
                                           "completed_on_2": ""}),
    "missing:episode_return": Edit("missing.MissingEpisode", _pk("missing_open_episode"),
                                   {"where_found": "At a friend's house"}, data={"ended_time": "23:59"}),
    "otherduties:private_fostering_end": Edit("otherduties.PrivateFostering", _pk("private_fostering")),
    "otherduties:final_order": Edit("otherduties.CareProceedings", _pk("proceedings")),
    "otherduties:lado_outcome": Edit("otherduties.LadoAllegation", _pk("lado")),
    "people:child_edit": Edit("people.Child", _pk("child"), {"preferred_name": "Stale name"}, fill=False),
    "people:relationship_edit": Edit("people.Relationship", _pk("relationship"),
                                     {"notes": "Lives with her nan at weekends"}, fill=False),
    "people:relationship_end": Edit("people.Relationship", _pk("relationship"), page="people:relationship_edit"),
    "performance:target_edit": Edit("performance.Target", lambda w: {"indicator": w["indicator"]},
                                    {"target": "77"}),
    "quality:question_edit": Edit("quality.AuditQuestion", _pk("question")),
    "quality:audit_complete": Edit("quality.CaseAudit", _pk("audit_open")),
    "retention:rule_edit": Edit("retention.RetentionRule", lambda w: {"record_class": w["retention_rule"]},
                                {"years": "30"}, fill=False),
    "timescales:setting_edit": Edit("timescales.LocalRuleSetting", lambda w: {"rule_code": w["rule"]},
                                    {"amber_length": "3"}, setup=_rule_setting, fill=False),
    "wellbeing:contact_end": Edit("wellbeing.ContactArrangement", _pk("contact_arrangement")),
    "wellbeing:complaint_update": Edit("wellbeing.Complaint", _pk("complaint")),
    "workforce:profile_edit": Edit("workforce.WorkerProfile", lambda w: {"user": w["worker"]},
                                    setup=_worker_profile),
    "workforce:settings": Edit("workforce.WorkforceSettings", lambda w: {}, setup=_workforce_settings),
}

# Views that pass `expected_version` to a service but are not forms that edit a record a user opened.
NOT_EDIT_FORMS = {
    "adoption:adopter_add": "creates the household, then sets its legal status at the version it was created at",
    "people:sharing": "the 'Stop sharing' button carries the share's version; tested in people/tests",
}


def _views_passing_expected_version() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, p.namespace or namespace)
            elif p.name:
                view = inspect.unwrap(p.callback)
                try:
                    source = inspect.getsource(view)
                except (OSError, TypeError):
                    continue
                if "expected_version" in source or "posted_version" in source:
                    names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_view_that_saves_at_a_version_is_in_the_inventory():
    missing = _views_passing_expected_version() - set(EDIT_VIEWS) - set(NOT_EDIT_FORMS)
    assert not missing, f"Add these edit views to EDIT_VIEWS (with a stale-save test): {sorted(missing)}"
    assert set(EDIT_VIEWS) <= set(MATRIX), "EDIT_VIEWS names URLs that no longer exist"


def _role(name: str, edit: Edit):
    if edit.role:
        return edit.role
    entry = MATRIX[name]
    return sorted(r for r in entry.allowed if r not in entry.not_found)[0]


def _versioned_forms(html: str) -> list[dict]:
    return [f for f in post_forms(html) if any(n == "version" for n, _ in f["fields"])]


@pytest.mark.django_db
def test_every_page_with_a_versioned_form_is_in_the_inventory(client, world):
    """Every page of the matrix (as a role that may use it) whose form carries a version is listed."""
    found = set()
    for name, entry in sorted(MATRIX.items()):
        if entry.method != "get" or entry.allowed is PUBLIC or name in NOT_EDIT_FORMS:
            continue
        client.force_login(world["users"][_role(name, Edit("", dict))])
        response = client.get(reverse(name, args=[world[a] for a in entry.args]))
        if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
            continue
        if _versioned_forms(response.content.decode()):
            found.add(name)
    listed_pages = {e.page or n for n, e in EDIT_VIEWS.items()}
    missing = found - listed_pages
    assert not missing, f"These pages edit a record at a version: add them to EDIT_VIEWS: {sorted(missing)}"
    assert len(found) >= 40


def _row(edit: Edit, world):
    model = apps.get_model(edit.model)
    return model.objects.filter(**edit.lookup(world))


def _state(rows) -> list:
    return [{k: v for k, v in model_to_dict(r).items() if k not in ("version", "updated_at")} for r in rows]


def _typed(form: dict, edit: Edit) -> dict:
    if edit.typed:
        return edit.typed
    for name in form["textareas"] + form["texts"]:
        if name != "version":
            return {name: "Typed by the second person, not saved"}
    return {}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EDIT_VIEWS))
def test_a_stale_save_is_refused_with_the_typed_input_kept(name, client, world):
    edit = EDIT_VIEWS[name]
    world = dict(world)
    if edit.setup:
        edit.setup(world)
    entry = MATRIX[edit.page or name]
    client.force_login(world["users"][_role(name, edit)])
    # Given the form, opened by one person,
    page_url = reverse(edit.page or name, args=[world[a] for a in entry.args])
    query = page_url.split("?", 1)[1] if "?" in page_url else ""
    response = client.get(page_url)
    assert response.status_code == 200, name
    post_url = reverse(name, args=[world[a] for a in MATRIX[name].args])
    forms = _versioned_forms(response.content.decode())
    forms = [f for f in forms if not f["action"] or f["action"].split("?")[0] == post_url.split("?")[0]]
    assert forms, f"{name}: no form with a version on {page_url}"
    form = forms[0]
    data = {**(filled(form, _days_ago(1)) if edit.fill else form_data(form)), **edit.data}
    typed = _typed(form, edit)
    data.update(typed)
    # when someone else saves the record meanwhile (its version moves on),
    if edit.model == "performance.Target":
        from opencsc.performance import services
        from opencsc.performance.indicators import BY_KEY
        from opencsc.performance.scopes import AUTHORITY_SCOPE

        services.target_set(actor=world["users"][Role.SERVICE_MANAGER], indicator=BY_KEY[world["indicator"]],
                            scope=AUTHORITY_SCOPE, target=50, amber_tolerance=1)
    else:
        rows = _row(edit, world)
        assert rows.count() == 1, f"{name}: the world has no single {edit.model} row"
        rows.update(version=F("version") + 1)
    rows = _row(edit, world)
    before, events = _state(rows), AuditEvent.objects.count()
    # and the first person sends the form with their change,
    response = client.post(post_url + (f"?{query}" if query and "?" not in post_url else ""), data)
    # then the save is refused in the error summary, what they typed is still there, and nothing changed.
    html = response.content.decode()
    assert response.status_code == 200, f"{name}: expected the form again, got {response.status_code}"
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', html, re.S)
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary.group(0))) if summary else ""
    assert escape(STALE) in (summary.group(0) if summary else ""), f"{name}: no stale message, got: {shown}"
    for value in typed.values():
        assert escape(value) in html, f"{name}: the typed {value!r} is not in the form"
    assert _state(_row(edit, world)) == before and AuditEvent.objects.count() == events, f"{name}: changed"
