from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from opencsc.accounts.policy import permissions


@require_GET
def home(request):
    """Practitioners and managers land on their due list (My work); everyone else on the menu."""
    if permissions()["view_my_work"](request.user):  # by name: core does not import the timescales app
        return redirect("timescales:my_work")
    return render(request, "core/home.html")


@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
