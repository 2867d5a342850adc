"""Forms: field parsing only. The rules are in services.py."""

from __future__ import annotations

from django import forms

from opencsc.assessment.forms import PlanActionForm  # noqa: F401  (the same SMART action block as CIN plans)
from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from .models import SCORE_MAX, SCORE_MIN, EarlyHelpEpisode, OutcomeArea, StepRequest

SCORE_CHOICES = [("", "Not scored"), *[(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]]


def _text(label, rows=4, required=False, message="", help_text=""):
    kwargs = {"error_messages": {"required": message}} if message else {}
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}),
                           help_text=help_text, **kwargs)


class ScoresMixin(forms.Form):
    """One 1-10 score per outcome area (fields score_<area>)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area in OutcomeArea:
            self.fields[f"score_{area.value}"] = forms.TypedChoiceField(
                label=area.label, choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False)

    def score_fields(self):
        return [self[f"score_{area.value}"] for area in OutcomeArea]

    def scores(self) -> dict[str, int]:
        return {area.value: self.cleaned_data[f"score_{area.value}"] for area in OutcomeArea
                if self.cleaned_data.get(f"score_{area.value}") is not None}

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("score_") and k != "version"}


class EpisodeStartForm(forms.Form):
    start_date = GovukDateField(label="Start date", help_text="For example, 27 3 2026",
                                error_messages={"required": "Enter the start date"})
    source = forms.ChoiceField(label="How the family came to early help", choices=EarlyHelpEpisode.Source.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select how the family came to early help"})
    reason = _text("Why the family needs early help", 5, True, "Enter why the family needs early help")


class AssessmentForm(ConcurrencyMixin, ScoresMixin, forms.Form):
    start_date = GovukDateField(label="Assessment start date",
                                error_messages={"required": "Enter the assessment start date"})
    history = _text("The child's history", 6)
    wishes_and_feelings = _text("The child's wishes and feelings", 5, help_text="In the child's own words where possible")
    family_views = _text("The family's views")
    strengths = _text("Strengths")
    needs = _text("What needs to change")
    completed_date = GovukDateField(label="Date the assessment was completed", required=False,
                                    help_text="Leave blank to save it as a draft. When completing it, score every area")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False


class MemberForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150, error_messages={"required": "Enter their name"})
    agency = forms.CharField(label="Agency", max_length=100, help_text="For example, school, health visiting, housing",
                             error_messages={"required": "Enter their agency"})
    role = forms.CharField(label="Role", max_length=100, error_messages={"required": "Enter their role"})
    joined_on = GovukDateField(label="Date they joined", error_messages={"required": "Enter the date they joined"})
    is_lead = forms.BooleanField(label="They are the lead professional", required=False)


class PlanForm(forms.Form):
    start_date = GovukDateField(label="Plan start date", error_messages={"required": "Enter the plan's start date"})
    summary = _text("What needs to change for the child", 4, True, "Enter what needs to change for the child")
    contingency = _text("What happens if things do not improve", 3)
    child_friendly_summary = _text("The plan in words the child understands", 3)
    review_due = GovukDateField(label="First review due", required=False)


class ReviewForm(ScoresMixin, forms.Form):
    held_on = GovukDateField(label="Review date", error_messages={"required": "Enter the review date"})
    progress = _text("What has changed", 5, True, "Enter what has changed")
    childs_views = _text("The child's views", 3)
    next_review_due = GovukDateField(label="Next review due", required=False)


class CloseForm(ConcurrencyMixin, forms.Form):
    closure_date = GovukDateField(label="Closure date", error_messages={"required": "Enter the closure date"})
    closure_reason = forms.ChoiceField(label="Reason for closing", choices=EarlyHelpEpisode.ClosureReason.choices,
                                       widget=forms.RadioSelect,
                                       error_messages={"required": "Select the reason for closing"})
    closure_summary = _text("What changed for the child", 4)


class StepUpForm(forms.Form):
    requested_on = GovukDateField(label="Date of the request",
                                  error_messages={"required": "Enter the date of the request"})
    reason = _text("Why the child needs children's social care", 5, True,
                   "Enter why the child needs children's social care")


class DecisionForm(forms.Form):
    panel_date = GovukDateField(label="Panel date", error_messages={"required": "Enter the panel date"})
    panel_decision = forms.ChoiceField(label="The panel's decision", choices=StepRequest.Decision.choices,
                                       widget=forms.RadioSelect,
                                       error_messages={"required": "Select the panel's decision"})
    panel_notes = _text("The panel's reasons", 4)


class StepUpDecisionForm(ConcurrencyMixin, DecisionForm):
    """The panel's decision on a waiting step-up: an edit of the step request, so it carries its version."""


class OutcomeForm(ConcurrencyMixin, forms.Form):
    outcome = forms.ChoiceField(label="Was the family taken on?", choices=StepRequest.Outcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select whether the family was taken on"})
    outcome_date = GovukDateField(label="Date of the outcome", error_messages={"required": "Enter the date of the outcome"})
    outcome_notes = _text("Notes", 3, help_text="Say why, if the family was not taken on")


class ListFilterForm(forms.Form):
    q = forms.CharField(label="Family or child's name", required=False, max_length=100)
