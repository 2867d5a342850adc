"""Sign-in, two-factor, administration of users and teams, and the access log.

Administration pages are for administrators only (``permissions.may_administer_users`` and
``may_administer_teams``) and the access log for team and service managers only
(``people.policy.may_view_access_log``); anyone else is refused (403, logged).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencsc.core.forms import submit
from opencsc.people import access_log as access_log_reads
from opencsc.people import policy as people_policy

from . import permissions, selectors, services
from .forms import (
    AccessLogFilterForm,
    ApprovalDecisionForm,
    CodeForm,
    EnrolmentCodeForm,
    RecoveryCodeForm,
    SetPasswordForm,
    SignInForm,
    TeamEditForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from .middleware import IDLE_SIGNED_OUT_KEY
from .models import ApprovalRequest, Team, User
from .policy import allowed

PER_PAGE = 25


def _page(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _safe_next(request, default: str | None = None) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


# --- Sign in, sign out --------------------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    idle_signed_out = request.session.pop(IDLE_SIGNED_OUT_KEY, False)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_sign_in(
                request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except services.SignInError as error:
            form.add_error(None, error.message)
        else:
            return redirect(next_url)
    return render(request, "accounts/login.html", {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "idle_signed_out": idle_signed_out,
    })


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out")
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Two-factor ---------------------------------------------------------------------------------


def _next_param(request) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""


@sensitive_post_parameters("code", "enrolment_code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Two-factor sign-in. With an app set up: its code. Without: first the set-up code an administrator
    gave the user (nothing else, not even the key, is shown before it), then the app's key and its first
    code, then the recovery codes, shown once."""
    user = request.user
    next_url = _safe_next(request)
    device = services.confirmed_device_for(user)
    if device is not None and user.is_verified():
        return redirect(next_url)
    context = {"next": _next_param(request)}
    enrolling = device is None
    new_device = None
    if enrolling:
        try:  # only once this session has entered a set-up code that still stands
            new_device = services.two_factor_enrolment_start(request=request, user=user)
        except services.SignInError:
            new_device = None
    if enrolling and new_device is None:
        form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.two_factor_code_accept(request=request, user=user, code=form.cleaned_data["enrolment_code"])
            except services.SignInError as error:
                form.add_error("enrolment_code", error.message)
            else:
                return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}")
        return render(request, "accounts/two_factor.html", {**context, "form": form, "stage": "set_up_code"})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if enrolling:
                codes = services.two_factor_enrol(request=request, user=user, device=new_device,
                                                  code=form.cleaned_data["code"])
                # Shown once, in this response: only their hashes are kept.
                return render(request, "accounts/two_factor_recovery_codes.html",
                              {"codes": codes, "next_url": next_url})
            services.two_factor_verify(request=request, user=user, code=form.cleaned_data["code"])
        except services.SignInError as error:
            form.add_error("code", error.message)
        else:
            return redirect(next_url)
    context.update(form=form, enrolling=enrolling, stage="set_up" if enrolling else "code")
    if enrolling:
        context["secret"] = services.device_secret(new_device)
        context["qr_svg"] = services.device_qr_svg(new_device)
    return render(request, "accounts/two_factor.html", context)


@sensitive_post_parameters("recovery_code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_recovery(request):
    """Sign in with a recovery code in place of a code from the authenticator app."""
    user = request.user
    next_url = _safe_next(request)
    if services.confirmed_device_for(user) is None:
        return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}")
    if user.is_verified():
        return redirect(next_url)
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            left = services.two_factor_recover(request=request, user=user, code=form.cleaned_data["recovery_code"])
        except services.SignInError as error:
            form.add_error("recovery_code", error.message)
        else:
            message = f"You signed in with a recovery code. You have {left} recovery code{pluralize(left)} left."
            if left <= 3:
                message += " Ask your administrator to reset two-factor sign-in before you run out."
            messages.warning(request, message) if left <= 3 else messages.success(request, message)
            return redirect(next_url)
    return render(request, "accounts/two_factor_recovery.html", {"form": form, "next": _next_param(request)})


# --- Users --------------------------------------------------------------------------------------


@require_GET
@allowed(permissions.may_administer_users)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    criteria = {}
    if form.is_bound and form.is_valid():
        criteria = {
            "query": form.cleaned_data["q"],
            "team": form.cleaned_data["team"],
            "role": form.cleaned_data["role"],
            "status": form.cleaned_data["status"],
        }
    users = selectors.user_list(**criteria) if not form.is_bound or form.is_valid() else User.objects.none()
    return render(request, "accounts/user_list.html", {
        "form": form,
        "page_obj": _page(request, users),
        "filtered": any(criteria.values()) if criteria else False,
        "locked_count": selectors.user_list(status="locked").count(),
        "pending_count": selectors.approvals_pending().count(),
    })


def _user_url(user) -> str:
    return reverse("accounts:user_detail", kwargs={"user_id": user.pk})


def _user_values(cleaned: dict) -> dict:
    return {name: cleaned[name] for name in services.USER_FIELDS}


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_users)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if done := submit(
        request, form,
        lambda data: services.user_create(actor=request.user, username=data["username"], password=data["password"],
                                          **_user_values(data)),
        success=lambda user: f"User {user.username} created" + (
            "" if user.is_active else ". They can sign in once a service manager approves the account"),
        then=lambda user: _user_url(user),
    ):
        return done
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_GET
@allowed(permissions.may_administer_users)
def user_detail(request, user_id):
    subject = get_object_or_404(User.objects.select_related("team"), pk=user_id)
    subject.locked_now = services.user_is_locked(subject)
    subject.awaiting_approval = selectors.approvals_for(subject).filter(
        kind=ApprovalRequest.Kind.NEW_ACCOUNT, status=ApprovalRequest.Status.PENDING).exists()
    return render(request, "accounts/user_detail.html", {
        "subject": subject,
        "is_locked": subject.locked_now,
        "has_two_factor": TOTPDevice.objects.filter(user=subject, confirmed=True).exists(),
        "has_any_device": TOTPDevice.objects.filter(user=subject).exists(),
        "is_self": subject.pk == request.user.pk,
        "approvals": selectors.approvals_for(subject)[:10],
        "set_up_code": selectors.current_enrolment_code(subject),
        "recovery_codes_left": services.recovery_codes_left(subject),
    })


@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_users)
def user_edit(request, user_id):
    subject = get_object_or_404(User.objects.select_related("team"), pk=user_id)
    initial = {name: getattr(subject, name) for name in services.USER_FIELDS}
    form = UserEditForm(request.POST or None, initial={**initial, "version": subject.version},
                        current_team=subject.team)
    if done := submit(request, form,
                      lambda data: services.user_update(actor=request.user, user=subject,
                                                        expected_version=data["version"], **_user_values(data)),
                      success=_user_saved_message, then=_user_url(subject)):
        return done
    return render(request, "accounts/user_form.html", {"form": form, "subject": subject, "creating": False})


def _user_saved_message(changes: dict) -> str:
    if "requested_role" in changes:
        return "User details saved. The new role needs a service manager's approval: until then the old role stays"
    return "User details saved" if changes else "Nothing was changed"


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_users)
def user_set_password(request, user_id):
    subject = get_object_or_404(User, pk=user_id)
    form = SetPasswordForm(request.POST or None)
    if done := submit(request, form,
                      lambda data: services.user_set_password(actor=request.user, user=subject,
                                                              password=data["password"]),
                      success=f"New password set for {subject.username}", then=_user_url(subject)):
        return done
    return render(request, "accounts/user_set_password.html", {"form": form, "subject": subject})


# Confirm-then-act pages: (service, page heading, explanation, button, success message)
USER_ACTIONS = {
    "deactivate": (
        services.user_deactivate,
        "Deactivate {name}'s account",
        "They will be signed out and will not be able to sign in. Their records and history are kept. "
        "You can reactivate the account later.",
        "Deactivate account",
        "Account deactivated",
    ),
    "reactivate": (
        services.user_reactivate,
        "Reactivate {name}'s account",
        "They will be able to sign in again with their existing password.",
        "Reactivate account",
        "Account reactivated",
    ),
    "unlock": (
        services.user_unlock,
        "Unlock {name}'s account",
        "This clears the failed sign-in attempts so that they can sign in straight away.",
        "Unlock account",
        "Account unlocked",
    ),
    "reset_two_factor": (
        services.two_factor_reset_request,
        "Ask for two-factor sign-in to be reset for {name}",
        "Another administrator or a service manager must approve the reset. Then their authenticator app and "
        "recovery codes stop working for this service, and you can issue them a set-up code for a new app. "
        "Check who you are speaking to before you do this.",
        "Ask for a reset",
        "Reset requested. It will be done when another administrator or a service manager approves it",
    ),
}


def _user_action(request, user_id, action):
    subject = get_object_or_404(User, pk=user_id)
    service, heading, explanation, button, done = USER_ACTIONS[action]
    errors = []
    if request.method == "POST":
        try:
            service(actor=request.user, user=subject)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, done)
            return redirect("accounts:user_detail", user_id=subject.pk)
    return render(request, "accounts/user_confirm.html", {
        "subject": subject,
        "heading": heading.format(name=subject.display_name),
        "explanation": explanation,
        "button": button,
        "errors": errors,
    }, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_users)
def user_deactivate(request, user_id):
    return _user_action(request, user_id, "deactivate")


@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_users)
def user_reactivate(request, user_id):
    return _user_action(request, user_id, "reactivate")


@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_users)
def user_unlock(request, user_id):
    return _user_action(request, user_id, "unlock")


@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_users)
def user_reset_two_factor(request, user_id):
    return _user_action(request, user_id, "reset_two_factor")


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_users)
def user_two_factor_code(request, user_id):
    """Issue a one-time two-factor set-up code, shown here once, to give the user out of band."""
    subject = get_object_or_404(User, pk=user_id)
    errors = []
    if request.method == "POST":
        try:
            code = services.two_factor_code_issue(actor=request.user, user=subject)
        except ValidationError as error:
            errors = error.messages
        else:
            return render(request, "accounts/user_two_factor_code.html", {
                "subject": subject, "code": code, "hours": settings.OPENCSC_ENROLMENT_CODE_HOURS,
                "expires": selectors.current_enrolment_code(subject).expires_at,
            })
    return render(request, "accounts/user_confirm.html", {
        "subject": subject,
        "heading": f"Issue a two-factor set-up code for {subject.display_name}",
        "explanation": (
            f"The code is shown to you once. Give it to {subject.display_name} in person or by phone, never by "
            f"email. It works once and expires after {settings.OPENCSC_ENROLMENT_CODE_HOURS} hours; "
            "issuing a new code stops an earlier one working."),
        "button": "Issue a set-up code",
        "errors": errors,
    }, status=400 if errors else 200)


# --- Requests that need a second person ---------------------------------------------------------


@require_GET
@allowed(permissions.may_view_approvals)
def approval_list(request):
    return render(request, "accounts/approval_list.html", {
        "pending": selectors.approvals_pending(),
        "page_obj": _page(request, selectors.approvals_decided()),
    })


@require_http_methods(["GET", "POST"])
@allowed(permissions.may_view_approvals)
def approval_detail(request, approval_id):
    approval = get_object_or_404(ApprovalRequest.objects.select_related("subject", "requested_by", "decided_by"),
                                 pk=approval_id)
    refusal = services.approval_refusal(actor=request.user, approval=approval)
    if request.method == "POST":  # an administrator may see a request for access to records, not decide it
        services.approval_permission(approval).require(request.user, request=request)
    form = ApprovalDecisionForm(request.POST or None)
    if done := submit(
        request, form,
        lambda data: services.approval_decide(actor=request.user, approval=approval,
                                              approve=data["decision"] == "approve", reason=data["reason"]),
        success=lambda decided: f"Request {decided.get_status_display().lower()}",
        then=reverse("accounts:approval_list"),
    ):
        return done
    return render(request, "accounts/approval_detail.html", {
        "approval": approval, "form": form, "may_decide": not refusal, "refusal": refusal,
    })


# --- Teams --------------------------------------------------------------------------------------


@require_GET
@allowed(permissions.may_administer_teams)
def team_list(request):
    return render(request, "accounts/team_list.html", {"page_obj": _page(request, selectors.team_list())})


@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_teams)
def team_create(request):
    form = TeamForm(request.POST or None)
    if done := submit(request, form, lambda data: services.team_create(actor=request.user, **data),
                      success=lambda team: f"Team {team.name} created", then=reverse("accounts:team_list")):
        return done
    return render(request, "accounts/team_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@allowed(permissions.may_administer_teams)
def team_edit(request, team_id):
    team = get_object_or_404(Team, pk=team_id)
    initial = {"name": team.name, "kind": team.kind, "agency": team.agency, "manager": team.manager,
               "is_active": team.is_active, "version": team.version}
    form = TeamEditForm(request.POST or None, initial=initial)
    if done := submit(request, form, lambda data: services.team_update(
            actor=request.user, team=team, expected_version=data["version"],
            **{k: v for k, v in data.items() if k != "version"}),
                      success=lambda changes: "Team saved" if changes else "Nothing was changed",
                      then=reverse("accounts:team_list")):
        return done
    return render(request, "accounts/team_form.html", {"form": form, "team": team, "creating": False})


# --- Access log ---------------------------------------------------------------------------------


@require_GET
@allowed(people_policy.may_view_access_log)
def access_log(request):
    form = AccessLogFilterForm(request.GET or None)
    entries = access_log_reads.access_log_entries(viewer=request.user)
    child = None
    filtered = False
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            criteria = {
                "date_from": data["date_from"],
                "date_to": data["date_to"],
                "outcome": data["outcome"],
            }
            if data["child"]:
                child = access_log_reads.child_for_access_log(viewer=request.user, reference=data["child"])
                if child is None:
                    form.add_error("child", "No child found with that LA child ID or record number")
            if data["user"]:
                criteria["users"] = access_log_reads.users_matching(query=data["user"])
            filtered = any(data.values())
            if form.is_valid():
                entries = access_log_reads.access_log_entries(viewer=request.user, child=child, **criteria)
        if not form.is_valid():
            entries = entries.none()
    return render(request, "accounts/access_log.html", {
        "form": form,
        "child": child,
        "filtered": filtered,
        "page_obj": _page(request, entries),
    })
