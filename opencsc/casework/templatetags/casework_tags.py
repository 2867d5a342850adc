"""Template helpers for the child's record: the section navigation and display filters."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from opencsc.core.models import Event
from opencsc.core.navigation import RECORD_GROUPS, RECORD_SECTIONS, record_applies_kinds
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
    for section in sections:
        label, name, action = section[:3] if isinstance(section, tuple) else (
            section.label, section.url_name, section.action)
        if action not in allowed:
            allowed[action] = bool(user) and can_in_request(request, user, action, child)
        if not allowed[action]:
            continue
        url = _url(name, child.pk)
        if url is None:
            continue
        current = path == url if url == home else path.startswith(url)
        out.append({"label": label, "url": url, "current": current, "section": section})
    return out


def child_event_kinds(request, child) -> frozenset[str]:
    """The kinds of event in the child's event log that make a section of the record apply: one query,
    remembered for the rest of the request."""
    answers = request.__dict__.setdefault("_opencsc_event_kinds", {}) if request is not None else {}
    if child.pk not in answers:
        answers[child.pk] = frozenset(
            Event.objects.filter(child_id=child.pk, kind__in=record_applies_kinds())
            .values_list("kind", flat=True).distinct())
    return answers[child.pk]


# The most sections shown first on the record (more that apply are one step away, under "All sections"):
# at 1,280 px they take two rows at most.
RECORD_NAV_MAIN_LIMIT = 13


@register.simple_tag(takes_context=True)
def record_sections(context, child):
    """The sections of the child's record this user may open, with the current one marked:
    ``main``, shown first: the record's main sections and those of the services that apply to this child
    (and the current section, wherever it is); ``groups``: every section, by group (label, sections), for
    "All sections"; ``all``: every section, in order."""
    request = context.get("request")
    sections = _sections(context, child, RECORD_SECTIONS)
    kinds = child_event_kinds(request, child) if any(s["section"].applies for s in sections) else frozenset()
    for entry in sections:
        applies = entry["section"].applies
        entry["applies"] = applies is None or bool(kinds.intersection(applies))
    always = [s for s in sections if s["section"].main and s["section"].applies is None]
    services = [s for s in sections if s["section"].main and s["section"].applies is not None and s["applies"]]
    chosen = {id(s) for s in (always + services)[:RECORD_NAV_MAIN_LIMIT]}
    main = [s for s in sections if id(s) in chosen or s["current"]]
    groups = [{"key": key, "label": label, "sections": [s for s in sections if s["section"].group == key]}
              for key, label in RECORD_GROUPS.items()]
    return {"main": main, "groups": [g for g in groups if g["sections"]], "all": sections,
            "more": len(main) < len(sections)}


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
