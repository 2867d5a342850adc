"""Template helpers for the child's record: the section navigation and display filters."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from opencsc.core.navigation import RECORD_SECTIONS
from opencsc.people.access import can

register = template.Library()

# Pages that manage the record, linked from the summary page.
MANAGE_SECTIONS = (
    ("Change details", "people:child_edit", "edit"),
    ("Other names", "people:aliases", "edit"),
    ("Partner agency sharing", "people:sharing", "edit"),
    ("Restriction", "people:restriction", "restrict"),
    ("Merge a duplicate record", "people:merge", "merge"),
)


def _url(name: str, child_id) -> str | None:
    try:
        return reverse(name, args=[child_id])
    except NoReverseMatch:
        return None


def can_in_request(request, user, action: str, child) -> bool:
    """``people.access.can``, remembered for the rest of the request (the record page and its
    navigation ask the same questions several times, and some cost a query)."""
    if request is None:
        return can(user, action, child)
    answers = request.__dict__.setdefault("_opencsc_can", {})
    key = (getattr(user, "pk", None), action, child.pk)
    if key not in answers:
        answers[key] = can(user, action, child)
    return answers[key]


def _sections(context, child, sections):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    path = request.path if request is not None else ""
    allowed: dict[str, bool] = {}
    out = []
    home = _url("casework:child_record", child.pk)
    for label, name, action in sections:
        if action not in allowed:
            allowed[action] = bool(user) and can_in_request(request, user, action, child)
        if not allowed[action]:
            continue
        url = _url(name, child.pk)
        if url is None:
            continue
        current = path == url if url == home else path.startswith(url)
        out.append({"label": label, "url": url, "current": current})
    return out


@register.simple_tag(takes_context=True)
def record_sections(context, child):
    """The sections of the child's record this user may open, with the current one marked."""
    return _sections(context, child, RECORD_SECTIONS)


@register.simple_tag(takes_context=True)
def manage_sections(context, child):
    """The pages that manage the child's record that this user may open."""
    return _sections(context, child, MANAGE_SECTIONS)


@register.simple_tag
def record_url(name, *args):
    """A URL, or "" when that page does not exist (yet): links to it are then left out."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def nhs_number(value):
    """485 777 3456: the NHS number in its 3-3-4 groups."""
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    if len(digits) != 10:
        return value or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


@register.filter
def field_label(name):
    """'contact_date' -> 'Contact date'."""
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@register.filter
def plain_value(value):
    if value is None or value == "":
        return "(blank)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return value
