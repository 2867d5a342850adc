"""Forms for the child protection pages: field parsing only; the rules are in services.py."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from opencsc.casework.models import MeetingAttendance
from opencsc.codes import CATEGORY_OF_ABUSE
from opencsc.core.forms import GovukDateField

from .models import Conference, CPPlan, PoliceProtection, Section47, StrategyDiscussion

AGENCIES = [
    ("", "Select an agency"),
    ("Children's social care", "Children's social care"),
    ("Police", "Police"),
    ("Health", "Health"),
    ("Education", "Education"),
    ("Probation", "Probation"),
    ("Housing", "Housing"),
    ("Early help", "Early help"),
    ("Other", "Other"),
]
CATEGORIES = [("", "Select a category")] + list(CATEGORY_OF_ABUSE.choices)
ATTENDEE_ROWS = 6
ACTION_ROWS = 3


class AttendeeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150, required=False)
    agency = forms.ChoiceField(label="Agency", choices=AGENCIES, required=False)
    role = forms.CharField(label="Role", max_length=100, required=False)
    status = forms.ChoiceField(label="Attendance", choices=MeetingAttendance.Status.choices, required=False,
                               initial=MeetingAttendance.Status.ATTENDED)

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("name") or "").strip() and not data.get("agency"):
            return None
        return {"name": data.get("name", ""), "agency": data.get("agency", ""), "role": data.get("role", ""),
                "status": data.get("status") or MeetingAttendance.Status.ATTENDED}


AttendeeFormSet = forms.formset_factory(AttendeeForm, extra=ATTENDEE_ROWS, max_num=30)


def attendance_rows(formset) -> list[dict]:
    return [row for row in (f.row() for f in formset.forms) if row]


class StrategyDiscussionForm(forms.Form):
    held_on = GovukDateField(label="Date of the strategy discussion", past_only=True)
    chair = forms.CharField(label="Who chaired it", max_length=150, required=False)
    information_shared = forms.CharField(label="Information shared", widget=forms.Textarea(attrs={"rows": 6}),
                                         error_messages={"required": "Enter the information shared"})
    decision = forms.ChoiceField(label="Decision", choices=StrategyDiscussion.Decision.choices,
                                 widget=forms.RadioSelect, error_messages={"required": "Select the decision"})
    decision_reason = forms.CharField(label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 3}),
                                      required=False)


class Section47OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome of the enquiry", choices=Section47.Outcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select the outcome of the enquiry"})
    completed_on = GovukDateField(label="Date the enquiry was completed", past_only=True)
    outcome_summary = forms.CharField(label="Findings", widget=forms.Textarea(attrs={"rows": 5}), required=False)


class ConferenceForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of conference", choices=Conference.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the kind of conference"})
    section47 = forms.ChoiceField(label="Section 47 enquiry it follows (initial conferences)", required=False)
    transfer_notified_on = GovukDateField(
        label="Date the transferring authority's notification was received (transfer-in conferences)",
        required=False,
    )
    held_on = GovukDateField(label="Date of the conference", past_only=True)
    chair = forms.CharField(label="Chair", max_length=150, required=False)
    child_attended = forms.BooleanField(label="The child attended", required=False)
    child_contributed = forms.BooleanField(label="The child's views were shared", required=False)
    decision = forms.ChoiceField(label="Decision", choices=Conference.Decision.choices, widget=forms.RadioSelect,
                                 error_messages={"required": "Select the conference's decision"})
    category = forms.ChoiceField(label="Category of abuse", choices=CATEGORIES, required=False,
                                 help_text="For a review, the latest category")
    end_reason = forms.ChoiceField(label="Why the plan ends (reviews deciding the plan ends)",
                                   choices=[("", "Select a reason")] + list(CPPlan.EndReason.choices),
                                   required=False)
    summary = forms.CharField(label="Summary of the conference", widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)

    def __init__(self, *args, enquiries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.enquiries = {str(e.pk): e for e in enquiries}
        self.fields["section47"].choices = [("", "Select an enquiry")] + [
            (str(e.pk), f"Started {e.start_date:%d %b %Y}") for e in enquiries
        ]

    def clean_section47(self):
        return self.enquiries.get(self.cleaned_data.get("section47") or "")


class ActionForm(forms.Form):
    what_must_change = forms.CharField(label="What must change for the child", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(label="What will be done", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label="Who will do it", max_length=200, required=False)
    responsible_agency = forms.ChoiceField(label="Their agency", choices=AGENCIES, required=False)
    due_date = GovukDateField(label="By when", required=False)
    measure = forms.CharField(label="How we will know it has worked", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS = ("what_must_change", "action", "responsible", "responsible_agency", "due_date", "measure")

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not any(data.get(name) for name in self.FIELDS):
            return None
        return {name: data.get(name) if name == "due_date" else (data.get(name) or "") for name in self.FIELDS}


ActionFormSet = forms.formset_factory(ActionForm, extra=ACTION_ROWS, max_num=20)


def action_rows(formset) -> list[dict]:
    return [row for row in (f.row() for f in formset.forms) if row]


class CPPlanStartForm(forms.Form):
    initial_category = forms.ChoiceField(label="Initial category of abuse", choices=CATEGORIES, required=False)
    summary = forms.CharField(label="What needs to change for the child", widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)
    contingency = forms.CharField(label="Contingency plan", widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": "Enter the contingency plan"},
                                  help_text="What will happen if the plan does not keep the child safe")
    child_friendly_summary = forms.CharField(label="The plan in words the child understands",
                                             widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CPPlanEndForm(forms.Form):
    end_date = GovukDateField(label="Date the plan ended", past_only=True)
    end_reason = forms.ChoiceField(label="Why the plan ended", choices=CPPlan.EndReason.choices,
                                   widget=forms.RadioSelect, error_messages={"required": "Select why the plan ended"})


class TimeField(forms.Field):
    """A time of day such as 14:30."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        value = (value or "").strip().replace(".", ":")
        if not value:
            return None
        hours, _, minutes = value.partition(":")
        try:
            return dt.time(int(hours), int(minutes or 0))
        except (ValueError, OverflowError):  # an hour of 99999999999999999999999 is not a real time either
            raise forms.ValidationError(f"{self.label} must be a real time, like 14:30") from None


def _aware(day, time):
    if day is None or time is None:
        return None
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


class PoliceProtectionForm(forms.Form):
    started_on = GovukDateField(label="Date the child was taken into police protection", past_only=True)
    started_time = TimeField(label="Time", help_text="For example, 14:30",
                             error_messages={"required": "Enter the time the child was taken into police protection"})
    police_reference = forms.CharField(label="Police reference", max_length=50, required=False)
    circumstances = forms.CharField(label="Circumstances", widget=forms.Textarea(attrs={"rows": 5}),
                                    error_messages={"required": "Enter the circumstances"})
    ended_on = GovukDateField(label="Date police protection ended", past_only=True, required=False)
    ended_time = TimeField(label="Time it ended", required=False, help_text="For example, 09:15")
    ended_how = forms.ChoiceField(label="How it ended", required=False,
                                  choices=[("", "Select how it ended")] + list(PoliceProtection.EndedHow.choices))

    def clean(self):
        data = super().clean()
        if data.get("ended_on") and not data.get("ended_time") and "ended_time" not in self.errors:
            self.add_error("ended_time", "Enter the time police protection ended")
        if data.get("ended_time") and not data.get("ended_on") and "ended_on" not in self.errors:
            self.add_error("ended_on", "Enter the date police protection ended")
        data["started_at"] = _aware(data.get("started_on"), data.get("started_time"))
        data["ended_at"] = _aware(data.get("ended_on"), data.get("ended_time"))
        return data


class EPOForm(forms.Form):
    made_on = GovukDateField(label="Date the order was made", past_only=True)
    expires_on = GovukDateField(label="Date the order expires", help_text="At most 8 days after it was made")
    court = forms.CharField(label="Court", max_length=150, required=False)
    circumstances = forms.CharField(label="Circumstances", widget=forms.Textarea(attrs={"rows": 5}),
                                    error_messages={"required": "Enter the circumstances"})
    extended_to = GovukDateField(label="Extended to", required=False,
                                 help_text="If the court extended the order (once, by up to 7 days)")
    ended_on = GovukDateField(label="Date the order ended", required=False,
                              help_text="If it was discharged or has expired")
