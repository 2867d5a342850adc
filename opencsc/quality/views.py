"""Quality assurance pages. Thin: selectors decide what each user may see, services what may change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencsc.accounts.models import Team, User
from opencsc.accounts.roles import MANAGER_ROLES
from opencsc.core.audit import StaleRecordError
from opencsc.core.forms import apply_errors
from opencsc.people.access import child_for
from opencsc.workforce.selectors import CASE_HOLDING_ROLES

from . import selectors, services
from .forms import AuditFilterForm, AuditForm, ModerationForm, QuestionEditForm, QuestionForm, ThemedAuditForm
from .models import AuditAction, AuditQuestion, CaseAudit

PER_PAGE = 25


def _require_role(request, roles) -> None:
    if request.user.role not in roles:
        raise Http404("Page not found")


def _teams():
    return Team.objects.filter(is_active=True).exclude(kind="partner").order_by("name")


@require_GET
def dashboard(request):
    _require_role(request, selectors.QA_ROLES)
    return render(request, "quality/dashboard.html", selectors.dashboard(user=request.user))


@require_GET
def audits(request):
    _require_role(request, selectors.QA_ROLES)
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
def moderation_report(request):
    _require_role(request, selectors.QA_ROLES)
    return render(request, "quality/moderation_report.html", {"rows": selectors.moderation_report(user=request.user)})


@require_GET
def actions(request):
    _require_role(request, selectors.QA_ROLES)
    qs = selectors.actions_for(request.user)
    if request.GET.get("show") == "open":
        qs = qs.filter(completed_on__isnull=True)
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "quality/actions.html", {"page_obj": page_obj, "show": request.GET.get("show", "")})


# --- Questions -------------------------------------------------------------------------------

@require_GET
def questions(request):
    _require_role(request, selectors.QA_ROLES)
    return render(request, "quality/questions.html", {
        "questions": AuditQuestion.objects.order_by("-is_active", "order", "id"),
        "can_change": request.user.role in selectors.QUESTION_ROLES,
    })


@require_http_methods(["GET", "POST"])
def question_add(request):
    _require_role(request, selectors.QUESTION_ROLES)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ("area", "text", "guidance", "order")}
        try:
            services.question_create(actor=request.user, **values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Question added")
            return redirect("quality:questions")
    return render(request, "quality/question_form.html", {"form": form, "heading": "Add an audit question"})


@require_http_methods(["GET", "POST"])
def question_edit(request, question_id):
    _require_role(request, selectors.QUESTION_ROLES)
    question = get_object_or_404(AuditQuestion, pk=question_id)
    form = QuestionEditForm(request.POST or None, instance=AuditQuestion.objects.get(pk=question.pk),
                            initial={"version": question.version})
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in services.QUESTION_FIELDS}
        try:
            services.question_update(actor=request.user, question=question,
                                     expected_version=form.cleaned_data["version"], **values)
        except StaleRecordError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Question saved")
            return redirect("quality:questions")
    return render(request, "quality/question_form.html", {"form": form, "heading": "Change an audit question"})


# --- Themed audits ---------------------------------------------------------------------------

@require_GET
def themed_list(request):
    _require_role(request, selectors.QA_ROLES)
    page_obj = Paginator(selectors.themed_audits_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "quality/themed_list.html", {
        "page_obj": page_obj, "can_start": request.user.role in selectors.AUDIT_ROLES,
    })


@require_http_methods(["GET", "POST"])
def themed_add(request):
    _require_role(request, selectors.AUDIT_ROLES)
    form = ThemedAuditForm(request.POST or None, teams=_teams())
    if request.method == "POST" and form.is_valid():
        try:
            themed = services.themed_audit_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, aliases={"cohort": "cohort_kind"})
        else:
            messages.success(request, "Themed audit started")
            return redirect("quality:themed_detail", themed.pk)
    return render(request, "quality/themed_form.html", {"form": form})


@require_GET
def themed_detail(request, themed_id):
    _require_role(request, selectors.QA_ROLES)
    themed = selectors.themed_audit_for(user=request.user, themed_id=themed_id)
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
def audit_start(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    if not services.can_audit(request.user, child):
        raise Http404("Page not found")
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
    case_audit = selectors.audit_for(user=request.user, child=child, audit_id=audit_id)
    return render(request, "quality/audit_detail.html", {
        "child": child, "audit": case_audit, **selectors.audit_detail(case_audit),
        "can_moderate": services.can_audit(request.user, child) and case_audit.auditor_id != request.user.pk,
        "can_audit": services.can_audit(request.user, child), "can_act": request.user.role in
        (MANAGER_ROLES | selectors.AUDIT_ROLES),
    })


def _owners(case_audit: CaseAudit):
    roles = CASE_HOLDING_ROLES | MANAGER_ROLES
    qs = User.objects.filter(is_active=True, role__in=roles)
    if case_audit.team_id:
        qs = qs.filter(team_id=case_audit.team_id)
    return qs.order_by("first_name", "last_name", "id")


@require_http_methods(["GET", "POST"])
def audit_complete(request, child_id, audit_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    if not services.can_audit(request.user, child):
        raise Http404("Page not found")
    case_audit = selectors.audit_for(user=request.user, child=child, audit_id=audit_id)
    if case_audit.status != CaseAudit.Status.IN_PROGRESS:
        return redirect("quality:audit_detail", child.pk, case_audit.pk)
    initial = {"version": case_audit.version, **{f"owner_{n}": case_audit.worker_id for n in (1,)}}
    form = AuditForm(request.POST or None, questions=selectors.active_questions(), owners=_owners(case_audit),
                     initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.audit_complete(actor=request.user, audit=case_audit, expected_version=data["version"],
                                    audited_on=data["audited_on"], grade=data["grade"], summary=data["summary"],
                                    answers=form.answers(), actions=form.actions())
        except StaleRecordError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Audit completed")
            return redirect("quality:audit_detail", child.pk, case_audit.pk)
    return render(request, "quality/audit_form.html", {"child": child, "audit": case_audit, "form": form})


@require_http_methods(["GET", "POST"])
def moderate(request, child_id, audit_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    if not services.can_audit(request.user, child):
        raise Http404("Page not found")
    case_audit = selectors.audit_for(user=request.user, child=child, audit_id=audit_id)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderation_record(actor=request.user, audit=case_audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Moderation recorded")
            return redirect("quality:audit_detail", child.pk, case_audit.pk)
    return render(request, "quality/moderate.html", {"child": child, "audit": case_audit, "form": form})


@require_POST
def action_complete(request, child_id, action_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    action = get_object_or_404(AuditAction.objects.select_related("audit__child"), pk=action_id,
                               audit__child=child)
    if not services.can_complete_action(request.user, action):
        raise Http404("Page not found")
    try:
        services.audit_action_complete(actor=request.user, action=action)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Action marked as done")
    return redirect("quality:audit_detail", child.pk, action.audit_id)
