"""The chronology for court and for the family (a PDF or Word download), and the worker's analysis of an entry.

Both fetch the child through `people.access.child_for()` (the download is logged as a view of the record,
with what was chosen in its address) and read the chronology only through `selectors.chronology_for`.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.core.forms import submit
from opencsc.people.access import child_for

from . import chronology_export as export
from . import services
from .forms import ChronologyAnalysisForm, ChronologyExportForm, kinds_chosen


@require_GET
def chronology_export(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    form = ChronologyExportForm(request.GET or None, kinds=export.kinds_for(request.user, child))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chronology = export.build(
            user=request.user, child=child, audience=data["audience"], kinds=kinds_chosen(data["kinds"]),
            date_from=data["date_from"], date_to=data["date_to"], significant_only=data["significant"] == "yes")
        content = export.render(chronology, data["format"])
        name = export.file_name(chronology, child, data["format"])
        services.chronology_exported(child=child, actor=request.user, audience=data["audience"],
                                     fmt=data["format"], kinds=kinds_chosen(data["kinds"]),
                                     date_from=data["date_from"],
                                     date_to=data["date_to"], significant_only=data["significant"] == "yes",
                                     entries=len(chronology.rows), file_name=name)
        response = HttpResponse(content, content_type=export.CONTENT_TYPES[data["format"]])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(request, "casework/chronology_export.html", {"child": child, "form": form})


@require_http_methods(["GET", "POST"])
def chronology_analysis(request, child_id, kind, source_id, seq):
    child = child_for(request.user, child_id, request=request, action="record")
    entry = export.entry_for(user=request.user, child=child, kind=kind, source_id=source_id, seq=seq)
    analysis = entry.analysis
    form = ChronologyAnalysisForm(request.POST or None, initial={
        "text": analysis.text if analysis else "", "version": analysis.version if analysis else 0})

    def write(data):
        return services.chronology_analysis_set(child=child, actor=request.user, kind=kind, source_id=source_id,
                                                seq=seq, text=data["text"], expected_version=data["version"])

    then = reverse("casework:chronology", args=[child.pk]) + f"#entry-{kind}-{source_id}-{seq}"
    if done := submit(request, form, write, success="Analysis saved", then=then):
        return done
    return render(request, "casework/chronology_analysis.html", {
        "child": child, "form": form, "entry": entry, "analysis": analysis})
