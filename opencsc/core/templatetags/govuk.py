"""Template tags that render Django forms in GOV.UK Design System markup."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms, template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from opencsc.codes import describe
from opencsc.core.forms import DateInputWidget, plain_errors

register = template.Library()


def _kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, DateInputWidget):
        return "date"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


@register.inclusion_tag("core/includes/field.html")
def govuk_field(field, width: str = "", label_size: str = ""):
    plain_errors(field.form)
    kind = _kind(field)
    error_id = f"{field.auto_id}-error" if field.errors else ""
    hint_id = f"{field.auto_id}-hint" if field.help_text else ""
    described = " ".join(i for i in (hint_id, error_id) if i)
    if kind == "date":
        field.field.widget.attrs.update({"aria_describedby": described, "error": bool(field.errors)})
    elif kind not in ("hidden", "checkboxes", "radios"):
        classes = {
            "input": "govuk-input",
            "select": "govuk-select",
            "textarea": "govuk-textarea",
            "file": "govuk-file-upload",
            "checkbox": "govuk-checkboxes__input",
        }[kind]
        if field.errors and kind != "checkbox":
            classes += f" {classes.split()[0]}--error"
        if width:
            classes += f" govuk-input--width-{width}" if kind == "input" else ""
        attrs = {"class": classes}
        if described:
            attrs["aria-describedby"] = described
        field.field.widget.attrs.update(attrs)
    return {
        "field": field,
        "kind": kind,
        "error_id": error_id,
        "hint_id": hint_id,
        "label_size": label_size,
    }


@register.inclusion_tag("core/includes/error_summary.html")
def govuk_error_summary(*forms_):
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        plain_errors(form)
        for error in form.non_field_errors():
            errors.append({"href": "#main-content", "text": error})
        for field in form:
            for error in field.errors:
                anchor = f"{field.auto_id}_0" if _kind(field) == "date" else field.auto_id
                if _kind(field) in ("checkboxes", "radios"):
                    anchor = f"{field.auto_id}_0"
                errors.append({"href": f"#{anchor}", "text": error})
    return {"errors": errors}


@register.filter
def govuk_date(value, with_time: bool = False):
    """23 Nov 2026 (and 09:30 when asked): the one way dates are shown."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(value, "j M Y, H:i") if with_time else date_format(value, "j M Y")
    return date_format(value, "j M Y")


@register.filter
def age_on(date_of_birth, on=None):
    if not date_of_birth:
        return ""
    on = on or timezone.localdate()
    years = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    return years


@register.filter
def code_label(code, list_name: str):
    """A DfE or SSDA903 code as a person reads it: {{ e.legal_status|code_label:"LEGAL_STATUS" }} gives
    "Full care order". The list names are those of opencsc.codes.CODE_LISTS."""
    return describe(list_name, code)


@register.filter
def code_and_label(code, list_name: str):
    """A code with its label, where practitioners need the code too: "Full care order (C2)"."""
    return describe(list_name, code, with_code=True)


def _decimal(value) -> Decimal | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def number(value, places: int = 1):
    """A number as a person reads it: 19,770; 2.8; 12.5 (at most `places` decimal places, no trailing
    zeros, thousands separated). Anything that is not a number is shown unchanged."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else value
    places = int(places)
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # 12.345 -> 12.35, as people round
    text = f"{amount:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@register.filter
def km(value):
    """A distance: "2.8 km" (never "2.80000000000000 km")."""
    amount = _decimal(value)
    return "" if amount is None else f"{number(amount)} km"


@register.simple_tag(takes_context=True)
def querystring_with(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def form_token():
    """A fresh one-time token for a POST form, next to {% csrf_token %}: the form is sent once
    (core.middleware.FormTokenMiddleware); a test checks that every POST form template has one."""
    return format_html('<input type="hidden" name="form_token" value="{}">', secrets.token_urlsafe(24))
