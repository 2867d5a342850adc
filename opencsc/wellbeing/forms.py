"""Forms: field parsing only. The rules are in services.py."""

from __future__ import annotations

from django import forms

from opencsc.codes.lists import SDQ_REASON
from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from . import rules
from .models import PEP, SDQ, Complaint, ContactArrangement, Exclusion, HealthAssessment, Term

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(label: str, *, required: bool = True, message: str = "", help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda v: v == "yes", empty_value=None, required=required,
        widget=forms.RadioSelect, help_text=help_text,
        error_messages={"required": message or f"Select whether {label[0].lower()}{label[1:]}"},
    )


def _text(label: str, *, required: bool = False, rows: int = 3, message: str = "", **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": message} if message else {}, **kwargs)


class HealthAssessmentForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of assessment", choices=HealthAssessment.Kind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select whether it was an initial or review health "
                                                         "assessment"})
    assessment_date = GovukDateField(label="Date of the assessment", help_text="For example, 27 3 2026",
                                     error_messages={"required": "Enter the date of the assessment"})
    assessed_by = forms.CharField(label="Who carried it out", max_length=150,
                                  help_text="Name and role, for example Dr A Patel, looked-after children's doctor",
                                  error_messages={"required": "Enter who carried out the assessment"})
    outcome = _text("Outcome and recommendations", required=True, rows=5,
                    message="Enter the outcome and recommendations")


class DentalCheckForm(forms.Form):
    check_date = GovukDateField(label="Date of the dental check",
                                error_messages={"required": "Enter the date of the dental check"})
    dentist = forms.CharField(label="Dentist or practice (optional)", max_length=150, required=False)
    notes = _text("Treatment needed or advice (optional)")


class HealthStatusForm(forms.Form):
    recorded_on = GovukDateField(label="Date these facts were checked",
                                 error_messages={"required": "Enter the date these facts were checked"})
    immunisations_up_to_date = yes_no("Immunisations are up to date",
                                      message="Select whether the child's immunisations are up to date")
    development_check_up_to_date = yes_no(
        "Development assessments are up to date", required=False,
        help_text="Only for children under 5; leave blank for older children",
    )
    substance_misuse = yes_no("Substance misuse was identified",
                              message="Select whether substance misuse was identified")
    intervention_offered = yes_no("An intervention for substance misuse was offered", required=False,
                                  help_text="Only if substance misuse was identified")
    intervention_received = yes_no("The child received an intervention for substance misuse", required=False)
    notes = _text("Notes (optional)")


class SDQForm(forms.Form):
    completed_on = GovukDateField(label="Date of the questionnaire",
                                  error_messages={"required": "Enter the date of the questionnaire"})
    score = forms.IntegerField(
        label="Total difficulties score", required=False, help_text="A whole number from 0 to 40",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}),
        error_messages={"invalid": "The score must be a whole number from 0 to 40"},
    )
    completed_by = forms.ChoiceField(label="Who completed it", required=False,
                                     choices=[("", "Select who completed it"), *SDQ.CompletedBy.choices])
    reason_not_done = forms.ChoiceField(
        label="If there is no score, why not", required=False, widget=forms.RadioSelect,
        choices=[(code, f"{code}: {rules.SDQ_REASON_DESCRIPTIONS.get(code, label)}") for code, label in SDQ_REASON],
    )


class PEPForm(forms.Form):
    meeting_date = GovukDateField(label="Date of the PEP meeting",
                                  error_messages={"required": "Enter the date of the PEP meeting"})
    status = forms.ChoiceField(label="Status", choices=PEP.Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select the status of the PEP"})
    targets = _text("SMART targets for the term", required=True, rows=5, message="Enter the targets for the term")
    virtual_school_view = _text("The virtual school's view (optional)", rows=4)
    quality_rating = forms.ChoiceField(label="The virtual school's quality rating (optional)", required=False,
                                       choices=[("", "Not rated yet"), *PEP.Quality.choices])


class EducationTermForm(forms.Form):
    academic_year = forms.TypedChoiceField(label="Academic year", coerce=int,
                                           error_messages={"required": "Select the academic year"})
    term = forms.ChoiceField(label="Term", choices=Term.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the term"})
    school_name = forms.CharField(label="School", max_length=150,
                                  error_messages={"required": "Enter the name of the school"})
    school_urn = forms.CharField(label="School URN (optional)", max_length=6, required=False,
                                 help_text="The school's 6-digit unique reference number")
    attendance_percent = forms.DecimalField(
        label="Attendance (%)", max_digits=4, decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input govuk-input--width-4"}),
        error_messages={"required": "Enter the attendance for the term",
                        "invalid": "Attendance must be a percentage from 0 to 100",
                        "max_digits": "Attendance must be a percentage from 0 to 100",
                        "max_decimal_places": "Attendance can have at most one decimal place"},
    )
    attainment = _text("Attainment and progress (optional)", rows=4)

    def __init__(self, *args, this_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = [
            (year, f"{year}/{(year + 1) % 100:02d}") for year in range(this_year, this_year - 6, -1)
        ]


class ExclusionForm(forms.Form):
    start_date = GovukDateField(label="First day of the exclusion",
                                error_messages={"required": "Enter the first day of the exclusion"})
    kind = forms.ChoiceField(label="Kind of exclusion", choices=Exclusion.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select whether it was a suspension or a permanent "
                                                         "exclusion"})
    school_days = forms.IntegerField(label="School days missed (optional)", required=False, min_value=0,
                                     max_value=45,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                   "class": "govuk-input govuk-input--width-3"}))
    reason = _text("Reason", required=True, message="Enter the reason for the exclusion")


class ContactArrangementForm(forms.Form):
    with_whom = forms.CharField(label="Who the contact is with", max_length=150,
                                error_messages={"required": "Enter who the contact is with"})
    relationship = forms.CharField(label="Their relationship to the child", max_length=80,
                                   error_messages={"required": "Enter their relationship to the child"})
    frequency = forms.ChoiceField(label="How often", choices=ContactArrangement.Frequency.choices,
                                  widget=forms.RadioSelect, error_messages={"required": "Select how often"})
    supervised = yes_no("The contact is supervised", message="Select whether the contact is supervised")
    start_date = GovukDateField(label="Date the arrangement starts",
                                error_messages={"required": "Enter the date the arrangement starts"})
    notes = _text("Arrangements and the child's views (optional)", rows=4)


class ContactEndForm(ConcurrencyMixin, forms.Form):
    end_date = GovukDateField(label="Date the arrangement ended",
                              error_messages={"required": "Enter the date the arrangement ended"})


class AdvocacyOfferForm(forms.Form):
    offered_on = GovukDateField(label="Date advocacy was offered",
                                error_messages={"required": "Enter the date advocacy was offered"})
    offered_by = forms.CharField(label="Who offered it", max_length=150,
                                 error_messages={"required": "Enter who offered advocacy"})
    accepted = yes_no("The child accepted", required=False, help_text="Leave blank if the child has not decided yet")
    advocate = forms.CharField(label="Advocate or advocacy service (optional)", max_length=150, required=False)


class ComplaintForm(forms.Form):
    received_on = GovukDateField(label="Date received",
                                 error_messages={"required": "Enter the date the complaint was received"})
    stage = forms.ChoiceField(label="Stage", choices=Complaint.Stage.choices, widget=forms.RadioSelect,
                              initial=Complaint.Stage.STAGE_1,
                              error_messages={"required": "Select the stage of the complaint"})
    summary = _text("What the complaint is about", required=True, rows=4,
                    message="Enter what the complaint is about")


class ComplaintUpdateForm(ConcurrencyMixin, forms.Form):
    stage = forms.ChoiceField(label="Stage", choices=Complaint.Stage.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Select the stage of the complaint"})
    outcome = forms.ChoiceField(label="Outcome (if the complaint is closed)", required=False,
                                choices=[("", "Not closed yet"), *Complaint.Outcome.choices])
    outcome_date = GovukDateField(label="Date of the outcome", required=False)


class RightsExplainedForm(forms.Form):
    explained_on = GovukDateField(label="Date the child was told their rights",
                                  error_messages={"required": "Enter the date the child was told their rights"})
    explained_by = forms.CharField(label="Who told them", max_length=150,
                                   error_messages={"required": "Enter who told the child their rights"})
    how = _text("How (optional)", help_text="For example, the children in care pledge, explained with pictures")


class ListFilterForm(forms.Form):
    q = forms.CharField(label="Search by name or LA child ID", required=False, max_length=100)
