"""Forms for the children in care pages: field parsing only; the rules are in rules.py and services.py."""

from __future__ import annotations

from django import forms

from opencsc.accounts.models import User
from opencsc.accounts.roles import Role
from opencsc.codes import (
    CATEGORY_OF_NEED,
    LEGAL_STATUS,
    PLACEMENT_PROVIDER,
    PLACEMENT_TYPE,
    REASON_EPISODE_CEASED,
    REASON_PLACE_CHANGE,
    REVIEW_PARTICIPATION,
)
from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from .models import IROEscalation, PermanenceOption, Placement
from .selectors import STABILITY_FILTERS


def _choices(code_list, prompt: str) -> list[tuple[str, str]]:
    """The options of a code list as people read them, each with its code: "Full care order (C2)"."""
    return [("", prompt)] + [(code, code_list.describe(code, with_code=True)) for code, _ in code_list]


def _select(code_list, label: str, prompt: str, *, required: bool = True, message: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=_choices(code_list, prompt), required=required,
        error_messages={"required": message or f"Select the {label.lower()}",
                        "invalid_choice": message or f"Select the {label.lower()}"},
    )


class PlacementFieldsForm(forms.Form):
    """Where the child is placed (the 903 PLACE, PLACE_PROVIDER, PL_POST and URN, and more)."""

    placement_type = _select(PLACEMENT_TYPE, "Placement type", "Select a placement type")
    provider = _select(PLACEMENT_PROVIDER, "Placement provider", "Select a provider", required=False)
    carer_name = forms.CharField(label="Carer or provider name", max_length=150, required=False)
    urn = forms.CharField(label="Ofsted URN (optional)", max_length=8, required=False)
    postcode = forms.CharField(label="Placement postcode", max_length=8, required=False)
    in_authority = forms.TypedChoiceField(
        label="Is the placement inside the authority's area?", choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect, initial="yes",
        error_messages={"required": "Select whether the placement is inside the authority's area"},
    )
    distance_km = forms.DecimalField(label="Distance from home (km)", min_value=0, max_digits=6, decimal_places=1,
                                     required=False)
    siblings_placed_together = forms.ChoiceField(
        label="Is the child placed with their brothers and sisters?", choices=Placement.Siblings.choices,
        widget=forms.RadioSelect, initial=Placement.Siblings.NONE,
        error_messages={"required": "Select whether the child is placed with their brothers and sisters"},
    )
    visit_regime = forms.ChoiceField(
        label="Visiting pattern (regulation 28)", choices=Placement.VisitRegime.choices, widget=forms.RadioSelect,
        initial=Placement.VisitRegime.STANDARD, error_messages={"required": "Select the visiting pattern"},
    )


class BecomeLookedAfterForm(PlacementFieldsForm):
    start_date = GovukDateField(label="Date the child became looked after", past_only=True)
    legal_status = _select(LEGAL_STATUS, "Legal status", "Select a legal status")
    category_of_need = _select(CATEGORY_OF_NEED, "Category of need", "Select a category of need")
    home_postcode = forms.CharField(label="Home postcode", max_length=8, required=False)

    field_order = ["start_date", "legal_status", "category_of_need", "home_postcode"]


class PlacementChangeForm(PlacementFieldsForm):
    change_date = GovukDateField(label="Date of the move", past_only=True)
    reason_for_change = _select(REASON_PLACE_CHANGE, "Reason for the placement change", "Select a reason",
                                required=False)
    legal_status = _select(LEGAL_STATUS, "New legal status (only if it changed too)", "Unchanged", required=False)

    field_order = ["change_date", "reason_for_change"]


class LegalStatusChangeForm(forms.Form):
    change_date = GovukDateField(label="Date the legal status changed", past_only=True)
    legal_status = _select(LEGAL_STATUS, "New legal status", "Select a legal status")
    category_of_need = _select(CATEGORY_OF_NEED, "Category of need (only if it changed)", "Unchanged",
                               required=False)


class PeriodEndForm(forms.Form):
    end_date = GovukDateField(label="Date the child ceased to be looked after", past_only=True)
    reason_ceased = _select(REASON_EPISODE_CEASED, "Reason the child ceased to be looked after", "Select a reason")


class PlacementDetailsForm(ConcurrencyMixin, forms.Form):
    carer_name = forms.CharField(label="Carer or provider name", max_length=150, required=False)
    urn = forms.CharField(label="Ofsted URN (optional)", max_length=8, required=False)
    postcode = forms.CharField(label="Placement postcode", max_length=8, required=False)
    distance_km = forms.DecimalField(label="Distance from home (km)", min_value=0, max_digits=6, decimal_places=1,
                                     required=False)
    siblings_placed_together = PlacementFieldsForm.base_fields["siblings_placed_together"]
    visit_regime = PlacementFieldsForm.base_fields["visit_regime"]
    placement_plan_on = GovukDateField(label="Date the placement plan was prepared", past_only=True, required=False)
    notified_on = GovukDateField(label="Date the placement was notified in writing", past_only=True, required=False)


class CarePlanForm(forms.Form):
    start_date = GovukDateField(label="Date of the care plan", past_only=True)
    summary = forms.CharField(label="The plan for the child", widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "Enter what the plan is for the child"})
    contingency = forms.CharField(label="Contingency plan", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    child_friendly_summary = forms.CharField(label="The plan in words the child understands",
                                             widget=forms.Textarea(attrs={"rows": 3}), required=False)
    permanence_option = forms.ChoiceField(
        label="Permanence plan", choices=[("", "Not yet agreed")] + list(PermanenceOption.choices), required=False)
    permanence_decided_on = GovukDateField(label="Date the permanence plan was agreed", past_only=True,
                                           required=False)


def _iro_choice(required: bool, label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label, required=required, empty_label="Select an IRO",
        queryset=User.objects.filter(role=Role.IRO, is_active=True).order_by("last_name", "first_name", "pk"),
        error_messages={"required": "Select an independent reviewing officer",
                        "invalid_choice": "Select an independent reviewing officer"},
    )


class IROAppointForm(forms.Form):
    iro = _iro_choice(True, "Independent reviewing officer")
    appointed_on = GovukDateField(label="Date appointed", past_only=True)


class ReviewForm(forms.Form):
    held_on = GovukDateField(label="Date of the review", past_only=True)
    iro = _iro_choice(False, "IRO who chaired the review")
    participation = _select(REVIEW_PARTICIPATION, "How the child took part in the review",
                            "Select how the child took part", message="Select how the child took part in the review")
    child_attended = forms.BooleanField(label="The child attended", required=False)
    decisions = forms.CharField(label="The IRO's decisions", widget=forms.Textarea(attrs={"rows": 6}),
                                error_messages={"required": "Enter the IRO's decisions"})
    permanence_confirmed = forms.BooleanField(label="The permanence plan was confirmed at this review",
                                              required=False)


class EscalationRaiseForm(forms.Form):
    raised_on = GovukDateField(label="Date raised", past_only=True)
    stage = forms.ChoiceField(label="Stage", choices=IROEscalation.Stage.choices, widget=forms.RadioSelect,
                              initial=IROEscalation.Stage.INFORMAL, error_messages={"required": "Select the stage"})
    concern = forms.CharField(label="The IRO's concern", widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "Enter the IRO's concern"})
    response_due_on = GovukDateField(label="Response due by")


class EscalationRespondForm(ConcurrencyMixin, forms.Form):
    responded_on = GovukDateField(label="Date of the response", past_only=True)
    response = forms.CharField(label="The response", widget=forms.Textarea(attrs={"rows": 5}),
                               error_messages={"required": "Enter the response"})


class EscalationProgressForm(ConcurrencyMixin, forms.Form):
    stage = forms.ChoiceField(label="Move to stage", choices=[("", "Keep the current stage")]
                              + list(IROEscalation.Stage.choices), required=False)
    response_due_on = GovukDateField(label="Response due by (for a new stage)", required=False)
    resolved_on = GovukDateField(label="Date resolved", past_only=True, required=False)
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "Not resolved yet")]
                                + list(IROEscalation.Outcome.choices), required=False)


class ChildrenInCareFilterForm(forms.Form):
    q = forms.CharField(label="Name or LA child ID", required=False, max_length=100)
    legal_status = forms.ChoiceField(label="Legal status", choices=_choices(LEGAL_STATUS, "Any"), required=False)
    placement_type = forms.ChoiceField(label="Placement type", choices=_choices(PLACEMENT_TYPE, "Any"),
                                       required=False)
    location = forms.ChoiceField(label="Placement location", required=False, choices=[
        ("", "Any"), ("in", "Inside the authority"), ("out", "Outside the authority")])
    stability_flag = forms.ChoiceField(label="Stability", required=False,
                                       choices=[("", "Any")] + list(STABILITY_FILTERS.items()))
