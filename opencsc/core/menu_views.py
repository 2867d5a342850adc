"""The pages of the service menu's groups (core/navigation.py): each lists the pages of its group that
the user may open, with a line about each."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import navigation


@require_GET
def menu_group(request, group):
    found = navigation.group_page(request.user, group)
    if found is None:  # no such group, or nothing in it for this user
        raise Http404("No such menu group")
    group, items = found
    return render(request, "core/menu_group.html", {"group": group, "items": items})
