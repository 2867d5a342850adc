"""Forms for making returns and filtering a validation report."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from opencsc.core.forms import GovukDateField

from .base import CollectionYear
from .models import ValidationIssue
from .services import latest_year

YEARS_OFFERED = 5


def year_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The collection year in progress (for checks during the year) and the four before it, newest first."""
    current = CollectionYear.containing(today or timezone.localdate()).ending
    choices = []
    for ending in range(current, current - YEARS_OFFERED, -1):
        year = CollectionYear(ending)
        label = f"{year.label} (1 April {ending - 1} to 31 March {ending})"
        if ending == current:
            label += ", in progress"
        choices.append((str(ending), label))
    return choices


class YearForm(forms.Form):
    year = forms.ChoiceField(label="Collection year", choices=(), error_messages={
        "required": "Select a collection year", "invalid_choice": "Select a collection year from the list"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = str(latest_year())


class PeriodForm(forms.Form):
    start = GovukDateField(label="Start of the period", past_only=True, required=False,
                           help_text="For example, 1 12 2025. Leave both dates empty for the 12 months to today.")
    end = GovukDateField(label="End of the period", past_only=True, required=False,
                         help_text="For example, 30 11 2026")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors:
            missing = "end" if end is None else "start"
            self.add_error(missing, f"Enter the {'end' if missing == 'end' else 'start'} of the period, "
                                    "or leave both dates empty")
        if start and end and start > end:
            self.add_error("end", "The end of the period must be on or after its start")
        return data


def form_for(kind, data=None):
    form_class = YearForm if kind.by_year else PeriodForm
    return form_class(data, prefix=kind.key)


class IssueFilterForm(forms.Form):
    rule = forms.ChoiceField(label="Rule", required=False, choices=())
    severity = forms.ChoiceField(label="Severity", required=False,
                                 choices=[("", "Errors and queries"), *ValidationIssue.Severity.choices])
    team = forms.ChoiceField(label="Team", required=False, choices=())

    def __init__(self, *args, rules, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "All rules"), *[(r, r) for r in rules]]
        self.fields["team"].choices = [("", "All teams"), ("none", "No team"), *[(str(pk), name) for pk, name in teams]]
        self.team_ids = {pk for pk, _name in teams}
