"""The access policy's registry: declaring permissions, asking them, refusing, and the generated doc."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from opencsc.accounts import access_doc, policy
from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import Role


@pytest.fixture
def scratch_registry(monkeypatch):
    """Declarations made in a test go into a copy of the registry, thrown away after it."""
    monkeypatch.setattr(policy, "_REGISTRY", dict(policy.permissions()))


def test_a_permission_is_declared_once_with_known_roles(scratch_registry):
    perm = policy.permission("test_thing", {Role.AUDITOR}, "Do a test thing.", area="Tests")
    assert policy.permissions()["test_thing"] is perm
    with pytest.raises(ValueError, match="declared twice"):
        policy.permission("test_thing", {Role.AUDITOR}, "Again.", area="Tests")
    with pytest.raises(ValueError, match="unknown roles"):
        policy.permission("test_other", {"janitor"}, "Nobody.", area="Tests")


@pytest.mark.django_db
def test_nobody_signed_out_or_deactivated_has_any_permission(make_user):
    perm = policy.permissions()["view_casework"]
    worker = make_user(Role.SOCIAL_WORKER)
    assert perm(worker)
    worker.is_active = False
    assert not perm(worker) and not perm(AnonymousUser()) and not perm(None)


@pytest.mark.django_db
def test_a_refusal_outside_a_request_is_logged_once_and_names_the_permission(make_user):
    perm = policy.permissions()["view_casework"]
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied) as refused:
        perm.require(admin)
    assert refused.value.logged
    assert list(AccessLog.objects.filter(user=admin).values_list("child_reference", "outcome")) == [
        ("view_casework", "refused")]


@pytest.mark.django_db
def test_templates_ask_may_by_name(make_user):
    may = policy.May(make_user(Role.TEAM_MANAGER))
    assert may["view_access_log"] and not may["restrict"]
    assert "view_access_log" in may
    with pytest.raises(KeyError, match="No permission called 'fly'"):
        may["fly"]


def test_the_access_doc_command_writes_the_generated_section_and_checks_it(tmp_path, monkeypatch):
    doc = tmp_path / "access.md"
    doc.write_text("# Who can see and do what\n\nHand-written prose.\n")
    monkeypatch.setattr(access_doc, "doc_path", lambda: doc)
    monkeypatch.setattr("opencsc.accounts.management.commands.access_doc.doc_path", lambda: doc)
    with pytest.raises(CommandError, match="out of date"):
        call_command("access_doc", "--check", stdout=io.StringIO())
    call_command("access_doc", stdout=io.StringIO())
    written = doc.read_text()
    assert written.startswith("# Who can see and do what\n\nHand-written prose.\n")
    assert access_doc.BEGIN in written and "`authorise_assessment`" in written
    out = io.StringIO()
    call_command("access_doc", "--check", stdout=out)
    assert "up to date" in out.getvalue()
    call_command("access_doc", stdout=io.StringIO())  # a second write replaces the section, not adds one
    assert doc.read_text() == written


@pytest.mark.django_db
def test_the_refusal_log_needs_someone_signed_in():
    from django.test import RequestFactory

    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    middleware = policy.RefusalLogMiddleware(lambda request: None)
    assert middleware.process_exception(request, PermissionDenied("No")) is None
    assert not AccessLog.objects.exists()


def test_releasing_the_shared_authority_when_none_is_held_does_nothing():
    from opencsc.synthetic import testing

    # The conftest hook releases it before any test outside its modules runs, so none is held here.
    assert testing._Shared.atomic is None
    testing.release_shared_authority()
    assert testing._Shared.atomic is None and testing._Shared.ctx is None


def test_a_policy_module_that_fails_to_import_is_not_mistaken_for_a_missing_one(monkeypatch):
    import importlib

    real = importlib.import_module

    def broken(name, *args):
        if name == "opencsc.care.policy":
            raise ModuleNotFoundError("No module named 'somewhere_else'", name="somewhere_else")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="somewhere_else"):
        policy.load_policies()
