"""Front door pages. Thin: fetch through selectors and people.access, parse with forms, write through services."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit
from opencsc.people.access import child_for, children_for
from opencsc.people.selectors import child_search

from . import policy, selectors, services, work
from .forms import (
    AnswerForm,
    ContactFilterForm,
    ContactForm,
    DecisionForm,
    DomesticAbuseForm,
    EncompassForm,
    InformationRequestForm,
    PeriodForm,
    ScreeningForm,
)

PER_PAGE = 25
SEARCH_LIMIT = 10


def _page(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _contact(request, contact_id):
    return selectors.contact_for(user=request.user, pk=contact_id, request=request)


@require_GET
@allowed(policy.may_view_contacts)
def contacts(request):
    form = ContactFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    qs = selectors.contact_list(user=request.user, query=values.get("q", ""), status=values.get("status", ""),
                                outcome=values.get("outcome", ""), out_of_hours=values.get("out_of_hours", ""))
    return render(request, "frontdoor/contacts.html", {
        "form": form, "page_obj": _page(request, qs), "filtered": any(values.values()) if values else False,
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_record_contact)
def contact_add(request):
    visible = children_for(request.user)
    if request.method == "POST":
        chosen_ids = [pk for pk in request.POST.getlist("children") if pk.isdigit()]
        chosen = list(visible.filter(pk__in=chosen_ids))
    else:
        chosen = []
        if request.GET.get("child", "").isdigit():
            chosen = [child_for(request.user, request.GET["child"], request=request, action="record")]
    found = []
    query = request.POST.get("find", "").strip() if request.method == "POST" else ""
    if query:
        found = [r.child for r in child_search(user=request.user, query=query, limit=SEARCH_LIMIT)]
    choices = list(dict.fromkeys([*chosen, *found]))
    initial = {"children": [str(c.pk) for c in chosen]}
    form = ContactForm(request.POST or None, initial=initial, child_choices=choices)
    searched = request.POST.get("action") == "search"
    settled = True
    if request.method == "POST" and not searched and form.is_valid() and form.cleaned_data["new_children"]:
        new = form.cleaned_data["new_children"][0]
        settled = form.settle_new_child(selectors.new_child_matches(user=request.user, **new))
    if not searched and settled and (done := submit(request, form, lambda data: services.contact_create(
            actor=request.user, children=data["chosen"], new_children=data["new_children"],
            match_check=data["match_check"],
            received_at=data["received_at"], out_of_hours=True if data["out_of_hours"] else None,
            referrer_name=data["referrer_name"], referrer_role=data["referrer_role"],
            referrer_agency=data["referrer_agency"], referrer_phone=data["referrer_phone"],
            referral_source=data["referral_source"], concerns=data["concerns"]),
            success="Contact recorded", then=_to_contact, aliases={"received_at": "received_on"})):
        return done
    if searched:
        form.errors.clear()
    return render(request, "frontdoor/contact_form.html", {
        "form": form, "searched": searched, "query": query, "found": found,
        "show_errors": request.method == "POST" and not searched,
    })


@require_GET
@allowed(policy.may_view_contacts)
def contact_detail(request, contact_id):
    contact = _contact(request, contact_id)
    return render(request, "frontdoor/contact_detail.html", {"contact": contact, **selectors.contact_detail(contact)})


def _to_contact(contact):
    return reverse("frontdoor:contact_detail", args=[contact.pk])


@require_http_methods(["GET", "POST"])
@allowed(policy.may_screen_contact)
def contact_screen(request, contact_id):
    contact = _contact(request, contact_id)
    form = ScreeningForm(request.POST or None, initial={
        "version": contact.version, "level_of_need": contact.level_of_need,
        "screening_rationale": contact.screening_rationale})
    if done := submit(request, form, lambda data: services.contact_screen(
            actor=request.user, contact=contact, level_of_need=data["level_of_need"],
            screening_rationale=data["screening_rationale"], expected_version=data["version"]),
            success="Screening recorded", then=_to_contact(contact)):
        return done
    return render(request, "frontdoor/contact_step.html", {
        "contact": contact, "form": form, "heading": "Screen the contact", "button": "Save screening"})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_decide_contact)
def contact_decide(request, contact_id):
    contact = _contact(request, contact_id)
    form = DecisionForm(request.POST or None, initial={"version": contact.version},
                        **selectors.allocation_choices(user=request.user))
    if done := submit(request, form, lambda data: services.contact_decide(
            actor=request.user, contact=contact, outcome=data["outcome"],
            decision_rationale=data["decision_rationale"], primary_need=data["primary_need"],
            team=data.get("team"), worker=data.get("worker"), expected_version=data["version"]),
            success=lambda _: _decided(contact), then=_to_contact(contact)):
        return done
    allocations = selectors.current_allocations(contact)
    return render(request, "frontdoor/contact_decide.html", {
        "contact": contact, "form": form, "allocations": allocations,
        "anyone_to_allocate": any(current is None for _, current in allocations),
        "decision": selectors.decision_clocks([contact])[contact.pk], "today": timezone.localdate(),
    })


def _decided(contact) -> str:
    """'Decision recorded: referral ...', and where each referred child now is."""
    text = f"Decision recorded: {contact.get_outcome_display().lower()}"
    held = [(child, current) for child, current in selectors.open_allocations(contact)]
    if contact.outcome in (contact.Outcome.REFERRAL, contact.Outcome.STRATEGY) and held:
        text += ". " + "; ".join(
            f"{child.full_name}: {'allocated to ' + a.worker.display_name if a.worker else 'waiting for a worker'}"
            f" in {a.team.name}" for child, a in held)
    return text


@require_GET
@allowed(policy.may_decide_contact)
def decisions(request):
    return render(request, "casework/work_queue.html", {
        "queue": work.DECISIONS, "items": work.decision_items(request.user),
        "intro": "Screened contacts, oldest first. A decision is due by the end of the next working day."})


@require_GET
@allowed(policy.may_screen_contact)
def screening(request):
    return render(request, "casework/work_queue.html", {
        "queue": work.SCREENING, "items": work.screening_items(request.user),
        "intro": "Contacts not yet screened, oldest first. The decision clock runs from when the contact was "
                 "received."})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_record_domestic_abuse)
def domestic_abuse_add(request, contact_id):
    contact = _contact(request, contact_id)
    form = DomesticAbuseForm(request.POST or None)
    if done := submit(request, form, lambda data: services.domestic_abuse_record(
            actor=request.user, contact=contact, incident_at=data["incident_at"], risk_level=data["risk_level"],
            police_reference=data["police_reference"], children_present=data["children_present"]),
            success="Domestic abuse notification recorded", then=_to_contact(contact),
            aliases={"incident_at": "incident_on"}):
        return done
    return render(request, "frontdoor/contact_step.html", {
        "contact": contact, "form": form, "heading": "Record a domestic abuse notification",
        "button": "Save notification"})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_tell_school)
def encompass_add(request, contact_id, child_id):
    contact = _contact(request, contact_id)
    notification, child = selectors.notification_child_for(user=request.user, contact=contact, child_id=child_id,
                                                           request=request)
    form = EncompassForm(request.POST or None, initial={"school_name": child.school_name})
    if done := submit(request, form, lambda data: services.encompass_record(
            actor=request.user, notification=notification, child=child, school_name=data["school_name"],
            told_at=data["told_at"]),
            success=f"Recorded that {child.full_name}'s school was told", then=_to_contact(contact),
            aliases={"told_at": "told_on"}):
        return done
    return render(request, "frontdoor/contact_step.html", {
        "contact": contact, "form": form, "heading": f"Tell {child.full_name}'s school (Operation Encompass)",
        "button": "Save"})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_request_information)
def request_add(request, contact_id):
    contact = _contact(request, contact_id)
    form = InformationRequestForm(request.POST or None)
    if done := submit(request, form, lambda data: services.information_request_create(
            actor=request.user, contact=contact, **data),
            success="Information requested", then=_to_contact(contact)):
        return done
    return render(request, "frontdoor/contact_step.html", {
        "contact": contact, "form": form, "heading": "Ask a partner agency for information",
        "button": "Send request"})


@require_GET
@allowed(policy.may_tell_school)
def encompass_list(request):
    return render(request, "frontdoor/encompass.html", {
        "page_obj": _page(request, selectors.encompass_outstanding(user=request.user))})


@require_GET
@allowed(policy.may_view_contacts)
def request_board(request):
    agency, rag, late = request.GET.get("agency", ""), request.GET.get("rag", ""), request.GET.get("late") == "1"
    now = timezone.now()
    board = selectors.rag_board(user=request.user, now=now)
    qs = selectors.board_requests(user=request.user, agency=agency, rag=rag, late=late, now=now)
    return render(request, "frontdoor/board.html", {
        "rows": board["rows"], "page_obj": _page(request, qs), "now": now,
        "filtered": bool(agency or rag or late),
    })


@require_GET
@allowed(policy.may_answer_information_request)
def partner_requests(request):
    show = "answered" if request.GET.get("show") == "answered" else "open"
    return render(request, "frontdoor/partner_requests.html", {
        "page_obj": _page(request, selectors.partner_requests(user=request.user, show=show)), "show": show,
        "now": timezone.now(),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_answer_information_request)
def partner_request(request, request_id):
    info = selectors.partner_request_for(user=request.user, pk=request_id, request=request)
    form = AnswerForm(request.POST or None, initial={"version": info.version})
    if done := submit(request, form, lambda data: services.information_request_answer(
            actor=request.user, request=info, response=data["response"], expected_version=data["version"]),
            success="Answer sent to the MASH", then=reverse("frontdoor:partner_requests")):
        return done
    return render(request, "frontdoor/partner_request.html", {"info": info, "form": form,
                                                              "now": timezone.now()})


def _period(request):
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    values = form.cleaned_data if form.is_valid() else {}
    date_to = values.get("date_to") or today
    date_from = values.get("date_from") or date_to - dt.timedelta(days=27)
    return form, date_from, date_to


@require_GET
@allowed(policy.may_view_contacts)
def dashboard(request):
    form, date_from, date_to = _period(request)
    return render(request, "frontdoor/dashboard.html", {
        "form": form, "date_from": date_from, "date_to": date_to,
        "figures": selectors.dashboard(user=request.user, date_from=date_from, date_to=date_to),
        "measures": selectors.MEASURES,
    })


@require_GET
@allowed(policy.may_view_contacts)
def dashboard_children(request, measure):
    if measure not in selectors.MEASURES:
        raise Http404("Page not found")
    form, date_from, date_to = _period(request)
    rows = selectors.measure_children(user=request.user, measure=measure, date_from=date_from, date_to=date_to)
    return render(request, "frontdoor/dashboard_children.html", {
        "form": form, "date_from": date_from, "date_to": date_to, "measure": measure,
        "label": selectors.MEASURES[measure], "page_obj": _page(request, rows),
    })


@require_GET
def child_contacts(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "frontdoor/child_contacts.html", {
        "child": child, "page_obj": _page(request, selectors.child_contacts(child)),
    })
