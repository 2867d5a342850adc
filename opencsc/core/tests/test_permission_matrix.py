"""The permission matrix: every URL, for every role (and for nobody signed in).

Adding a URL without adding it here fails `test_every_url_is_in_the_matrix`.
Allowed roles get the page (200, or a redirect that is not to sign-in);
every other role gets 404 or 403, and a refused POST changes nothing.
The child in the matrix is unrestricted and unallocated, and not shared with
any partner agency; the note and document on it were written by someone else.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencsc.accounts import permissions as accounts_policy
from opencsc.accounts.roles import READ_ALL_ROLES, Role
from opencsc.assessment import policy as assessment_policy
from opencsc.casework import policy as casework_policy
from opencsc.core.tests.matrix_support import (
    ALL,
    PUBLIC,
    Entry,
    app_matrices,
    app_world_extenders,
)
from opencsc.core.urls_inventory import all_url_names
from opencsc.people import policy as people_policy
from opencsc.timescales import policy as timescales_policy

CORE_MATRIX: dict[str, Entry] = {
    "core:home": Entry(ALL),
    "core:accessibility": Entry(PUBLIC),
    "core:healthz": Entry(PUBLIC),
    # A group of the service menu: anyone with a page in it (every role has "Timescales" in "Reports").
    "core:menu_group": Entry(ALL, ("menu_group",)),
    "accounts:login": Entry(PUBLIC),
    "accounts:logout": Entry(ALL, method="post"),
    "accounts:two_factor": Entry(ALL),
    "accounts:user_list": Entry(accounts_policy.may_administer_users),
    "accounts:user_create": Entry(accounts_policy.may_administer_users),
    "accounts:user_detail": Entry(accounts_policy.may_administer_users, ("user",)),
    "accounts:user_edit": Entry(accounts_policy.may_administer_users, ("user",)),
    "accounts:user_set_password": Entry(accounts_policy.may_administer_users, ("user",)),
    "accounts:user_deactivate": Entry(accounts_policy.may_administer_users, ("user",)),
    "accounts:user_reactivate": Entry(accounts_policy.may_administer_users, ("user",)),
    "accounts:user_unlock": Entry(accounts_policy.may_administer_users, ("user",)),
    "accounts:user_reset_two_factor": Entry(accounts_policy.may_administer_users, ("user",)),
    "accounts:team_list": Entry(accounts_policy.may_administer_teams),
    "accounts:team_create": Entry(accounts_policy.may_administer_teams),
    "accounts:team_edit": Entry(accounts_policy.may_administer_teams, ("team",)),
    "accounts:access_log": Entry(people_policy.may_view_access_log),
    "people:search": Entry(people_policy.may_search),
    "people:child_create": Entry(people_policy.may_create_child),
    "people:child_edit": Entry(people_policy.EDIT_ANY_CHILD_ROLES, ("child",), page=people_policy.may_edit),
    "people:aliases": Entry(people_policy.EDIT_ANY_CHILD_ROLES, ("child",), page=people_policy.may_edit),
    "people:addresses": Entry(people_policy.EDIT_ANY_CHILD_ROLES, ("child",), page=people_policy.may_edit),
    "people:family": Entry(people_policy.EDIT_ANY_CHILD_ROLES, ("child",), page=people_policy.may_edit),
    "people:family_add": Entry(people_policy.EDIT_ANY_CHILD_ROLES, ("child",), page=people_policy.may_edit),
    "people:relationship_edit": Entry(people_policy.EDIT_ANY_CHILD_ROLES, ("child", "relationship"), page=people_policy.may_edit),
    "people:relationship_end": Entry(people_policy.EDIT_ANY_CHILD_ROLES, ("child", "relationship"), method="post", page=people_policy.may_edit),
    "people:merge": Entry(people_policy.may_merge, ("child",)),
    "people:restriction": Entry(people_policy.may_restrict, ("child",)),
    "people:sharing": Entry(people_policy.EDIT_ANY_CHILD_ROLES, ("child",), page=people_policy.may_edit),
    "casework:child_record": Entry(people_policy.may_view, ("child",), not_found=frozenset({Role.PARTNER})),
    "casework:chronology": Entry(people_policy.may_view_casework, ("child",)),
    "casework:chronology_add": Entry(people_policy.may_record, ("child",)),
    "casework:notes": Entry(people_policy.may_view_casework, ("child",)),
    "casework:note_add": Entry(people_policy.may_record, ("child",)),
    "casework:note_detail": Entry(people_policy.may_view_casework, ("child", "note")),
    "casework:note_edit": Entry(casework_policy.may_edit_others_case_notes, ("child", "note"), page=people_policy.may_record),
    "casework:documents": Entry(people_policy.may_view_casework, ("child",)),
    "casework:document_download": Entry(people_policy.may_view_casework, ("child", "document")),
    "casework:history": Entry(people_policy.may_view_casework, ("child",)),
    "casework:plans": Entry(people_policy.may_view_casework, ("child",)),
    "casework:plan_detail": Entry(people_policy.may_view_casework, ("child", "plan")),
    "casework:plan_child_version": Entry(people_policy.may_view_casework, ("child", "plan")),
    "casework:plan_action_add": Entry(people_policy.may_record, ("child", "plan")),
    "casework:plan_meeting_add": Entry(people_policy.may_record, ("child", "plan")),
    "casework:plan_end": Entry(people_policy.may_record, ("child", "plan")),
    "casework:visits": Entry(people_policy.may_view_casework, ("child",)),
    "casework:oversight": Entry(people_policy.may_view_casework, ("child",)),
    "timescales:my_work": Entry(timescales_policy.may_view_my_work),
    "timescales:team": Entry(timescales_policy.may_view_team_work),
    "timescales:overdue": Entry(timescales_policy.may_view_overdue),
    "timescales:rules": Entry(ALL),
    "timescales:settings": Entry(timescales_policy.may_change_timescales),
    "timescales:closure_days": Entry(timescales_policy.may_change_timescales),
    "timescales:setting_edit": Entry(timescales_policy.may_change_timescales, ("rule",)),
    "timescales:missed_reason": Entry(people_policy.may_record, ("child", "rule")),
    "protection:overview": Entry(people_policy.may_view_casework, ("child",)),
    "protection:strategy_add": Entry(people_policy.may_record, ("child",)),
    "protection:conference_add": Entry(people_policy.may_record, ("child",)),
    "protection:police_protection_add": Entry(people_policy.may_record, ("child",)),
    "protection:epo_add": Entry(people_policy.may_record, ("child",)),
    "protection:s47_outcome": Entry(people_policy.may_record, ("child", "s47")),
    "protection:cp_plan_start": Entry(people_policy.may_record, ("child", "conference")),
    "protection:cp_plan_end": Entry(people_policy.may_record, ("child", "cp_plan")),
    "assessment:episodes": Entry(people_policy.may_view_casework, ("child",)),
    "assessment:referral_add": Entry(people_policy.may_record, ("child",)),
    "assessment:episode_detail": Entry(people_policy.may_view_casework, ("child", "episode")),
    "assessment:assessment_edit": Entry(people_policy.may_record, ("child", "episode")),
    "assessment:assessment_authorise": Entry(assessment_policy.may_authorise_assessment, ("child", "episode")),
    "assessment:cin_plan_start": Entry(people_policy.may_record, ("child", "episode")),
    "assessment:episode_close": Entry(people_policy.may_record, ("child", "episode")),
}
# Each area of the service adds its URLs in its own tests/matrix.py (see matrix_support).
MATRIX: dict[str, Entry] = {**CORE_MATRIX, **app_matrices()}


def test_every_url_is_in_the_matrix():
    missing = all_url_names() - set(MATRIX)
    assert not missing, f"Add these URLs to the permission matrix: {sorted(missing)}"
    assert not set(MATRIX) - all_url_names(), "The matrix names URLs that no longer exist"


def _build_world() -> dict:
    from opencsc.accounts.tests.factories import UserFactory
    from opencsc.assessment.tests.factories import AssessmentFactory, CINEpisodeFactory
    from opencsc.casework.models import CaseNote, Document, Plan
    from opencsc.people.tests.factories import ChildFactory, RelationshipFactory
    from opencsc.protection.tests.helpers import cp_plan

    author = UserFactory(role=Role.SOCIAL_WORKER, username="author")
    child = ChildFactory()
    relationship = RelationshipFactory(child=child)
    note = CaseNote.objects.create(
        child=child, contact_date=child.date_of_birth, subject="Home visit", body="Saw the family.", author=author
    )
    document = Document.objects.create(
        child=child, title="Letter", file=SimpleUploadedFile("letter.txt", b"Dear parent"),
        original_name="letter.txt", size_bytes=11, content_type="text/plain", uploaded_by=author,
    )
    other_user = UserFactory(role=Role.SOCIAL_WORKER, username="someone")
    episode = CINEpisodeFactory(child=child, created_by=author)  # open, with an assessment in progress
    AssessmentFactory(episode=episode, created_by=author)
    cp = cp_plan(author, child, dt.date(2026, 3, 2))
    plan = Plan.objects.create(child=child, kind="cin", start_date=dt.date(2026, 1, 5), created_by=author)
    world = {
        "child": child.pk, "relationship": relationship.pk, "note": note.pk, "document": document.pk,
        "user": other_user.pk, "team": other_user.team_id, "episode": episode.pk,
        "rule": "cp_visit",
        "plan": plan.pk,
        "s47": cp.conference.section47_id,
        "conference": cp.conference_id,
        "cp_plan": cp.pk,
        "menu_group": "reports",
    }
    for extend in app_world_extenders():
        extend(world, author=author, child=child, episode=episode)
    # One user of each role (none allocated to the child, none the author), and a partner from the police.
    world["users"] = {role: UserFactory(role=role, username=f"matrix-{role}",
                                        **({"agency": "police"} if role == Role.PARTNER else {}))
                      for role in Role.values}
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The matrix's records, made once for the module's tests on this worker and rolled back after them;
    each test runs in its own transaction on top, so whatever a request changes is undone."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _url(name, entry, world):
    return reverse(name, args=[world[a] for a in entry.args])


# Row counts of every table of OpenCSC's apps, including audit events, in one query: a refused request
# that added, or only updated (an audit event would show it), or deleted a row shows as a difference.
SNAPSHOT_APPS = {c.label for c in django_apps.get_app_configs()
                 if c.name.startswith("opencsc.") and c.label != "synthetic"}


def _snapshot() -> tuple:
    from django.db import connection

    tables = sorted(m._meta.db_table for m in django_apps.get_models()
                    if m._meta.app_label in SNAPSHOT_APPS and m._meta.model_name != "accesslog")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def view_methods(name: str, world: dict) -> frozenset[str] | None:
    """The HTTP methods the URL's view accepts (require_http_methods and friends), or None for any."""
    import inspect

    from django.urls import resolve

    view = resolve(_url(name, MATRIX[name], world)).func
    while view is not None:
        if view.__closure__:
            found = inspect.getclosurevars(view).nonlocals.get("request_method_list")
            if found is not None:
                return frozenset(found)
        view = getattr(view, "__wrapped__", None)
    return None


def _request(client, method, url):
    if method == "post":
        return client.post(url, {})
    return getattr(client, method)(url)


def _check(name, role, method, client, world):
    from opencsc.accounts.models import AccessLog

    entry = MATRIX[name]
    user = world["users"][role]
    client.force_login(user)
    before = _snapshot()
    refusals = AccessLog.objects.filter(user=user, outcome="refused").count()
    response = _request(client, method, _url(name, entry, world))
    allowed = (entry.allowed is PUBLIC or role in entry.allowed) and role not in entry.not_found
    assert "no-store" in response.get("Cache-Control", ""), f"{name} may be cached for {role}"
    if allowed and method == entry.method:
        assert response.status_code in (200, 302), f"{role} should be allowed {name}"
        if response.status_code == 302:
            assert "/accounts/sign-in/" not in response["Location"] or name == "accounts:logout"
    else:
        expected = entry.expected_refusal(role)
        assert response.status_code == expected, (
            f"{role} should be refused {method.upper()} {name} with {expected}, got {response.status_code}")
        assert _snapshot() == before, f"A refused {method.upper()} {name} by {role} changed something"
        assert AccessLog.objects.filter(user=user, outcome="refused").count() > refusals, (
            f"{role} was refused {name}, but the access log does not say so")


CASES = [(name, role) for name in sorted(MATRIX) for role in Role.values]


@pytest.mark.parametrize("name, role", CASES)
def test_role_gets_what_the_matrix_says(name, role, client, world, db):
    _check(name, role, MATRIX[name].method, client, world)


# Every form page (a view that takes POST, checked above with GET) is also POSTed by every role that may
# not use it: refused, with the same status, and nothing changed. A view that took POST before it
# checked who was asking would show here as a 200 with form errors, or as a change.
FORM_CASES = [(name, role) for name in sorted(MATRIX) for role in Role.values
              if MATRIX[name].method == "get" and MATRIX[name].allowed is not PUBLIC
              and (role not in MATRIX[name].allowed or role in MATRIX[name].not_found)]


@pytest.mark.parametrize("name, role", FORM_CASES)
def test_refused_role_cannot_post_to_a_form(name, role, client, world, db):
    methods = view_methods(name, world)
    if methods is not None and "POST" not in methods:
        client.force_login(world["users"][role])
        assert client.post(_url(name, MATRIX[name], world), {}).status_code == 405
        return
    _check(name, role, "post", client, world)


def test_the_matrix_posts_to_every_form():
    """The form cases are not vacuous: the views that take POST are most of the matrix's GET pages."""
    assert len(FORM_CASES) > 1000


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_nobody_signed_in_is_sent_to_sign_in(name, client, world, db):
    entry = MATRIX[name]
    response = getattr(client, entry.method)(_url(name, entry, world))
    if entry.allowed is PUBLIC:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


CHILD_URLS = [n for n, e in MATRIX.items() if "child" in e.args]


@pytest.mark.parametrize("name", CHILD_URLS)
@pytest.mark.parametrize("role", sorted(READ_ALL_ROLES))
def test_restricted_child_is_not_found_without_a_grant(name, role, client, world, db):
    from opencsc.accounts.models import AccessLog
    from opencsc.people.models import Child

    Child.objects.filter(pk=world["child"]).update(is_restricted=True)
    client.force_login(world["users"][role])
    before = _snapshot()
    entry = MATRIX[name]
    response = getattr(client, entry.method)(_url(name, entry, world))
    if role in entry.page_roles:
        assert response.status_code == 404
        assert AccessLog.objects.filter(outcome="refused", child_id=world["child"]).exists()
    else:  # the page itself is refused before the record is looked up
        assert response.status_code == 403
        assert AccessLog.objects.filter(outcome="refused", user=world["users"][role]).exists()
    assert _snapshot() == before


@pytest.mark.parametrize("name", CHILD_URLS)
def test_partner_with_a_share_sees_the_summary_only(name, client, world, db):
    from opencsc.people.models import PartnerShare

    PartnerShare.objects.create(child_id=world["child"], agency="police", reason="Strategy discussion",
                                shared_on=dt.date(2026, 1, 1))
    client.force_login(world["users"][Role.PARTNER])
    entry = MATRIX[name]
    response = getattr(client, entry.method)(_url(name, entry, world))
    expected = 200 if name == "casework:child_record" else MATRIX[name].expected_refusal(Role.PARTNER)
    assert response.status_code == expected
