"""Records retention pages: the periods, the report of records past their period, the two-person
approval of destruction, legal holds and the record of what was destroyed. Thin: the rules are in
rules.py, the reads in selectors.py and the writes in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.access_records import log_accesses
from opencsc.accounts.policy import allowed
from opencsc.core.forms import apply_errors, submit
from opencsc.people.access import children_for

from . import policy, selectors, services
from .forms import ApproveForm, DecisionForm, HoldForm, ReleaseForm, RuleForm
from .models import DestructionRequest, LegalHold, RetentionRule

PER_PAGE = 50


def _page(request, items, per_page=PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


@require_http_methods(["GET", "POST"])
@allowed(policy.may_approve_destruction)
def report(request):
    today = timezone.localdate()
    result = selectors.report_for(request.user, today=today)
    page_obj = _page(request, result.offered)
    children = selectors.children_by_id(p.child_id for p in page_obj.object_list)
    rows = [{"past": p, "child": children[p.child_id]} for p in page_obj.object_list if p.child_id in children]
    if rows and request.method == "GET":
        log_accesses(request.user, children=[r["child"] for r in rows], path=request.get_full_path())
    form = ApproveForm(request.POST or None)
    if done := submit(
        request, form,
        lambda data: services.destruction_approve(actor=request.user, children=data["children"],
                                                  reason=data["reason"], today=today),
        success=lambda r: f"Approved the records of {r.items.count()} children for destruction. "
                          "A different person must now confirm it",
        then=lambda r: reverse("retention:request", args=[r.pk]),
    ):
        return done
    selected = {str(pk) for pk in (request.POST.getlist("children") if request.method == "POST" else [])}
    return render(request, "retention/report.html", {
        "today": today, "page_obj": page_obj, "rows": rows, "form": form, "selected": selected,
        "kept": [(selectors.KEPT_REASONS[k], n) for k, n in result.kept.items()],
        "total": len(result.offered), "periods": selectors.periods(),
        "pending": selectors.requests_pending().count(),
    })


@require_GET
@allowed(policy.may_approve_destruction)
def request_list(request):
    return render(request, "retention/request_list.html", {
        "pending": selectors.requests_pending(), "page_obj": _page(request, selectors.requests_decided(), 25),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_approve_destruction)
def request_detail(request, request_id):
    destruction_request = get_object_or_404(
        DestructionRequest.objects.select_related("requested_by", "decided_by"), pk=request_id)
    refusal = services.destruction_refusal(actor=request.user, request=destruction_request)
    own = destruction_request.requested_by_id == request.user.pk
    items = list(destruction_request.items.all())
    visible = {c.pk: c for c in children_for(request.user).filter(pk__in=[i.child_id for i in items if i.child_id])}
    if visible and request.method == "GET":
        log_accesses(request.user, children=visible.values(), path=request.get_full_path())
    form = DecisionForm(request.POST or None)
    if own:
        form.fields["decision"].choices = [("decline", "Withdraw my approval: destroy nothing")]

    def decide(data):
        if data["decision"] == "confirm":
            return services.destruction_confirm(actor=request.user, request=destruction_request)
        if not data["reason"].strip():
            raise ValidationError({"reason": "Enter why you are declining"})
        return services.destruction_decline(actor=request.user, request=destruction_request, reason=data["reason"])

    if done := submit(
        request, form, decide,
        success=lambda r: ("Records destroyed" if r.status == DestructionRequest.Status.CONFIRMED
                           else "Declined: nothing was destroyed"),
        then=lambda r: reverse("retention:request", args=[r.pk]),
    ):
        return done
    return render(request, "retention/request_detail.html", {
        "destruction_request": destruction_request, "items": [(i, visible.get(i.child_id)) for i in items],
        "form": form, "may_decide": not refusal, "refusal": refusal, "own": own,
        "records": destruction_request.destroyed.all() if not destruction_request.is_pending else [],
    })


@require_GET
@allowed(policy.may_view_retention)
def rules(request):
    return render(request, "retention/rules.html", {"rules": selectors.rule_list()})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_change_retention_rules)
def rule_edit(request, record_class):
    rule = get_object_or_404(RetentionRule, record_class=record_class)
    form = RuleForm(request.POST or None, rule=rule, initial={
        "version": rule.version, "years": rule.years, "after_death_years": rule.after_death_years})
    if done := submit(
        request, form,
        lambda data: services.rule_update(actor=request.user, rule=rule, expected_version=data["version"],
                                          years=data["years"], after_death_years=data.get("after_death_years")),
        success=f"{rule.name}: period changed", then=reverse("retention:rules"),
    ):
        return done
    return render(request, "retention/rule_edit.html", {"rule": rule, "form": form})


@require_GET
@allowed(policy.may_view_retention)
def destroyed(request):
    return render(request, "retention/destroyed.html", {"page_obj": _page(request, selectors.destruction_records(), 25)})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_hold_records)
def holds(request):
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = children_for(request.user).filter(la_child_id=form.cleaned_data["la_child_id"].strip()).first()
        if child is None:
            form.add_error("la_child_id", "Enter the LA child ID of a child whose record you can see")
        else:
            try:
                services.hold_place(actor=request.user, child=child, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_errors(form, error, {"child": "la_child_id"})
            else:
                messages.success(request, f"The records of {child.la_child_id} are on legal hold")
                return redirect("retention:holds")
    in_force = list(selectors.holds())
    visible = set(children_for(request.user).filter(pk__in=[h.child_id for h in in_force]).values_list("pk", flat=True))
    shown = [h for h in in_force if h.child_id in visible]
    if shown and request.method == "GET":
        log_accesses(request.user, children=[h.child for h in shown], path=request.get_full_path())
    return render(request, "retention/holds.html", {
        "holds": shown, "hidden": len(in_force) - len(shown), "form": form})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_hold_records)
def hold_release(request, hold_id):
    hold = get_object_or_404(LegalHold.objects.select_related("child", "placed_by"), pk=hold_id,
                             child__in=children_for(request.user))
    form = ReleaseForm(request.POST or None)
    if done := submit(
        request, form, lambda data: services.hold_release(actor=request.user, hold=hold, reason=data["reason"]),
        success=f"The legal hold on the records of {hold.child.la_child_id} is released",
        then=reverse("retention:holds"),
    ):
        return done
    return render(request, "retention/hold_release.html", {"hold": hold, "form": form})
