"""Forms: field parsing only. The rules (dates in order, nothing in the future) are in services.py."""

from __future__ import annotations

from django import forms

from opencsc.codes import SEX
from opencsc.core.forms import ConcurrencyMixin, GovukDateField
from opencsc.people.forms import MatchChoiceMixin

from .codes import REASON_PLACED_CEASED, SEX_OF_ADOPTERS
from .models import ADOPTERS_LEGAL_STATUS, PermanenceOrder


def _date(label, required=True, **kwargs):
    return GovukDateField(label=label, required=required, help_text=kwargs.pop("help_text", "For example, 27 3 2026"),
                          error_messages={"required": f"Enter the {label.lower()}"}, **kwargs)


class PlanStartForm(forms.Form):
    entered_care_on = _date("Date the child started to be looked after",
                            help_text="The start of the current period of care")
    should_be_placed_on = _date("Date of the decision that the child should be placed for adoption")
    decision_maker = forms.CharField(label="Agency decision maker", max_length=200,
                                     error_messages={"required": "Enter the name of the agency decision maker"})
    concurrent_planning = forms.BooleanField(label="Concurrent planning (the child may still return home)",
                                             required=False)
    ffa_placed_on = _date("Date placed in a fostering for adoption placement", required=False,
                          help_text="Leave blank if the child is not in a fostering for adoption placement")


class PlacementOrderForm(ConcurrencyMixin, forms.Form):
    placement_order_on = _date("Date of the placement order")


class MatchForm(ConcurrencyMixin, forms.Form):
    matched_on = _date("Date of the match")
    adopters = forms.ModelChoiceField(label="Adopters", queryset=None, empty_label="Select the adopters",
                                      error_messages={"required": "Select the adopters"})
    adopted_by_foster_carers = forms.BooleanField(label="The adopters are the child's foster carers", required=False)
    lived_with_adopters_from = _date("Date the child moved in with the adopters as foster carers", required=False,
                                     help_text="Only if the adopters are the child's foster carers")

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopters"].queryset = households


class PlacementForm(ConcurrencyMixin, forms.Form):
    placed_on = _date("Date the child was placed for adoption", help_text="The day the child moved in")


class AdoptionOrderForm(ConcurrencyMixin, forms.Form):
    adoption_order_on = _date("Date of the adoption order")


class PlanEndForm(ConcurrencyMixin, forms.Form):
    ended_on = _date("Date the plan for adoption ended")
    end_reason = forms.ChoiceField(label="Why the plan ended", choices=REASON_PLACED_CEASED.choices,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": "Select why the plan for adoption ended"})
    end_details = forms.CharField(label="What the plan for the child is now", widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": "Enter what the plan for the child is now"})


class ReviewForm(forms.Form):
    held_on = _date("Date of the review")
    notes = forms.CharField(label="What the review decided", required=False, widget=forms.Textarea(attrs={"rows": 5}))


class VisitForm(forms.Form):
    visited_on = _date("Date of the visit")
    seen_alone = forms.BooleanField(label="The child was seen alone", required=False)
    notes = forms.CharField(label="What was seen and heard", required=False, widget=forms.Textarea(attrs={"rows": 5}))


class PermanenceOrderForm(forms.Form):
    kind = forms.ChoiceField(label="Type of order", choices=PermanenceOrder.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the type of order"})
    made_on = _date("Date the order was made")
    guardians = forms.CharField(label="Special guardian or carer", max_length=200,
                                help_text="Their names, for example Maria and John Okafor",
                                error_messages={"required": "Enter the special guardian or carer"})
    relationship = forms.CharField(label="Relationship to the child", max_length=100,
                                   help_text="For example, maternal grandparents",
                                   error_messages={"required": "Enter their relationship to the child"})
    support_plan = forms.BooleanField(label="A support plan is in place", required=False)


class HouseholdForm(forms.Form):
    name = forms.CharField(label="Household name", max_length=200, help_text="For example, Sam and Alex Shah",
                           error_messages={"required": "Enter the household's name"})
    adopters = forms.ChoiceField(label="Adopters", choices=[("", "Not known yet"), *SEX_OF_ADOPTERS.choices],
                                 required=False)
    legal_status = forms.ChoiceField(label="Their legal status", choices=[("", "Not known yet"),
                                                                           *ADOPTERS_LEGAL_STATUS],
                                     required=False, help_text="For a couple, whether they are married or in a "
                                     "civil partnership (reported in the SSDA903 return)")
    enquiry_on = _date("Date of the enquiry")

    def clean(self):
        data = super().clean()
        adopters, status = data.get("adopters"), data.get("legal_status")
        if adopters and status:
            single = adopters in ("M1", "F1")
            if single and status != "L0":
                self.add_error("legal_status", "Select single adopter for one adopter")
            elif not single and status == "L0":
                self.add_error("legal_status", "Select the couple's legal status for two adopters")
        return data


class StageForm(ConcurrencyMixin, forms.Form):
    on = GovukDateField(label="Date", help_text="For example, 27 3 2026", error_messages={"required": "Enter the date"})


class WithdrawForm(ConcurrencyMixin, forms.Form):
    withdrawn_on = _date("Date they withdrew")
    withdrawal_reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
                                        help_text="Why they withdrew, or why they were not approved",
                                        error_messages={"required": "Enter the reason"})


class AdopterForm(MatchChoiceMixin, forms.Form):
    first_name = forms.CharField(label="First name", max_length=100,
                                 error_messages={"required": "Enter the adopter's first name"})
    last_name = forms.CharField(label="Last name", max_length=100,
                                error_messages={"required": "Enter the adopter's last name"})
    date_of_birth = GovukDateField(label="Date of birth", required=False, past_only=True,
                                   help_text="For example, 27 3 1985")
    sex = forms.ChoiceField(label="Sex", choices=SEX.choices, widget=forms.RadioSelect, initial="U",
                            required=False)
    match_error = "Select the adopter if they are one of these, or select none of these to add a new person"
