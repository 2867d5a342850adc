"""Quality assurance pages. Thin: selectors decide what each user may see, services what may change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencsc.accounts.models import Team, User
from opencsc.accounts.policy import allowed, refuse
from opencsc.accounts.roles import MANAGER_ROLES
from opencsc.core.forms import submit
from opencsc.people.access import child_for
from opencsc.workforce.policy import CASE_HOLDING_ROLES

from . import policy, selectors, services
from .forms import AuditFilterForm, AuditForm, ModerationForm, QuestionEditForm, QuestionForm, ThemedAuditForm
from .models import AuditAction, AuditQuestion, CaseAudit

PER_PAGE = 25


def _teams():
    return Team.objects.filter(is_active=True).exclude(kind="partner").order_by("name")


@require_GET
@allowed(policy.may_view_quality)
def dashboard(request):
    return render(request, "quality/dashboard.html", selectors.dashboard(user=request.user))


@require_GET
@allowed(policy.may_view_quality)
def audits(request):
    teams = list(_teams())
    form = AuditFilterForm(request.GET or None, teams=teams)
    qs = selectors.audits_for(request.user).order_by("-audited_on", "-created_at", "-id")
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("team"):
            qs = qs.filter(team_id=data["team"])
        if data.get("grade"):
            qs = qs.filter(grade=data["grade"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("quarter"):
            start = data["quarter"]
            qs = qs.filter(audited_on__gte=start, audited_on__lt=selectors.next_quarter(start))
        if data.get("theme"):
            qs = qs.filter(themed_audit_id=data["theme"])
        filtered = any(data.values())
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "quality/audits.html", {"form": form, "page_obj": page_obj, "filtered": filtered})


@require_GET
@allowed(policy.may_view_quality)
def moderation_report(request):
    return render(request, "quality/moderation_report.html", {"rows": selectors.moderation_report(user=request.user)})


@require_GET
@allowed(policy.may_view_quality)
def actions(request):
    qs = selectors.actions_for(request.user)
    if request.GET.get("show") == "open":
        qs = qs.filter(completed_on__isnull=True)
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "quality/actions.html", {"page_obj": page_obj, "show": request.GET.get("show", "")})


# --- Questions -------------------------------------------------------------------------------

@require_GET
@allowed(policy.may_view_quality)
def questions(request):
    return render(request, "quality/questions.html", {
        "questions": AuditQuestion.objects.order_by("-is_active", "order", "id"),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_change_audit_questions)
def question_add(request):
    form = QuestionForm(request.POST or None)
    if done := submit(request, form, lambda data: services.question_create(
            actor=request.user, **{k: data[k] for k in ("area", "text", "guidance", "order")}),
            success="Question added", then=reverse("quality:questions")):
        return done
    return render(request, "quality/question_form.html", {"form": form, "heading": "Add an audit question"})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_change_audit_questions)
def question_edit(request, question_id):
    question = AuditQuestion.objects.filter(pk=question_id).first()
    if question is None:
        raise selectors.not_found(request.user, reference=f"audit_question:{question_id}", request=request)
    form = QuestionEditForm(request.POST or None, instance=AuditQuestion.objects.get(pk=question.pk),
                            initial={"version": question.version})
    if done := submit(request, form, lambda data: services.question_update(
            actor=request.user, question=question, expected_version=data["version"],
            **{k: data[k] for k in services.QUESTION_FIELDS}), success="Question saved",
            then=reverse("quality:questions")):
        return done
    return render(request, "quality/question_form.html", {"form": form, "heading": "Change an audit question"})


# --- Themed audits ---------------------------------------------------------------------------

@require_GET
@allowed(policy.may_view_quality)
def themed_list(request):
    page_obj = Paginator(selectors.themed_audits_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "quality/themed_list.html", {
        "page_obj": page_obj,
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_start_themed_audit)
def themed_add(request):
    form = ThemedAuditForm(request.POST or None, teams=_teams())
    if done := submit(request, form, lambda data: services.themed_audit_create(actor=request.user, **data),
                      success="Themed audit started", aliases={"cohort": "cohort_kind"},
                      then=lambda themed: reverse("quality:themed_detail", args=[themed.pk])):
        return done
    return render(request, "quality/themed_form.html", {"form": form})


@require_GET
@allowed(policy.may_view_quality)
def themed_detail(request, themed_id):
    themed = selectors.themed_audit_for(user=request.user, themed_id=themed_id, request=request)
    audits = selectors.audits_for(request.user).filter(themed_audit=themed).order_by("child__last_name", "id")
    return render(request, "quality/themed_detail.html", {"themed": themed, "audits": audits})


# --- A child's audits ------------------------------------------------------------------------

@require_GET
def child_audits(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "quality/child.html", {
        "child": child, "audits": selectors.child_audits(user=request.user, child=child),
        "can_audit": services.can_audit(request.user, child),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_audit_case)
def audit_start(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    error = None
    if request.method == "POST":
        try:
            case_audit = services.audit_start(actor=request.user, child=child)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            return redirect("quality:audit_complete", child.pk, case_audit.pk)
    return render(request, "quality/audit_start.html", {"child": child, "error": error})


@require_GET
def audit_detail(request, child_id, audit_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    case_audit = selectors.audit_for(user=request.user, child=child, audit_id=audit_id, request=request)
    return render(request, "quality/audit_detail.html", {
        "child": child, "audit": case_audit, **selectors.audit_detail(case_audit),
        "can_moderate": services.can_moderate(request.user, child) and case_audit.auditor_id != request.user.pk,
        "can_audit": services.can_audit(request.user, child),
    })


def _owners(case_audit: CaseAudit):
    roles = CASE_HOLDING_ROLES | MANAGER_ROLES
    qs = User.objects.filter(is_active=True, role__in=roles)
    if case_audit.team_id:
        qs = qs.filter(team_id=case_audit.team_id)
    return qs.order_by("first_name", "last_name", "id")


@require_http_methods(["GET", "POST"])
@allowed(policy.may_audit_case)
def audit_complete(request, child_id, audit_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    case_audit = selectors.audit_for(user=request.user, child=child, audit_id=audit_id, request=request)
    if case_audit.status != CaseAudit.Status.IN_PROGRESS:
        return redirect("quality:audit_detail", child.pk, case_audit.pk)
    initial = {"version": case_audit.version, **{f"owner_{n}": case_audit.worker_id for n in (1,)}}
    form = AuditForm(request.POST or None, questions=selectors.active_questions(), owners=_owners(case_audit),
                     initial=initial)
    if done := submit(request, form, lambda data: services.audit_complete(
            actor=request.user, audit=case_audit, expected_version=data["version"], audited_on=data["audited_on"],
            grade=data["grade"], summary=data["summary"], answers=form.answers(), actions=form.actions()),
            success="Audit completed", then=reverse("quality:audit_detail", args=[child.pk, case_audit.pk])):
        return done
    return render(request, "quality/audit_form.html", {"child": child, "audit": case_audit, "form": form})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_moderate_audit)
def moderate(request, child_id, audit_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    case_audit = selectors.audit_for(user=request.user, child=child, audit_id=audit_id, request=request)
    form = ModerationForm(request.POST or None)
    if done := submit(request, form, lambda data: services.moderation_record(
            actor=request.user, audit=case_audit, **data), success="Moderation recorded",
            then=reverse("quality:audit_detail", args=[child.pk, case_audit.pk])):
        return done
    return render(request, "quality/moderate.html", {"child": child, "audit": case_audit, "form": form})


@require_POST
def action_complete(request, child_id, action_id):
    """Mark an action from an audit as done: managers and auditors any action, anyone else only their own.

    Someone who may not complete every action and does not own this one is refused (403) before the
    child is looked up, so a refusal says nothing about the record."""
    if not policy.may_complete_audit_actions(request.user) and not AuditAction.objects.filter(
            pk=action_id, audit__child_id=child_id, owner_id=request.user.pk).exists():
        refuse(policy.may_complete_audit_actions.refusal, permission=policy.may_complete_audit_actions)
    child = child_for(request.user, child_id, request=request, action="view_casework")
    action = AuditAction.objects.select_related("audit__child").filter(pk=action_id, audit__child=child).first()
    if action is None:
        raise selectors.not_found(request.user, reference=f"audit_action:{action_id}", request=request)
    try:
        services.audit_action_complete(actor=request.user, action=action)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Action marked as done")
    return redirect("quality:audit_detail", child.pk, action.audit_id)
