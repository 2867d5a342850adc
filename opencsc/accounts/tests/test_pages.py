"""Every accounts page keeps to the strict Content Security Policy and GOV.UK page basics."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import TeamFactory, UserFactory


@pytest.fixture
def pages(signed_in):
    admin = signed_in(Role.ADMINISTRATOR)
    other = UserFactory()
    team = TeamFactory(name="A team")
    TOTPDevice.objects.create(user=other, name="Authenticator app", confirmed=True)
    return admin, [
        "/accounts/sign-in/",
        "/accounts/two-factor/",
        "/accounts/users/",
        "/accounts/users/new/",
        f"/accounts/users/{other.pk}/",
        f"/accounts/users/{other.pk}/edit/",
        f"/accounts/users/{other.pk}/password/",
        f"/accounts/users/{other.pk}/deactivate/",
        f"/accounts/users/{other.pk}/reset-two-factor/",
        "/accounts/teams/",
        "/accounts/teams/new/",
        f"/accounts/teams/{team.pk}/edit/",
    ]


def _check(html):
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert html.count("<h1") == 1
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag:
            continue
        input_id = re.search(r'\bid="([^"]+)"', tag)
        assert input_id, tag
        assert f'for="{input_id.group(1)}"' in html, f"no label for {tag}"


def test_every_page_has_no_inline_script_or_style_and_one_heading(pages):
    admin, paths = pages
    for path in paths:
        response = (Client() if path == "/accounts/sign-in/" else admin).get(path)
        assert response.status_code == 200, path
        _check(response.content.decode())


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.SERVICE_MANAGER])
def test_the_access_log_page_too(signed_in, role):
    response = signed_in(role).get("/accounts/access-log/")
    _check(response.content.decode())
