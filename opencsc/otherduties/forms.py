"""Forms for the other duties pages: field parsing only; the rules are in services.py."""

from __future__ import annotations

from django import forms

from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from .models import CareProceedings, Hearing, LadoAllegation, LadoMeeting, PrivateFostering


def _select(choices, prompt):
    return [("", prompt)] + list(choices)


class PrivateFosteringForm(forms.Form):
    notified_on = GovukDateField(label="Date the authority was notified", past_only=True,
                                 help_text="Or the date the authority otherwise became aware of the arrangement")
    arrangement_start = GovukDateField(label="Date the arrangement started (or will start)")
    carer_name = forms.CharField(label="Private foster carer", max_length=150,
                                 error_messages={"required": "Enter the private foster carer's name"})
    carer_address = forms.CharField(label="Carer's address", max_length=250, required=False)
    carer_relationship = forms.CharField(label="Carer's relationship to the child", max_length=100, required=False,
                                         help_text="For example, family friend or great-aunt")
    parents_consent = forms.BooleanField(label="The parents agree to the arrangement", required=False)
    outcome = forms.ChoiceField(label="Assessment outcome", choices=PrivateFostering.Outcome.choices,
                                initial=PrivateFostering.Outcome.PENDING, widget=forms.RadioSelect)
    suitability = forms.CharField(label="Suitability of the arrangement", widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False)


class PrivateFosteringVisitForm(forms.Form):
    visited_on = GovukDateField(label="Date of the visit", past_only=True)
    child_seen = forms.BooleanField(label="The child was seen", required=False, initial=True)
    child_seen_alone = forms.BooleanField(label="The child was seen alone", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class PrivateFosteringEndForm(ConcurrencyMixin):
    ended_on = GovukDateField(label="Date the arrangement ended", past_only=True)
    end_reason = forms.ChoiceField(label="Why it ended", choices=PrivateFostering.EndReason.choices,
                                   widget=forms.RadioSelect, error_messages={"required": "Select why it ended"})


class ProceedingsForm(forms.Form):
    court = forms.CharField(label="Court", max_length=150, error_messages={"required": "Enter the court"})
    case_number = forms.CharField(label="Case number", max_length=40,
                                  error_messages={"required": "Enter the court's case number"})
    issued_on = GovukDateField(label="Date the application was issued", past_only=True)


class HearingForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of hearing", choices=Hearing.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the kind of hearing"})
    held_on = GovukDateField(label="Date of the hearing", past_only=True)
    interim_order = forms.ChoiceField(label="Interim order made", choices=Hearing.InterimOrder.choices,
                                      required=False)
    notes = forms.CharField(label="What the court decided", widget=forms.Textarea(attrs={"rows": 4}),
                            required=False)


class ExtensionForm(forms.Form):
    granted_on = GovukDateField(label="Date the extension was granted", past_only=True,
                                help_text="Each extension is up to 8 weeks")
    reason = forms.CharField(label="Why the court extended the timetable", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter why the court extended the timetable"})


class FinalOrderForm(ConcurrencyMixin):
    final_order = forms.ChoiceField(label="Final order", choices=CareProceedings.FinalOrder.choices,
                                    widget=forms.RadioSelect, error_messages={"required": "Select the final order"})
    final_order_on = GovukDateField(label="Date of the final order", past_only=True)


class LadoAllegationForm(forms.Form):
    received_on = GovukDateField(label="Date the employer received the allegation", past_only=True)
    lado_informed_on = GovukDateField(label="Date the LADO was told", past_only=True, required=False,
                                      help_text="Within 1 working day of the allegation")
    person_name = forms.CharField(label="Name of the person", max_length=150,
                                  error_messages={"required": "Enter the name of the person"})
    person_role = forms.CharField(label="Their role", max_length=150, error_messages={"required": "Enter their role"})
    employer = forms.CharField(label="Employer or organisation", max_length=200,
                               error_messages={"required": "Enter their employer or organisation"})
    agency = forms.ChoiceField(label="Sector", choices=_select(LadoAllegation.Agency.choices, "Select a sector"),
                               error_messages={"required": "Select the sector they work in"})
    allegation = forms.CharField(label="What is alleged", widget=forms.Textarea(attrs={"rows": 5}),
                                 error_messages={"required": "Enter what is alleged"})
    children = forms.CharField(label="Children involved (LA child IDs, optional)", required=False,
                               help_text="Separate IDs with commas, for example C100234, C100876")

    def __init__(self, *args, visible_children, **kwargs):
        """`visible_children`: the children the user may see (`children_for(user)`), the only ones named."""
        super().__init__(*args, **kwargs)
        self.visible_children = visible_children

    def clean_children(self):
        ids = [part.strip().upper() for part in (self.cleaned_data.get("children") or "").split(",") if part.strip()]
        if not ids:
            return []
        found = dict(self.visible_children.filter(la_child_id__in=ids).values_list("la_child_id", "pk"))
        unknown = [i for i in ids if i not in found]
        if unknown:
            raise forms.ValidationError(f"No child found with LA child ID {', '.join(unknown)}")
        return list(found.values())


class LadoMeetingForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of meeting", choices=LadoMeeting.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the kind of meeting"})
    held_on = GovukDateField(label="Date of the meeting", past_only=True)
    attendees = forms.CharField(label="Who attended, from which agency", widget=forms.Textarea(attrs={"rows": 4}),
                                error_messages={"required": "Enter who attended, from which agency"},
                                help_text="One person a line, for example: DS Ray Cole, Police")
    decisions = forms.CharField(label="Decisions", widget=forms.Textarea(attrs={"rows": 5}),
                                error_messages={"required": "Enter the decisions"})


class LadoOutcomeForm(ConcurrencyMixin):
    outcome = forms.ChoiceField(label="Outcome", choices=LadoAllegation.Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Select the outcome"})
    outcome_on = GovukDateField(label="Date of the outcome", past_only=True)
    outcome_summary = forms.CharField(label="Outcome and action taken", widget=forms.Textarea(attrs={"rows": 4}),
                                      required=False)
