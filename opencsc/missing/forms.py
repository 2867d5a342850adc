"""Forms for the missing pages: field parsing only; the rules are in services.py.

Moments are a three-box date and a time (the police protection pattern), joined into an aware
datetime in the authority's time zone.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from opencsc.core.forms import GovukDateField
from opencsc.protection.forms import AttendeeFormSet, TimeField, attendance_rows  # noqa: F401  (shared rows)

from .models import MissingEpisode, ReturnInterview, RiskLevel


def aware(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None or time is None:
        return None
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


class _MomentsMixin:
    """Joins `<name>_on` and `<name>_time` into `<name>_at`; a date without a time (or the reverse) is an error."""

    MOMENTS: tuple[tuple[str, str], ...] = ()  # (name, what, as in "Enter the time {what}")

    def clean(self):
        data = super().clean()
        for name, what in self.MOMENTS:
            day, time = data.get(f"{name}_on"), data.get(f"{name}_time")
            if day and not time and f"{name}_time" not in self.errors:
                self.add_error(f"{name}_time", f"Enter the time {what}")
            if time and not day and f"{name}_on" not in self.errors:
                self.add_error(f"{name}_on", f"Enter the date {what}")
            data[f"{name}_at"] = aware(day, time)
        return data


def aliases(*names: str) -> dict[str, str]:
    """Show a service's error about `<name>_at` against the form's date box."""
    return {f"{name}_at": f"{name}_on" for name in names}


class EpisodeForm(_MomentsMixin, forms.Form):
    MOMENTS = (("started", "the child went missing"), ("ended", "the child returned"))

    kind = forms.ChoiceField(label="Was the child missing or away from placement?", choices=MissingEpisode.Kind.choices,
                             widget=forms.RadioSelect, initial=MissingEpisode.Kind.MISSING,
                             error_messages={"required": "Select whether the child was missing or away"})
    missing_from = forms.ChoiceField(label="Missing from", choices=MissingEpisode.MissingFrom.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Select where the child went missing from"})
    started_on = GovukDateField(label="Date the child went missing", past_only=True)
    started_time = TimeField(label="Time the child went missing", help_text="For example, 21:30",
                             error_messages={"required": "Enter the time the child went missing"})
    reported_to_police = forms.BooleanField(label="Reported to the police", required=False)
    police_reference = forms.CharField(label="Police reference", max_length=50, required=False)
    risks = forms.CharField(label="Risks while missing", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                            help_text="Who they may be with, where they may go, exploitation concerns")
    ended_on = GovukDateField(label="Date the child returned (if they have)", past_only=True, required=False)
    ended_time = TimeField(label="Time the child returned", required=False, help_text="For example, 07:15")
    where_found = forms.CharField(label="Where the child was found or returned to", max_length=200, required=False)


class ReturnForm(_MomentsMixin, forms.Form):
    MOMENTS = (("ended", "the child returned"),)

    version = forms.IntegerField(widget=forms.HiddenInput)
    ended_on = GovukDateField(label="Date the child returned or was found", past_only=True)
    ended_time = TimeField(label="Time the child returned", help_text="For example, 07:15",
                           error_messages={"required": "Enter the time the child returned"})
    where_found = forms.CharField(label="Where the child was found or returned to", max_length=200,
                                  error_messages={"required": "Enter where the child was found or returned to"})


class InterviewForm(_MomentsMixin, forms.Form):
    MOMENTS = (("offered", "the interview was offered"), ("completed", "the interview took place"))

    offered_on = GovukDateField(label="Date the interview was offered", past_only=True)
    offered_time = TimeField(label="Time it was offered", help_text="For example, 10:00",
                             error_messages={"required": "Enter the time the interview was offered"})
    response = forms.ChoiceField(label="The child's response", choices=ReturnInterview.Response.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select whether the child accepted the interview"})
    completed_on = GovukDateField(label="Date the interview took place", past_only=True, required=False)
    completed_time = TimeField(label="Time it took place", required=False, help_text="For example, 16:00")
    interviewer = forms.CharField(label="Who carried it out", max_length=150, required=False)
    findings = forms.CharField(label="What the child said and what happens next",
                               widget=forms.Textarea(attrs={"rows": 5}), required=False)


RISKS = [("", "Select a level")] + list(RiskLevel.choices)


class AssessmentForm(forms.Form):
    assessed_on = GovukDateField(label="Date of the assessment", past_only=True)
    sexual_risk = forms.ChoiceField(label="Risk of sexual exploitation", choices=RISKS,
                                    error_messages={"required": "Select the risk of sexual exploitation"})
    criminal_risk = forms.ChoiceField(label="Risk of criminal exploitation", choices=RISKS,
                                      help_text="Including county lines",
                                      error_messages={"required": "Select the risk of criminal exploitation"})
    indicators = forms.CharField(label="What shows the risk", widget=forms.Textarea(attrs={"rows": 5}),
                                 required=False)
    review_on = GovukDateField(label="Review date")


class MeetingForm(forms.Form):
    held_on = GovukDateField(label="Date of the meeting", past_only=True)
    chair = forms.CharField(label="Who chaired it", max_length=150, required=False)
    decisions = forms.CharField(label="Decisions", widget=forms.Textarea(attrs={"rows": 6}),
                                error_messages={"required": "Enter the decisions of the meeting"})


class ReportForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter", required=False)

    def __init__(self, *args, quarters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q.key, q.label) for q in quarters]
