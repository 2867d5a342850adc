from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from opencsc.accounts.roles import Role
from opencsc.timescales import policy as timescales_policy
from opencsc.timescales import selectors as timescales

from . import work

# Roles whose work is the due list of the children allocated to them: they land on My work, which shows
# their work queues above it.
LAND_ON_MY_WORK = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.PERSONAL_ADVISER})


@require_GET
def home(request):
    """Each role's work: the queues waiting for them (core.work), what is due for the children allocated to
    them, their team's timescales (team managers) or every team's (service managers), then the menu.
    Practitioners land on My work, which shows the same queues above their due list."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/home.html")
    if user.role in LAND_ON_MY_WORK and timescales_policy.may_view_my_work(user):
        return redirect("timescales:my_work")
    context = {"queues": work.queues_for(user)}
    if timescales_policy.may_view_my_work(user):
        context["my_counts"] = timescales.due_counts(
            timescales.due_items(children=timescales.children_allocated_to(user)))
    if timescales_policy.may_view_any_team_work(user):
        context["teams_overview"] = timescales.teams_overview()
    elif timescales_policy.may_view_team_work(user) and user.team_id:
        context["team"] = user.team
        context["team_counts"] = timescales.team_counts(user=user, team=user.team)
    return render(request, "core/home.html", context)


@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
