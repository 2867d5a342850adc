"""Forms for the care leaver pages: field parsing only; the rules are in services.py."""

from __future__ import annotations

from django import forms

from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from .codes import ACCOMMODATION, ACTIVITY, IN_TOUCH
from .models import Category, Contact

TEXT = {"rows": 5}


class CodeField(forms.ChoiceField):
    """A choice of DfE codes, checked by the service (which says clearly what is wrong)."""

    def valid_value(self, value):
        return True


class EligibilityForm(forms.Form):
    category = forms.ChoiceField(label="Leaving care category", choices=Category.choices, widget=forms.RadioSelect,
                                 error_messages={"required": "Select the young person's leaving care category"})
    decided_on = GovukDateField(label="Date of the decision")
    reason = forms.CharField(label="Reasons for the decision", required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))


class AdviserForm(forms.Form):
    adviser = forms.ModelChoiceField(label="Personal adviser", queryset=None, empty_label="Select a personal adviser",
                                     error_messages={"required": "Select a personal adviser",
                                                     "invalid_choice": "Select a personal adviser"})
    start_date = GovukDateField(label="Allocation date")

    def __init__(self, *args, advisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers


class PathwayPlanForm(forms.Form):
    start_date = GovukDateField(label="Date of the plan")
    needs_assessed_on = GovukDateField(label="Date the needs assessment was completed", required=False)
    young_persons_views = forms.CharField(label="The young person's views", widget=forms.Textarea(attrs=TEXT),
                                          error_messages={"required": "Enter the young person's views"})
    needs = forms.CharField(
        label="Needs and how they will be met",
        help_text="Health, education, employment or training, accommodation, money, relationships and identity",
        widget=forms.Textarea(attrs=TEXT),
        error_messages={"required": "Enter the young person's needs and how they will be met"},
    )
    contingency = forms.CharField(label="Contingency plan", widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": "Enter the contingency plan"})


class ReviewForm(forms.Form):
    reviewed_on = GovukDateField(label="Date of the review")
    young_persons_views = forms.CharField(label="The young person's views", widget=forms.Textarea(attrs=TEXT),
                                          error_messages={"required": "Enter the young person's views"})
    changes = forms.CharField(label="What has changed, and what happens next", widget=forms.Textarea(attrs=TEXT),
                              error_messages={"required": "Enter what has changed, and what happens next"})


class ContactForm(forms.Form):
    contact_date = GovukDateField(label="Date of contact")
    in_touch = CodeField(label="Is the young person in touch?", choices=IN_TOUCH.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select whether the young person is in touch"})
    method = CodeField(label="How was the contact made?", choices=Contact.Method.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select how the contact was made"})
    activity = CodeField(label="Main activity", choices=[("", "Select the main activity"), *ACTIVITY.choices],
                                 error_messages={"required": "Select the young person's main activity"})
    accommodation = CodeField(
        label="Accommodation, and whether it is suitable",
        choices=[("", "Select the accommodation"), *ACCOMMODATION.choices],
        error_messages={"required": "Select the young person's accommodation"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class SupportForm(ConcurrencyMixin):
    support_to_25 = forms.BooleanField(label="The young person has asked for support up to 25", required=False)
    in_education = forms.BooleanField(label="The young person is in education or training", required=False)
    staying_put_start = GovukDateField(label="Date the staying put arrangement started", required=False)
    staying_put_end = GovukDateField(label="Date the staying put arrangement ended", required=False)
    staying_put_carer = forms.CharField(label="Former foster carer", max_length=200, required=False)
    bursary_awarded_on = GovukDateField(label="Date the higher education bursary was awarded", required=False)
    support_ended_on = GovukDateField(label="Date leaving care support ended", required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label="Name or LA child ID", required=False, max_length=100)
    group = forms.ChoiceField(label="Age group", required=False,
                              choices=[("", "All ages"), ("17-18", "17 to 18"), ("19-21", "19 to 21"),
                                       ("22-25", "22 to 25")])
    measure = forms.ChoiceField(label="Show", required=False, choices=[("", "All care leavers")])

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "All care leavers"), *((k, v[0]) for k, v in measures.items())]
