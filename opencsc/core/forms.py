"""Form building blocks in the GOV.UK Design System patterns.

`GovukDateField` is the three-box date input with the Design System's error
messages; every form in OpenCSC renders through `{% govuk_field %}`.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


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
        except ValueError:
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


def save_from_form(request, form: forms.Form, write, success: str, aliases: dict[str, str] | None = None) -> bool:
    """On a valid POST run `write(form.cleaned_data)` (a service call) and flash `success`; True when it saved.

    A service's ValidationError is shown on the form (see apply_errors), and a StaleRecordError (someone
    changed the record meanwhile) above it; nothing is saved then.
    """
    from django.contrib import messages

    from opencsc.core.audit import StaleRecordError

    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error, aliases)
        return False
    except StaleRecordError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, success)
    return True


class ConcurrencyMixin(forms.Form):
    """A hidden version number: an edit of a record changed by someone else meanwhile is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)
