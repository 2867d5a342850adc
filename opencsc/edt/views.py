"""Out-of-hours pages. Thin: access through `people.access.child_for()`, rules in services.py,
reads in selectors.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit
from opencsc.people.access import child_for

from . import policy, selectors, services
from .forms import EntryForm, HandoverFilterForm

PER_PAGE = 25
ALIASES = {"occurred_at": "occurred_on"}


@require_GET
def entries(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    page_obj = Paginator(selectors.entries_for(user=request.user, child=child), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "edt/entries.html", {
        "child": child, "page_obj": page_obj, "rows": selectors.with_status(page_obj),
        "can_record": services.can_record(request.user, child),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_record_out_of_hours)
def entry_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = EntryForm(request.POST or None)
    if done := submit(request, form, lambda data: services.entry_record(
            actor=request.user, child=child, **form.entry_values()),
            success=lambda entry: f"Out-of-hours work recorded and handed over to {entry.day_team}",
            then=lambda entry: reverse("edt:entry_detail", args=[child.pk, entry.pk]), aliases=ALIASES):
        return done
    return render(request, "edt/entry_form.html", {"child": child, "form": form})


@require_GET
def entry_detail(request, child_id, entry_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    entry = selectors.entry_for(user=request.user, child=child, entry_id=entry_id)
    return render(request, "edt/entry_detail.html", {
        "child": child, "entry": entry, "handover": selectors.with_status([entry])[0],
        "can_acknowledge": entry.acknowledged_at is None and services.can_acknowledge(request.user, child),
    })


@require_POST
@allowed(policy.may_acknowledge_handover)
def entry_acknowledge(request, child_id, entry_id):
    child = child_for(request.user, child_id, request=request, action="record")
    entry = selectors.entry_for(user=request.user, child=child, entry_id=entry_id)
    try:
        services.entry_acknowledge(actor=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Handover acknowledged")
    if request.POST.get("next") == "list":
        return redirect("edt:handovers")
    return redirect("edt:entry_detail", child.pk, entry.pk)


@require_GET
@allowed(policy.may_view_handovers)
def handovers(request):
    form = HandoverFilterForm(request.GET or None)
    show, team, query = "open", None, ""
    if form.is_bound and form.is_valid():
        show = form.cleaned_data["show"] or "open"
        team = form.cleaned_data["team"]
        query = form.cleaned_data["q"].strip()
    elif not form.is_bound and request.user.team_id and request.user.team.kind not in ("edt", "performance",
                                                                                      "quality"):
        team = request.user.team
        form = HandoverFilterForm(initial={"show": "open", "team": team})
    qs = selectors.handovers(user=request.user, team=team, show=show, query=query)
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "edt/handovers.html", {
        "form": form, "page_obj": page_obj, "rows": selectors.with_status(page_obj), "show": show, "team": team,
        "overdue": selectors.overdue_count(user=request.user, team=team) if show == "open" else None,
    })
