"""The child's record: summary, chronology, case notes, documents and history.

Every view fetches the child through `people.access.child_for()`, which logs the
view, refuses (403) a role that may never do what the page does and answers 404
for a child the user may not see.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import refuse
from opencsc.codes import ETHNICITY
from opencsc.core.audit import readable_changes
from opencsc.core.forms import submit
from opencsc.people.access import can, child_for
from opencsc.timescales.selectors import child_next_due

from . import chronology_export, policy, selectors, services, uploads
from .forms import (
    CaseNoteEditForm,
    CaseNoteFilterForm,
    CaseNoteForm,
    ChronologyEntryForm,
    ChronologyFilterForm,
    DocumentForm,
    kinds_chosen,
)
from .templatetags.casework_tags import can_in_request

PER_PAGE = 25
CHRONOLOGY_PER_PAGE = 50


def _page(request, items, per_page=PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


@require_GET
def child_record(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view")
    summary = selectors.child_record_summary(user=request.user, child=child)
    next_due = []
    if summary.can_view_casework:

        next_due = child_next_due(user=request.user, child=child, facts=summary.clock_facts)
    return render(request, "casework/child_record.html", {
        "next_due": next_due,
        "child": child,
        "summary": summary,
        "age": selectors.age_text(child),
        "ethnicity": ETHNICITY.label(child.ethnicity) or "Not recorded",
        "can_record": can_in_request(request, request.user, "record", child),
        "can_edit": can_in_request(request, request.user, "edit", child),
    })


# --- Chronology ---------------------------------------------------------------------------


@require_GET
def chronology(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    filter_keys = {"source", "date_from_0", "date_from_1", "date_from_2", "date_to_0", "date_to_1", "date_to_2",
                   "significant"}
    form = ChronologyFilterForm(request.GET if filter_keys & set(request.GET) else None)
    criteria = {}
    if form.is_bound and form.is_valid():
        criteria = {
            "sources": kinds_chosen(form.cleaned_data["source"]) or None,
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
            "significant_only": form.cleaned_data["significant"],
        }
    items = selectors.chronology_for(user=request.user, child=child, **criteria)
    page = _page(request, items, CHRONOLOGY_PER_PAGE)
    page.object_list = chronology_export.entries(page.object_list, child)  # with the worker's analysis of each
    return render(request, "casework/chronology.html", {
        "child": child,
        "form": form,
        "filtered": bool(criteria) and any(criteria.values()),
        "page_obj": page,
        "total": page.paginator.count,
        "can_record": can(request.user, "record", child),
    })


@require_http_methods(["GET", "POST"])
def chronology_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = ChronologyEntryForm(request.POST or None)
    if done := submit(request, form,
                      lambda data: services.chronology_entry_create(child=child, actor=request.user, **data),
                      success="Chronology entry added", then=reverse("casework:chronology", args=[child.pk])):
        return done
    return render(request, "casework/chronology_add.html", {"child": child, "form": form})


# --- Case notes ---------------------------------------------------------------------------


@require_GET
def notes(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    form = CaseNoteFilterForm(request.GET or None)
    note_type, seen = None, None
    if form.is_bound and form.is_valid():
        note_type = form.cleaned_data["note_type"] or None
        seen = {"yes": True, "no": False}.get(form.cleaned_data["seen"])
    qs = selectors.case_notes_for(user=request.user, child=child, note_type=note_type, child_seen=seen)
    return render(request, "casework/notes.html", {
        "child": child,
        "form": form,
        "filtered": note_type is not None or seen is not None,
        "page_obj": _page(request, qs),
        "can_record": can(request.user, "record", child),
    })


@require_http_methods(["GET", "POST"])
def note_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = CaseNoteForm(request.POST or None)
    if done := submit(request, form, lambda data: services.case_note_create(child=child, actor=request.user, **data),
                      success="Case note added",
                      then=lambda note: reverse("casework:note_detail", args=[child.pk, note.pk])):
        return done
    return render(request, "casework/note_form.html", {"child": child, "form": form, "note": None})


@require_GET
def note_detail(request, child_id, note_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    note = selectors.case_note_for(user=request.user, child=child, note_id=note_id)
    return render(request, "casework/note_detail.html", {
        "child": child,
        "note": note,
        "can_edit_note": selectors.can_edit_case_note(request.user, note),
    })


@require_http_methods(["GET", "POST"])
def note_edit(request, child_id, note_id):
    child = child_for(request.user, child_id, request=request, action="record")
    note = selectors.case_note_for(user=request.user, child=child, note_id=note_id)
    if not selectors.can_edit_case_note(request.user, note):  # they can read it, but it is not theirs to change
        refuse(policy.may_edit_others_case_notes.refusal, permission=policy.may_edit_others_case_notes,
               user=request.user, request=request, reference=str(child.pk))

    def write(data):
        values = dict(data)
        version = values.pop("version")
        return services.case_note_update(note=note, actor=request.user, expected_version=version, **values)

    if request.method == "POST":
        form = CaseNoteEditForm(request.POST)
        if done := submit(request, form, write,
                          success=lambda changes: "Case note updated" if changes else "No changes to save",
                          then=reverse("casework:note_detail", args=[child.pk, note.pk])):
            return done
        note.refresh_from_db()  # as it is saved, whatever the refused change did to it
    else:
        form = CaseNoteEditForm(initial={
            "note_type": note.note_type,
            "contact_date": note.contact_date,
            "subject": note.subject,
            "body": note.body,
            "child_seen": note.child_seen,
            "child_seen_alone": note.child_seen_alone,
            "version": note.version,
        })
    return render(request, "casework/note_form.html", {"child": child, "form": form, "note": note})


# --- Documents ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def documents(request, child_id):
    action = "record" if request.method == "POST" else "view_casework"
    child = child_for(request.user, child_id, request=request, action=action)
    can_record = can(request.user, "record", child)
    form = DocumentForm(request.POST or None, request.FILES or None) if can_record else None
    if form is not None and (done := submit(
            request, form,
            lambda data: services.document_upload(child=child, actor=request.user, title=data["title"], file=data["file"]),
            success="Document uploaded", then=reverse("casework:documents", args=[child.pk]))):
        return done
    qs = selectors.documents_for(user=request.user, child=child)
    return render(request, "casework/documents.html", {
        "child": child,
        "form": form,
        "page_obj": _page(request, qs),
        "can_record": can_record,
    })


@require_GET
def document_download(request, child_id, document_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    document = selectors.document_for(user=request.user, child=child, document_id=document_id)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("No document found") from None
    # Served as the type its content was found to be, and never shown in the browser: a file uploaded
    # before contents were checked is served as plain bytes.
    kind = uploads.TYPES.get(document.detected_type)
    response = FileResponse(handle, as_attachment=True, filename=document.original_name,
                            content_type=kind.content_type if kind else "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- History ------------------------------------------------------------------------------


@require_GET
def history(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    page_obj = _page(request, selectors.history_for(user=request.user, child=child))
    for event in page_obj:
        event.change_rows = readable_changes(event)
    return render(request, "casework/history.html", {"child": child, "page_obj": page_obj})

