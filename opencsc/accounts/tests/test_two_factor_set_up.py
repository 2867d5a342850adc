"""Two-factor set-up that an attacker with the password cannot take: a one-time set-up code issued by an
administrator out of band, before which a password-only session sees no key and can do nothing else;
recovery codes (hashed, single use); a reset that a second person approves."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencsc.accounts import services
from opencsc.accounts.models import ApprovalRequest, EnrolmentCode, RecoveryCode, User
from opencsc.accounts.roles import Role
from opencsc.core.models import AuditEvent

TWO_FACTOR = "/accounts/two-factor/"
RECOVERY = "/accounts/two-factor/recovery/"
PASSWORD = "correct horse battery staple"


def code_for(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, 0):06d}"


@pytest.fixture(autouse=True)
def required():
    with override_settings(OPENCSC_TWO_FACTOR_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0):
        yield


@pytest.fixture
def admin(client, make_user):
    """A second browser, signed in as an administrator who has completed two-factor sign-in."""
    from django.test import Client

    user = make_user(Role.ADMINISTRATOR, username="the-admin")
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    browser = Client()
    browser.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    assert browser.post(TWO_FACTOR, {"code": code_for(device)}).status_code == 302
    browser.user = user
    return browser


@pytest.fixture
def newcomer(client, make_user):
    """Someone (or an attacker) signed in with the password only, on an account with no app yet."""
    user = make_user(Role.SERVICE_MANAGER, username="newcomer")
    client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    client.user = user
    return client


def _field_errors(response, field):
    return response.context["form"].errors.get(field)


# --- Before the set-up code: nothing but the code, and no key ------------------------------------


def test_without_a_set_up_code_the_page_asks_for_one_and_shows_no_key(newcomer):
    response = newcomer.get(TWO_FACTOR)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter your set-up code" in html
    assert "<svg" not in html and "secret" not in response.context
    assert not TOTPDevice.objects.filter(user=newcomer.user).exists()


@pytest.mark.parametrize("path", [
    "/", "/children/", "/accounts/users/", "/accounts/approvals/", "/accounts/access-log/",
    "/accounts/users/1/two-factor-code/",
])
def test_a_password_only_session_is_sent_back_to_two_factor(newcomer, path):
    response = newcomer.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


def test_a_password_only_session_cannot_post_a_code_for_the_set_up_step_without_a_set_up_code(newcomer):
    response = newcomer.post(TWO_FACTOR, {"code": "123456"})

    assert _field_errors(response, "enrolment_code") == ["Enter the set-up code your administrator gave you"]
    assert not TOTPDevice.objects.filter(user=newcomer.user).exists()


def test_the_recovery_page_without_an_app_goes_back_to_two_factor(newcomer):
    assert newcomer.get(RECOVERY)["Location"].startswith(TWO_FACTOR)


# --- Issuing the set-up code ---------------------------------------------------------------------


def test_an_administrator_issues_a_code_shown_once_stored_hashed_and_audited(admin, newcomer):
    page = admin.get(f"/accounts/users/{newcomer.user.pk}/")
    assert "Issue a two-factor set-up code" in page.content.decode()

    response = admin.post(f"/accounts/users/{newcomer.user.pk}/two-factor-code/")

    assert response.status_code == 200
    code = response.context["code"]
    assert code in response.content.decode()
    stored = EnrolmentCode.objects.get(user=newcomer.user)
    assert code not in stored.code_hash and code.replace("-", "") not in stored.code_hash
    assert stored.issued_by == admin.user
    assert stored.expires_at == stored.issued_at + dt.timedelta(hours=72)
    assert code not in admin.get(f"/accounts/users/{newcomer.user.pk}/").content.decode()
    event = AuditEvent.objects.get(summary__startswith="Issued a two-factor set-up code")
    assert event.actor == admin.user and code not in str(event.changes) + event.summary


@pytest.mark.parametrize("hours", [1, 72])
def test_the_code_lasts_for_the_setting(admin, newcomer, hours):
    with override_settings(OPENCSC_ENROLMENT_CODE_HOURS=hours):
        admin.post(f"/accounts/users/{newcomer.user.pk}/two-factor-code/")
    stored = EnrolmentCode.objects.get(user=newcomer.user)
    assert stored.expires_at - stored.issued_at == dt.timedelta(hours=hours)


def test_no_code_for_someone_who_has_an_app_and_nothing_changes(admin):
    response = admin.post(f"/accounts/users/{admin.user.pk}/two-factor-code/")

    assert response.status_code == 400
    assert "already set up two-factor sign-in" in response.content.decode()
    assert not EnrolmentCode.objects.exists()


def test_the_first_administrator_gets_a_code_from_the_command_line(make_user):
    user = make_user(Role.ADMINISTRATOR, username="first-admin")
    out = io.StringIO()

    call_command("two_factor_code", "first-admin", stdout=out)

    code = out.getvalue().split(": ")[1].split()[0]
    stored = EnrolmentCode.objects.get(user=user)
    assert stored.issued_by is None and services._code_matches(code, stored.code_hash)
    assert AuditEvent.objects.filter(summary__contains="by the system set-up").exists()


# --- Entering the set-up code --------------------------------------------------------------------


def _issue(user):
    return services.two_factor_code_issue(actor=None, user=user)


def test_the_right_code_opens_set_up_and_then_the_app_is_confirmed_with_recovery_codes(newcomer):
    code = _issue(newcomer.user)

    response = newcomer.post(TWO_FACTOR, {"enrolment_code": code.upper().replace("-", " ")})
    assert response.status_code == 302
    set_up = newcomer.get(TWO_FACTOR)
    assert set_up.context["stage"] == "set_up" and "<svg" in set_up.content.decode()
    device = TOTPDevice.objects.get(user=newcomer.user, confirmed=False)

    done = newcomer.post(TWO_FACTOR, {"code": code_for(device)})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=newcomer.user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not any(c in h for c in codes for h in stored)
    assert newcomer.get("/children/").status_code == 200
    # The codes are not shown again.
    assert all(c not in newcomer.get(TWO_FACTOR, follow=True).content.decode() for c in codes)


@pytest.mark.parametrize("case", ["wrong", "expired", "voided by a newer code", "used already"])
def test_a_code_that_does_not_stand_is_refused_and_shows_no_key(newcomer, make_user, case):
    code = _issue(newcomer.user)
    if case == "wrong":
        code = "abcd-efgh-jkmn"
    elif case == "expired":
        EnrolmentCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif case == "voided by a newer code":
        _issue(newcomer.user)
    else:
        from django.test import Client

        other = Client()
        other.post("/accounts/sign-in/", {"username": "newcomer", "password": PASSWORD})
        assert other.post(TWO_FACTOR, {"enrolment_code": code}).status_code == 302

    response = newcomer.post(TWO_FACTOR, {"enrolment_code": code})

    assert response.status_code == 200
    assert _field_errors(response, "enrolment_code") == [services.WRONG_SET_UP_CODE]
    assert "<svg" not in newcomer.get(TWO_FACTOR).content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer.user).exists()
    assert AuditEvent.objects.filter(summary__startswith="Two-factor set-up code not correct").exists()


def test_a_newer_code_stops_a_session_that_entered_the_old_one_from_finishing(newcomer):
    newcomer.post(TWO_FACTOR, {"enrolment_code": _issue(newcomer.user)})
    newcomer.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=newcomer.user)
    _issue(newcomer.user)

    response = newcomer.post(TWO_FACTOR, {"code": code_for(device)})

    assert response.context["stage"] == "set_up_code"
    assert not TOTPDevice.objects.filter(user=newcomer.user, confirmed=True).exists()


def test_guessing_set_up_codes_is_throttled(newcomer):
    code = _issue(newcomer.user)
    for _ in range(5):
        newcomer.post(TWO_FACTOR, {"enrolment_code": "abcd-efgh-jkmn"})

    response = newcomer.post(TWO_FACTOR, {"enrolment_code": code})

    assert _field_errors(response, "enrolment_code") == [services.TOO_MANY_SET_UP_OR_RECOVERY_CODES]
    assert EnrolmentCode.objects.get(user=newcomer.user).used_at is None


# --- Recovery codes ------------------------------------------------------------------------------


@pytest.fixture
def enrolled(client, make_user):
    """Someone who set up their app (and holds their recovery codes), signed in with the password only."""
    from django.test import Client

    user = make_user(Role.SOCIAL_WORKER, username="enrolled")
    setup = Client()
    setup.post("/accounts/sign-in/", {"username": "enrolled", "password": PASSWORD})
    setup.post(TWO_FACTOR, {"enrolment_code": _issue(user)})
    setup.get(TWO_FACTOR)
    codes = setup.post(TWO_FACTOR, {"code": code_for(TOTPDevice.objects.get(user=user))}).context["codes"]
    client.post("/accounts/sign-in/", {"username": "enrolled", "password": PASSWORD})
    client.user, client.codes = user, codes
    return client


def test_a_recovery_code_signs_in_once_is_audited_and_says_how_many_are_left(enrolled):
    response = enrolled.post(RECOVERY, {"recovery_code": enrolled.codes[0], "next": "/children/"})

    assert response["Location"] == "/children/"
    assert enrolled.get("/children/").status_code == 200
    event = AuditEvent.objects.get(summary__startswith="Completed two-factor sign-in with a recovery code")
    assert event.changes == {"recovery_codes_left": [10, 9]} and enrolled.codes[0] not in event.summary
    # Used once: not again.
    enrolled.logout()
    enrolled.post("/accounts/sign-in/", {"username": "enrolled", "password": PASSWORD})
    again = enrolled.post(RECOVERY, {"recovery_code": enrolled.codes[0]})
    assert _field_errors(again, "recovery_code") == [services.WRONG_RECOVERY_CODE]
    assert enrolled.get("/children/").status_code == 302


def test_the_message_after_a_recovery_code_gives_the_number_left(enrolled):
    response = enrolled.post(RECOVERY, {"recovery_code": enrolled.codes[3]}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["You signed in with a recovery code. You have 9 recovery codes left."]


@pytest.mark.parametrize("code", ["", "abcde-fghjk", "12345"])
def test_a_wrong_recovery_code_is_refused_and_changes_nothing(enrolled, code):
    response = enrolled.post(RECOVERY, {"recovery_code": code})

    assert response.status_code == 200
    assert _field_errors(response, "recovery_code")
    assert RecoveryCode.objects.filter(user=enrolled.user, used_at=None).count() == 10
    assert enrolled.get("/children/").status_code == 302


def test_guessing_recovery_codes_is_throttled(enrolled):
    for _ in range(5):
        enrolled.post(RECOVERY, {"recovery_code": "abcde-fghjk"})

    response = enrolled.post(RECOVERY, {"recovery_code": enrolled.codes[0]})

    assert _field_errors(response, "recovery_code") == [services.TOO_MANY_SET_UP_OR_RECOVERY_CODES]
    assert RecoveryCode.objects.filter(user=enrolled.user, used_at=None).count() == 10


# --- Resetting someone's two-factor sign-in takes two people ------------------------------------


def _ask_reset(admin, user):
    assert admin.post(f"/accounts/users/{user.pk}/reset-two-factor/").status_code == 302
    return ApprovalRequest.objects.get(kind="two_factor_reset", subject=user, status="pending")


@pytest.mark.parametrize("approver_role", [Role.ADMINISTRATOR, Role.SERVICE_MANAGER])
def test_another_administrator_or_a_service_manager_approves_a_reset(admin, enrolled, make_user, approver_role):
    request = _ask_reset(admin, enrolled.user)
    assert TOTPDevice.objects.filter(user=enrolled.user).exists()
    approver = make_user(approver_role)

    services.approval_decide(actor=approver, approval=request, approve=True)

    assert not TOTPDevice.objects.filter(user=enrolled.user).exists()
    assert not RecoveryCode.objects.filter(user=enrolled.user).exists()
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.requested_by) == ("approved", approver, admin.user)
    event = AuditEvent.objects.get(summary__startswith=f"Approved request {request.pk}")
    assert event.actor == approver and event.changes["two_factor"] == [True, False]
    assert "asked for by the-admin" in event.summary


@pytest.mark.parametrize("who", ["the requester", "the user themselves", "a social worker", "declined"])
def test_a_reset_is_not_made_by_the_requester_the_user_or_anyone_else(admin, enrolled, make_user, who):
    from django.core.exceptions import PermissionDenied, ValidationError

    request = _ask_reset(admin, enrolled.user)
    actor = {"the requester": admin.user, "the user themselves": enrolled.user,
             "a social worker": make_user(Role.SOCIAL_WORKER), "declined": make_user(Role.SERVICE_MANAGER)}[who]
    if who == "the user themselves":
        User.objects.filter(pk=actor.pk).update(role=Role.SERVICE_MANAGER)
        actor.refresh_from_db()

    if who == "declined":
        services.approval_decide(actor=actor, approval=request, approve=False, reason="Not them on the phone")
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            services.approval_decide(actor=actor, approval=request, approve=True)

    assert TOTPDevice.objects.filter(user=enrolled.user, confirmed=True).exists()
    assert RecoveryCode.objects.filter(user=enrolled.user).count() == 10
    request.refresh_from_db()
    assert request.status == ("declined" if who == "declined" else "pending")


def test_a_second_reset_request_while_one_waits_is_refused(admin, enrolled):
    _ask_reset(admin, enrolled.user)
    response = admin.post(f"/accounts/users/{enrolled.user.pk}/reset-two-factor/")
    assert response.status_code == 400
    assert ApprovalRequest.objects.filter(kind="two_factor_reset").count() == 1
