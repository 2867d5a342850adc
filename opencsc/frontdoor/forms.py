"""Forms for the front door: field parsing only; the rules are in services.py."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from opencsc.accounts.roles import Agency
from opencsc.casework.forms import AllocationFieldsMixin, team_field, worker_field
from opencsc.codes import PRIMARY_NEED, REFERRAL_SOURCE
from opencsc.core.forms import ConcurrencyMixin, GovukDateField
from opencsc.protection.forms import TimeField

from .models import AGENCY_CHOICES, Contact, DomesticAbuseNotification, InformationRequest


def aware(day, time):
    if day is None or time is None:
        return None
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def child_label(child) -> str:
    born = f", born {child.date_of_birth:%-d %b %Y}" if child.date_of_birth else ""
    return f"{child.full_name} ({child.la_child_id}{born})"


NEW_RECORD = "new"
MATCH_CHOICE = "Select the child if they are one of these, or select none of these to create a new record"


class ContactForm(forms.Form):
    children = forms.MultipleChoiceField(
        label="Children the contact is about", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tick every child named, including brothers and sisters",
    )
    find = forms.CharField(label="Find a child", required=False, max_length=100,
                           help_text="Name, date of birth, NHS number or LA child ID")
    new_first_name = forms.CharField(label="First name", required=False, max_length=100)
    new_last_name = forms.CharField(label="Last name", required=False, max_length=100)
    new_date_of_birth = GovukDateField(label="Date of birth", required=False, past_only=True)
    # The possible matches of the new child (frontdoor.selectors.new_child_matches): the one picked, or NEW_RECORD,
    # and the ones the worker was shown (written by the template, so a change of the typed child shows the list again).
    new_child_match = forms.CharField(label="Is the child one of these?", required=False, max_length=20)
    matches_shown = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    received_on = GovukDateField(label="Date the contact was received", past_only=True)
    received_time = TimeField(label="Time", help_text="For example, 14:30",
                              error_messages={"required": "Enter the time the contact was received"})
    out_of_hours = forms.BooleanField(
        label="Received out of hours", required=False,
        help_text="If not ticked, worked out from the time: outside 9am to 5pm on a working day is out of hours",
    )
    referrer_name = forms.CharField(label="Who made the contact", max_length=150,
                                    error_messages={"required": "Enter who made the contact"})
    referrer_role = forms.CharField(label="Their role", max_length=100, required=False)
    referrer_agency = forms.ChoiceField(label="Their agency", required=False,
                                        choices=[("", "Select an agency")] + AGENCY_CHOICES)
    referrer_phone = forms.CharField(label="Their phone number", max_length=30, required=False)
    referral_source = forms.ChoiceField(label="Source (DfE referral source)",
                                        choices=[("", "Select a source")] + list(REFERRAL_SOURCE.choices),
                                        error_messages={"required": "Select the source of the contact"})
    concerns = forms.CharField(label="The concerns", widget=forms.Textarea(attrs={"rows": 6}),
                               error_messages={"required": "Enter the concerns"})

    def __init__(self, *args, child_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children_by_id = {str(c.pk): c for c in child_choices}
        self.fields["children"].choices = [(str(c.pk), child_label(c)) for c in child_choices]
        self.matches = None  # the possible matches of the new child, once looked for

    def clean(self):
        data = super().clean()
        data["received_at"] = aware(data.get("received_on"), data.get("received_time"))
        first, last = data.get("new_first_name", ""), data.get("new_last_name", "")
        if (first or last or data.get("new_date_of_birth")) and not (first and last):
            self.add_error("new_first_name" if not first else "new_last_name",
                           "Enter the new child's first and last names")
        data["new_children"] = [{"first_name": first, "last_name": last,
                                 "date_of_birth": data.get("new_date_of_birth")}] if first and last else []
        data["chosen"] = [self.children_by_id[pk] for pk in data.get("children", []) if pk in self.children_by_id]
        data["match_check"] = None
        return data

    @property
    def matches_token(self) -> str:
        """What the worker is shown, for the hidden `matches_shown` field."""
        if not self.matches:
            return ""
        return ",".join(sorted([str(c.pk) for c in self.matches.children] + (["hidden"] if self.matches.hidden else [])))

    def settle_new_child(self, matches) -> bool:
        """After a valid POST, given the new child's possible matches: True when the contact may be saved.

        With no match, or once the worker has seen the matches and picked one (the contact is then about that
        child and no new record is made) or NEW_RECORD, `match_check` says what was shown and chosen. Until
        the worker has seen every match, False (with an error when they were asked and did not choose).
        """
        data = self.cleaned_data
        if not data.get("new_children") or not matches:
            return True
        self.matches = matches
        shown = {token for token in data.get("matches_shown", "").split(",") if token}
        if not set(self.matches_token.split(",")) <= shown:
            return False  # not seen yet, or the typed child changed since: show the matches, nothing saved
        choice = data.get("new_child_match", "")
        picked = {str(c.pk): c for c in matches.children}.get(choice)
        if choice != NEW_RECORD and picked is None:
            self.add_error("new_child_match", MATCH_CHOICE)
            return False
        data["match_check"] = {"shown": matches.children, "hidden": matches.hidden, "chosen": picked}
        if picked is not None:
            data["chosen"] = list(dict.fromkeys([*data["chosen"], picked]))
            data["new_children"] = []
        return True


class ScreeningForm(ConcurrencyMixin, forms.Form):
    level_of_need = forms.ChoiceField(label="Level of need (threshold)", choices=Contact.Level.choices,
                                      widget=forms.RadioSelect,
                                      error_messages={"required": "Select the level of need"})
    screening_rationale = forms.CharField(label="Why this is the level of need",
                                          widget=forms.Textarea(attrs={"rows": 5}),
                                          error_messages={"required": "Enter why this is the level of need"})


class DecisionForm(AllocationFieldsMixin, ConcurrencyMixin, forms.Form):
    outcome = forms.ChoiceField(label="Decision", choices=Contact.Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Select the decision"})
    decision_rationale = forms.CharField(label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 5}),
                                         error_messages={"required": "Enter the reasons for the decision"})
    primary_need = forms.ChoiceField(
        label="Primary need (for a referral or strategy discussion)", required=False,
        choices=[("", "Select a primary need")] + list(PRIMARY_NEED.choices),
        help_text="Opens an episode of need for each child who has none open",
    )
    # A referral or strategy discussion: who takes each child no worker holds now (casework.forms).
    team = team_field(help_text="The team that takes the referral")
    worker = worker_field()
    team_required = False

    def __init__(self, *args, teams, workers, likely_team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_allocation_choices(teams=teams, workers=workers, likely_team=likely_team)


class DomesticAbuseForm(forms.Form):
    incident_on = GovukDateField(label="Date of the incident", past_only=True)
    incident_time = TimeField(label="Time of the incident", help_text="For example, 23:15",
                              error_messages={"required": "Enter the time of the incident"})
    police_reference = forms.CharField(label="Police reference", max_length=50, required=False)
    risk_level = forms.ChoiceField(label="Risk (DASH)", choices=DomesticAbuseNotification.Risk.choices,
                                   widget=forms.RadioSelect, error_messages={"required": "Select the risk level"})
    children_present = forms.BooleanField(label="Children were present", required=False)

    def clean(self):
        data = super().clean()
        data["incident_at"] = aware(data.get("incident_on"), data.get("incident_time"))
        return data


class EncompassForm(forms.Form):
    school_name = forms.CharField(label="School", max_length=150, error_messages={"required": "Enter the school"})
    told_on = GovukDateField(label="Date the school was told", past_only=True)
    told_time = TimeField(label="Time", help_text="For example, 08:45",
                          error_messages={"required": "Enter the time the school was told"})

    def clean(self):
        data = super().clean()
        data["told_at"] = aware(data.get("told_on"), data.get("told_time"))
        return data


class InformationRequestForm(forms.Form):
    agency = forms.ChoiceField(label="Agency", choices=[("", "Select an agency")] + list(Agency.choices),
                               error_messages={"required": "Select the agency"})
    rag = forms.ChoiceField(label="Urgency", choices=[
        ("red", "Red: answer within 4 hours"), ("amber", "Amber: answer within 24 hours"),
        ("green", "Green: answer within 72 hours"),
    ], widget=forms.RadioSelect, error_messages={"required": "Select how urgent the request is"})
    question = forms.CharField(label="What the MASH needs to know", widget=forms.Textarea(attrs={"rows": 5}),
                               error_messages={"required": "Enter what the MASH needs to know"})


class AnswerForm(ConcurrencyMixin, forms.Form):
    response = forms.CharField(label="What your agency knows", widget=forms.Textarea(attrs={"rows": 8}),
                               error_messages={"required": "Enter what your agency knows"})


class ContactFilterForm(forms.Form):
    q = forms.CharField(label="Child's name, LA child ID or referrer", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False, choices=[
        ("", "Any status"), ("screening", "Awaiting screening"),
        ("awaiting_decision", "Awaiting a manager's decision"), ("decided", "Decided"),
    ])
    outcome = forms.ChoiceField(label="Decision", required=False,
                                choices=[("", "Any decision")] + list(Contact.Outcome.choices))
    out_of_hours = forms.ChoiceField(label="Out of hours", required=False,
                                     choices=[("", "Any time"), ("yes", "Out of hours"), ("no", "Office hours")])


class PeriodForm(forms.Form):
    date_from = GovukDateField(label="Received from", required=False)
    date_to = GovukDateField(label="Received to", required=False)


RAG_LABELS = dict(InformationRequest.Rag.choices)
