"""TOTP two-factor sign-in: enrolment with a QR code, then a 6-digit code at each sign-in."""

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencsc.accounts.services import ENTER_CODE, TOO_MANY_CODES, WRONG_CODE
from opencsc.core.models import AuditEvent

TWO_FACTOR = "/accounts/two-factor/"


def code_for(device, drift=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


@pytest.fixture
def required():
    with override_settings(OPENCSC_TWO_FACTOR_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0):
        yield


def accept_set_up_code(client):
    """An administrator (here the system set-up) issues a set-up code, and the user enters it."""
    from opencsc.accounts.services import two_factor_code_issue

    code = two_factor_code_issue(actor=None, user=client.user)
    response = client.post(TWO_FACTOR, {"enrolment_code": code})
    assert response.status_code == 302
    return code


def _code_errors(response):
    return response.context["form"].errors.get("code")


def test_when_required_every_page_sends_an_unverified_user_to_two_factor(signed_in, required):
    client = signed_in("social_worker")

    response = client.get("/accounts/access-log/?child=C1")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2Faccounts%2Faccess-log%2F%3Fchild%3DC1"


@pytest.mark.parametrize("path", ["/accounts/two-factor/", "/accessibility/"])
def test_two_factor_and_public_pages_are_reachable_before_verifying(signed_in, required, path):
    client = signed_in()
    assert client.get(path).status_code == 200


def test_sign_out_is_reachable_before_verifying(signed_in, required):
    client = signed_in()
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_not_required_means_no_redirect(signed_in):
    client = signed_in()
    with override_settings(OPENCSC_TWO_FACTOR_REQUIRED=False):
        assert client.get("/children/").status_code == 200


def test_set_up_after_the_set_up_code_shows_the_secret_and_inline_svg_qr_code(signed_in, required):
    client = signed_in()
    accept_set_up_code(client)

    response = client.get(TWO_FACTOR)

    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=client.user)
    assert device.confirmed is False
    html = response.content.decode()
    assert "Set up two-factor sign-in" in html
    assert "<svg" in html and "<title>QR code" in html
    assert response.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert "style=" not in response.context["qr_svg"]


def test_reloading_enrolment_keeps_the_same_secret(signed_in, required):
    client = signed_in()
    accept_set_up_code(client)
    first = client.get(TWO_FACTOR).context["secret"]
    second = client.get(TWO_FACTOR).context["secret"]
    assert first == second
    assert TOTPDevice.objects.filter(user=client.user).count() == 1


def test_enrolment_confirms_with_a_real_code_and_completes_sign_in(signed_in, required):
    client = signed_in()
    accept_set_up_code(client)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=client.user)

    response = client.post(TWO_FACTOR, {"code": code_for(device), "next": "/accessibility/"})

    # The recovery codes are shown once, in this response, with a way on to the page asked for.
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert 'href="/accessibility/"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/children/").status_code == 200
    assert AuditEvent.objects.filter(summary="Set up two-factor sign-in", actor=client.user).exists()


@pytest.mark.parametrize(
    "code, message",
    [("", ENTER_CODE), ("12345", ENTER_CODE), ("abcdef", ENTER_CODE), ("1234567", ENTER_CODE)],
)
def test_badly_formed_codes_ask_for_6_digits_and_change_nothing(signed_in, required, code, message):
    client = signed_in()
    accept_set_up_code(client)
    client.get(TWO_FACTOR)

    response = client.post(TWO_FACTOR, {"code": code})

    assert response.status_code == 200
    assert _code_errors(response) == [message]
    assert TOTPDevice.objects.get(user=client.user).confirmed is False
    assert client.get("/children/")["Location"].startswith("/accounts/two-factor/")


def test_a_wrong_code_at_enrolment_is_refused_and_changes_nothing(signed_in, required):
    client = signed_in()
    accept_set_up_code(client)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=client.user)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"

    response = client.post(TWO_FACTOR, {"code": wrong})

    assert _code_errors(response) == [WRONG_CODE]
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/children/")["Location"].startswith("/accounts/two-factor/")


def test_codes_with_spaces_are_accepted(signed_in, required):
    client = signed_in()
    accept_set_up_code(client)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=client.user)
    code = code_for(device)

    response = client.post(TWO_FACTOR, {"code": f"{code[:3]} {code[3:]}"})

    assert response.status_code == 200
    TOTPDevice.objects.get(user=client.user, confirmed=True)


@pytest.fixture
def enrolled(make_user):
    user = make_user()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user, device


def test_an_enrolled_user_is_asked_for_a_code_not_shown_the_secret(client, enrolled, required):
    user, _ = enrolled
    client.force_login(user)

    response = client.get(TWO_FACTOR)

    assert response.status_code == 200
    assert response.context["enrolling"] is False
    assert "secret" not in response.context
    assert 'class="opencsc-qr"' not in response.content.decode()


def test_an_enrolled_user_verifies_with_the_current_code(client, enrolled, required):
    user, device = enrolled
    client.force_login(user)

    response = client.post(TWO_FACTOR, {"code": code_for(device)})

    assert response.status_code == 302
    assert client.get("/children/").status_code == 200
    assert client.get(TWO_FACTOR).status_code == 302  # already verified


def test_an_enrolled_user_with_a_wrong_code_stays_unverified(client, enrolled, required):
    user, device = enrolled
    client.force_login(user)
    wrong = f"{(int(code_for(device)) + 500000) % 1000000:06d}"

    response = client.post(TWO_FACTOR, {"code": wrong})

    assert _code_errors(response) == [WRONG_CODE]
    assert client.get("/children/")["Location"].startswith("/accounts/two-factor/")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED, actor=user).count() == 1


def test_a_code_cannot_be_used_twice(client, enrolled, required):
    user, device = enrolled
    client.force_login(user)
    code = code_for(device)
    assert client.post(TWO_FACTOR, {"code": code}).status_code == 302
    client.logout()
    client.force_login(user)

    response = client.post(TWO_FACTOR, {"code": code})

    assert _code_errors(response) == [WRONG_CODE]


def test_repeated_wrong_codes_are_throttled(client, enrolled):
    user, device = enrolled
    client.force_login(user)
    wrong = f"{(int(code_for(device)) + 500000) % 1000000:06d}"
    with override_settings(OPENCSC_TWO_FACTOR_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=60):
        client.post(TWO_FACTOR, {"code": wrong})

        response = client.post(TWO_FACTOR, {"code": code_for(device)})

        assert _code_errors(response) == [TOO_MANY_CODES]
        assert client.get("/children/")["Location"].startswith("/accounts/two-factor/")


def test_the_full_journey_password_then_code(client, enrolled, required):
    user, device = enrolled

    response = client.post("/accounts/sign-in/", {
        "username": user.username, "password": "correct horse battery staple", "next": "/accessibility/?a=1",
    })
    assert response["Location"] == "/accessibility/?a=1"
    response = client.get("/")
    assert response["Location"] == "/accounts/two-factor/?next=%2F"

    response = client.post("/accounts/two-factor/", {"code": code_for(device), "next": "/"})

    assert response["Location"] == "/"
    assert client.get("/children/").status_code == 200
