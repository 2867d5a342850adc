"""Form building blocks in the GOV.UK Design System patterns.

`GovukDateField` is the three-box date input with the Design System's error
messages; every form in OpenCSC renders through `{% govuk_field %}`.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.shortcuts import redirect
from django.utils import timezone

from opencsc.core.audit import StaleRecordError


class DateInputWidget(forms.MultiWidget):
    template_name = "core/widgets/date_input.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}_{i}", "").strip() for i in range(3)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = ["Day", "Month", "Year"]
        for label, sub in zip(labels, context["widget"]["subwidgets"], strict=True):
            sub["label"] = label
        return context


class GovukDateField(forms.Field):
    """A date from three boxes, with the GOV.UK error messages.

    `past_only` refuses dates after today (a date of contact cannot be in the future).
    """

    widget = DateInputWidget

    def __init__(self, *, past_only: bool = False, future_only: bool = False, **kwargs):
        self.past_only = past_only
        self.future_only = future_only
        super().__init__(**kwargs)

    def _name(self) -> str:
        return (self.label or "Date").capitalize()

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value
        if not value or not any(value):
            return None
        day, month, year = value
        name = self._name()
        missing = [part for part, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"{name} must include a {' and '.join(missing)}", code="incomplete")
        try:
            d, m, y = int(day), int(month), int(year)
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date", code="invalid") from None
        if len(str(year)) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return dt.date(y, m, d)
        except (ValueError, OverflowError):  # a day of 99999999999999999999999 is not a real date either
            raise forms.ValidationError(f"{name} must be a real date", code="invalid") from None

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(f"Enter the {(self.label or 'date').lower()}", code="required")
        if value is None:
            return
        today = timezone.localdate()
        if self.past_only and value > today:
            raise forms.ValidationError(f"{self._name()} must be today or in the past", code="future")
        if self.future_only and value < today:
            raise forms.ValidationError(f"{self._name()} must be today or in the future", code="past")
        if value.year < 1900:
            raise forms.ValidationError(f"{self._name()} must be after 1900", code="too_early")


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that an id the database cannot hold is refused as not one of the choices: the
    IN lookup Django uses here (unlike =) passes 99999999999999999999999 to the database, a server error."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        kind = meta.get_field(self.to_field_name or meta.pk.name).get_internal_type()
        if kind.endswith(("IntegerField", "AutoField")) and isinstance(value, (list, tuple)):
            low, high = connection.ops.integer_field_range(kind)
            low, high = (-(2**63) if low is None else low), (2**63 - 1 if high is None else high)
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # Django's own check refuses it
                if not low <= number <= high:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": pk})
        return super()._check_values(value)


def apply_errors(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: against its field when the form has it, else above the form.

    `aliases` maps a model field name to the form field that edits it, where they differ.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            field = (aliases or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _write_from_form(request, form: forms.Form, write, success, aliases=None, also=()):
    """The one 'valid POST, then service, then show its refusal' step: (True, result) when it saved."""
    if request.method != "POST":
        return False, None
    valid = all([f.is_valid() for f in (form, *also)])  # every form validated, so each shows its errors
    if not valid:
        return False, None
    try:
        result = write(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error, aliases)
        return False, None
    except StaleRecordError as error:
        form.add_error(None, str(error))
        return False, None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return True, result


def save_from_form(request, form: forms.Form, write, success, aliases: dict[str, str] | None = None) -> bool:
    """On a valid POST run `write(form.cleaned_data)` (a service call) and flash `success`; True when it saved.

    A service's ValidationError is shown on the form (see apply_errors), and a StaleRecordError (someone
    changed the record meanwhile) above it; nothing is saved then. Prefer `submit`, which also redirects.
    """
    return _write_from_form(request, form, write, success, aliases)[0]


def submit(request, form: forms.Form, write, *, success, then, aliases: dict[str, str] | None = None,
           also=()):
    """The form pattern of every page that changes something, in one place.

    On a valid POST (`form` and every form in `also`), run `write(form.cleaned_data)` (a service call),
    flash `success` (text, or a function of what `write` returned) and return a redirect to `then` (a URL,
    a model with get_absolute_url, or a function of what `write` returned giving either). A service's
    ValidationError is shown on the form against its fields, a StaleRecordError above it, and None is
    returned, as it is for a GET: the view then renders the form, with what was typed kept.

        form = NoteForm(request.POST or None)
        if done := submit(request, form, lambda data: services.note_add(actor=request.user, **data),
                          success="Note added", then=child.get_absolute_url()):
            return done
        return render(request, "casework/note_form.html", {"form": form})
    """
    saved, result = _write_from_form(request, form, write, success, aliases, also)
    if not saved:
        return None
    return redirect(then(result) if callable(then) else then)


class ConcurrencyMixin(forms.Form):
    """A hidden version number: an edit of a record changed by someone else meanwhile is refused.

    The view puts the record's version in the form (`initial={"version": record.version}`), the template
    renders it (`{% govuk_field form.version %}`) and the service passes it to `update_with_history` as
    `expected_version`, which checks it in the UPDATE's WHERE clause. Every edit view is listed in
    opencsc/core/tests/test_edit_forms.py, which proves a stale save is refused with the typed input kept.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2_147_483_647)


def posted_version(data) -> int | None:
    """The version a one-button form carried (`<input type="hidden" name="version">`), or None when it is
    missing or not a number (update_with_history then refuses the save as stale)."""
    try:
        value = int(data.get("version", ""))
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= 2_147_483_647 else None


# --- Django's own error messages, in the words of the GOV.UK Design System -----------------------------
# A form that sets its own message keeps it; a message Django wrote ("This field is required.", "Select a
# valid choice. C9 is not one of the available choices.") is said again, naming the field, the GOV.UK way.

def _default_message(field: forms.Field, code: str):
    for klass in type(field).__mro__:
        message = getattr(klass, "default_error_messages", {}).get(code)
        if message is not None:
            return message
    return None


_NO_ARTICLE = {"the", "a", "an", "your", "their", "his", "her", "its", "this", "these", "who", "what", "when",
               "where", "why", "how", "which", "whether", "any", "each", "every"}


def _thing(field: forms.Field) -> str:
    """The field's label as the object of "Enter ..." or "Select ...": "the legal status", "the NHS number"."""
    label = str(field.label or "this").strip().rstrip("?:").removesuffix(" (optional)")
    words = label.split()
    if words and not (len(words[0]) > 1 and words[0][1:2].isupper()):  # keep "NHS", "IRO" as they are
        label = label[:1].lower() + label[1:]
    return label if label.split()[0].lower() in _NO_ARTICLE else f"the {label}"


def _choosing(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple)


def _yes_or_no(field: forms.Field) -> bool:
    labels = {str(label).lower() for _, label in getattr(field, "choices", ()) if _ != ""}
    return labels == {"yes", "no"}


def plain_message(field: forms.Field, error: ValidationError) -> str | None:
    """Django's default message for `error` said plainly for `field`, or None when the form set its own."""
    code = getattr(error, "code", None)
    if code is None or field.error_messages.get(code) != _default_message(field, code):
        return None
    params = error.params or {}
    thing, name = _thing(field), str(field.label or "This").strip().rstrip("?:")
    limit = params.get("limit_value", params.get("max", ""))
    if code == "required" and str(field.label or "").strip().endswith("?"):
        return "Select yes or no" if _yes_or_no(field) else "Select an answer"
    plain = {
        "required": f"Select {thing}" if _choosing(field) else f"Enter {thing}",
        "invalid_choice": f"Select {thing} from the list",
        "invalid_list": f"Select {thing} from the list",
        "max_length": f"{name} must be {limit} characters or fewer",
        "min_length": f"{name} must be {limit} characters or more",
        "max_value": f"{name} must be {limit} or less",
        "min_value": f"{name} must be {limit} or more",
        "max_decimal_places": f"{name} must have no more than {limit} decimal place{'s' if limit != 1 else ''}",
        "max_digits": f"{name} must be {limit} digits or fewer",
        "max_whole_digits": f"{name} is too large",
        "step_size": f"{name} must be a multiple of {limit}",
    }
    if code == "invalid":
        if isinstance(field, forms.DecimalField | forms.FloatField):  # before IntegerField: their subclasses
            return f"{name} must be a number"
        if isinstance(field, forms.IntegerField):
            return f"{name} must be a whole number"
        if isinstance(field, forms.EmailField):
            return "Enter an email address in the correct format, like name@example.com"
        return None
    return plain.get(code)


def plain_errors(form: forms.Form) -> None:
    """Say Django's default error messages on a bound form plainly, once (the error summary and each field
    read the same words)."""
    if form is None or not form.is_bound or getattr(form, "_plain_errors_done", False):
        return
    form._plain_errors_done = True
    for name, errors in list(form.errors.items()):
        field = form.fields.get(name)
        if field is None:
            continue
        said = []
        for error in errors.as_data():
            message = plain_message(field, error)
            said.append(ValidationError(message, code=error.code) if message else error)
        form.errors[name] = form.error_class(said, renderer=form.renderer)
