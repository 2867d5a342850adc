"""Forms: field parsing only. The rules are in services.py."""

from __future__ import annotations

from django import forms

from opencsc.codes import ASSESSMENT_FACTORS, PRIMARY_NEED, REASON_FOR_CLOSURE, REFERRAL_SOURCE
from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from .models import Assessment


def _blank(choices, prompt):
    return [("", prompt), *choices]


class ReferralForm(forms.Form):
    referral_date = GovukDateField(label="Referral date", help_text="For example, 27 3 2026",
                                   error_messages={"required": "Enter the referral date"})
    referral_source = forms.ChoiceField(
        label="Who made the referral", choices=_blank(REFERRAL_SOURCE.choices, "Select the source"),
        error_messages={"required": "Select who made the referral"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need", choices=PRIMARY_NEED.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the child's primary need"},
    )
    referral_details = forms.CharField(label="Reason for the referral", widget=forms.Textarea(attrs={"rows": 5}),
                                       required=False)
    referral_nfa = forms.BooleanField(label="No further action on the referral (close the episode today)",
                                      required=False)


class AssessmentForm(forms.Form):
    start_date = GovukDateField(label="Assessment start date", error_messages={"required":
                                                                               "Enter the assessment start date"})
    child_seen_date = GovukDateField(label="Date the child was seen", required=False,
                                     help_text="Leave blank if the child has not been seen yet")
    child_seen_alone_date = GovukDateField(label="Date the child was seen alone", required=False)
    childs_views = forms.CharField(label="The child's views and wishes", required=False,
                                   widget=forms.Textarea(attrs={"rows": 5}),
                                   help_text="In the child's own words where possible")
    lived_experience = forms.CharField(label="The child's lived experience", required=False,
                                       widget=forms.Textarea(attrs={"rows": 5}),
                                       help_text="What a day in the child's life is like")
    analysis = forms.CharField(label="Analysis", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    factors = forms.MultipleChoiceField(label="Assessment factors", choices=ASSESSMENT_FACTORS.choices,
                                        required=False, widget=forms.CheckboxSelectMultiple)


class AssessmentEditForm(ConcurrencyMixin, AssessmentForm):
    pass


class AuthoriseForm(ConcurrencyMixin, forms.Form):
    authorised_on = GovukDateField(label="Authorisation date", error_messages={"required":
                                                                              "Enter the authorisation date"})
    outcome = forms.ChoiceField(label="Outcome of the assessment", choices=Assessment.Outcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select the outcome of the assessment"})
    reason_late = forms.CharField(
        label="Why the assessment took longer than 45 working days", required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only needed if it is authorised more than 45 working days after the referral",
    )


class SubmitForm(ConcurrencyMixin, forms.Form):
    """Submit for authorisation: one button (the version is checked)."""


class ReturnForm(ConcurrencyMixin, forms.Form):
    reason = forms.CharField(label="Why are you returning the assessment?", widget=forms.Textarea(attrs={"rows": 5}),
                             help_text="Say what the social worker needs to add or change",
                             error_messages={"required": "Enter why you are returning the assessment"})


class CINPlanForm(forms.Form):
    start_date = GovukDateField(label="Plan start date", error_messages={"required":
                                                                        "Enter the date the plan started"})
    summary = forms.CharField(label="What needs to change for the child", widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "Enter what needs to change for the child"})
    contingency = forms.CharField(label="Contingency plan", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    child_friendly_summary = forms.CharField(label="The plan in words the child understands", required=False,
                                             widget=forms.Textarea(attrs={"rows": 3}))
    review_due = GovukDateField(label="First review due", required=False)


ACTION_MESSAGES = {
    "what_must_change": "Enter what must change for the child",
    "action": "Enter what will be done",
    "responsible": "Enter who will do this",
    "due_date": "Enter the date this will be done by",
    "measure": "Enter how you will know it has worked",
}


class PlanActionForm(forms.Form):
    """One SMART action. Blank actions are skipped; the first one is required."""

    what_must_change = forms.CharField(label="What must change", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(label="What will be done", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label="Who will do it", required=False, max_length=200)
    responsible_agency = forms.CharField(label="Their agency (optional)", required=False, max_length=100)
    due_date = GovukDateField(label="By when", required=False)
    measure = forms.CharField(label="How we will know it has worked", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, first: bool = False, **kwargs):
        self.first = first
        super().__init__(*args, **kwargs)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in self.fields)

    def clean(self):
        data = super().clean()
        if self.is_blank():
            if self.first:
                self.add_error("what_must_change", "Add at least one action to the plan")
            return data
        for name, message in ACTION_MESSAGES.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data


class CloseForm(ConcurrencyMixin, forms.Form):
    closure_date = GovukDateField(label="Closure date", error_messages={"required": "Enter the closure date"})
    reason_for_closure = forms.ChoiceField(label="Reason for closure", choices=REASON_FOR_CLOSURE.choices,
                                           widget=forms.RadioSelect,
                                           error_messages={"required": "Select the reason for closure"})
