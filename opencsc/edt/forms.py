"""Forms: field parsing only. The rules are in services.py."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from opencsc.accounts.models import Team
from opencsc.core.forms import GovukDateField


class EntryForm(forms.Form):
    occurred_on = GovukDateField(label="Date it happened", help_text="For example, 27 3 2026",
                                 error_messages={"required": "Enter the date it happened"})
    occurred_time = forms.TimeField(label="Time it happened", help_text="Use the 24-hour clock, for example 23:15",
                                    input_formats=["%H:%M", "%H.%M", "%H%M"],
                                    widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
                                    error_messages={"required": "Enter the time it happened",
                                                    "invalid": "Enter the time as hours and minutes, like 23:15"})
    what_happened = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}),
                                    error_messages={"required": "Enter what happened"})
    action_taken = forms.CharField(label="Action taken", widget=forms.Textarea(attrs={"rows": 4}),
                                   error_messages={"required": "Enter the action taken"})
    decision = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Enter the decision made"})
    police_protection = forms.BooleanField(label="Police protection was used", required=False)
    placement_made = forms.BooleanField(label="An emergency placement was made", required=False)
    placement_details = forms.CharField(label="Where the child was placed", required=False, max_length=250,
                                        help_text="Only if an emergency placement was made")
    follow_up = forms.CharField(label="What the day team needs to do", widget=forms.Textarea(attrs={"rows": 4}),
                                error_messages={"required": "Enter what the day team needs to do"})

    def entry_values(self) -> dict:
        data = dict(self.cleaned_data)
        day, time = data.pop("occurred_on"), data.pop("occurred_time")
        data["occurred_at"] = timezone.make_aware(dt.datetime.combine(day, time))
        return data


class HandoverFilterForm(forms.Form):
    show = forms.ChoiceField(label="Show", required=False, initial="open",
                             choices=[("open", "Not yet acknowledged"), ("all", "All handovers")])
    team = forms.ModelChoiceField(label="Day team", required=False, empty_label="All teams",
                                  queryset=Team.objects.filter(is_active=True).exclude(kind__in=["edt", "partner"]))
    q = forms.CharField(label="Child's name", required=False, max_length=100)
