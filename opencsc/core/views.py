from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from opencsc.accounts.roles import CASEWORK_ROLES


@require_GET
def home(request):
    """Practitioners and managers land on their due list; everyone else on the menu."""
    if request.user.role in CASEWORK_ROLES:
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
