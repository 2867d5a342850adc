"""Forms for inspections and action plans: they parse input; the services decide."""

from __future__ import annotations

import re

from django import forms

from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from . import indicators
from .models import Action, Inspection, Judgement

JUDGEMENT_OR_NONE = [("", "No judgement")] + list(Judgement.choices)


def _judgement(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=JUDGEMENT_OR_NONE, required=False)


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of inspection", choices=Inspection.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the kind of inspection"})
    started_on = GovukDateField(label="First day of the inspection", past_only=True)
    ended_on = GovukDateField(label="Last day of the inspection", past_only=True)
    report_received_on = GovukDateField(
        label="Date the final report was received", required=False, past_only=True,
        help_text="The 70 working days for the action plan start from this date.")
    published_on = GovukDateField(label="Date the report was published", required=False, past_only=True)
    overall_judgement = _judgement("Overall effectiveness")
    leaders_judgement = _judgement("The impact of leaders on social work practice with children and families")
    help_and_protection_judgement = _judgement(
        "The experiences and progress of children who need help and protection")
    children_in_care_judgement = _judgement("The experiences and progress of children in care")
    care_leavers_judgement = _judgement("The experiences and progress of care leavers")
    report_url = forms.URLField(label="Link to the report", required=False, max_length=500, assume_scheme="https",
                                error_messages={"invalid": "Enter a web address, like https://reports.ofsted.gov.uk/…"})


class InspectionEditForm(ConcurrencyMixin, InspectionForm):
    plan_submitted_on = GovukDateField(
        label="Date the action plan was sent to Ofsted", required=False, past_only=True,
        help_text="This stops the 70-working-day clock.")


class PasteAreasForm(forms.Form):
    text = forms.CharField(
        label="Paste the list from the report", widget=forms.Textarea(attrs={"rows": 12}),
        help_text="One area for each line, bullet or number. Lines wrapped in the report are joined to the "
                  "area above. You will see the list before it is saved.",
        error_messages={"required": "Paste at least one area for improvement"})
    is_priority_action = forms.BooleanField(label="These are areas for priority action", required=False)


class AreaForm(ConcurrencyMixin):
    text = forms.CharField(label="Area for improvement, as in the report", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "Enter the area for improvement"})
    is_priority_action = forms.BooleanField(label="Area for priority action", required=False)
    order = forms.IntegerField(label="Number in the plan", min_value=1,
                               error_messages={"required": "Enter a number, 1 or more",
                                               "min_value": "Enter a number, 1 or more",
                                               "invalid": "Enter a number, 1 or more"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = indicators.known_indicators()
        if known:
            self.fields["indicator_keys"] = forms.MultipleChoiceField(
                label="Performance indicators that show progress", required=False,
                choices=sorted(known.items(), key=lambda kv: kv[1].lower()), widget=forms.CheckboxSelectMultiple)
        else:
            self.fields["indicator_keys"] = forms.CharField(
                label="Performance indicators that show progress", required=False,
                help_text="Indicator keys separated by commas, for example assessments_45wd, cp_visits_in_time")
            if isinstance(self.initial.get("indicator_keys"), list):
                self.initial["indicator_keys"] = ", ".join(self.initial["indicator_keys"])

    def clean_indicator_keys(self):
        value = self.cleaned_data.get("indicator_keys") or []
        if isinstance(value, str):
            value = [k for k in re.split(r"[\s,;]+", value) if k]
        return list(value)


class ActionForm(forms.Form):
    description = forms.CharField(label="What will be done", widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Enter what will be done"})
    owner = forms.ModelChoiceField(label="Owner", queryset=None, empty_label="Select the owner",
                                   error_messages={"required": "Select who owns the action",
                                                   "invalid_choice": "Select who owns the action"})
    due_on = GovukDateField(label="Due date")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username


class ActionEditForm(ConcurrencyMixin, ActionForm):
    pass


class ProgressForm(ConcurrencyMixin):
    note = forms.CharField(label="Progress since the last update", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "Enter what has happened since the last update"})
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select the status"})
    evidence_of_impact = forms.CharField(
        label="Evidence of impact", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What difference has this made to children? Name the figures or audits that show it.")
    completed_on = GovukDateField(label="Date done", required=False, past_only=True,
                                  help_text="Only when the action is done.")
