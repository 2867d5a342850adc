"""Forms for the people pages: field parsing only; the rules live in services.py."""

from __future__ import annotations

from django import forms

from opencsc.accounts.roles import Agency
from opencsc.codes import DISABILITY, ETHNICITY, SEX
from opencsc.core.forms import ConcurrencyMixin, GovukDateField, apply_errors  # noqa: F401 (used by views)

from .models import ChildAlias, Relationship


def _text(label, *, required=True, max_length=100, help_text="", required_text="", **kwargs):
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text,
        error_messages={"required": f"Enter {required_text or label[0].lower() + label[1:]}",
                        "max_length": f"{label} must be {max_length} characters or fewer"},
        **kwargs,
    )


class SearchForm(forms.Form):
    q = _text("Name, NHS number, UPN or LA child ID", required=False, max_length=120,
              help_text="For example, Katherine Smith, 943 476 5919 or C0001234")
    date_of_birth = GovukDateField(label="Date of birth", required=False, help_text="For example, 27 3 2015")
    postcode = _text("Postcode", required=False, max_length=10,
                     help_text="A full postcode, or the first part such as TW3")

    def has_criteria(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("q") or data.get("date_of_birth") or data.get("postcode"))


NEW_RECORD = "new"


class MatchChoiceMixin(forms.Form):
    """The choice among the possible matches of someone being added (selectors.possible_people): the key of an
    existing record ("person:12", "child:7") or NEW_RECORD, and the matches the user was shown (written by the
    template, people/includes/possible_matches.html, so a change of the typed name shows the matches again)."""

    match = forms.CharField(label="Is this one of these people?", required=False, max_length=40)
    matches_shown = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    match_error = "Select the person if they are one of these, or select none of these to add a new person"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = None  # the possible matches, once looked for and still to be chosen from or recorded

    def settle_matches(self, matches) -> bool:
        """After a valid POST, given the possible matches: True when the record may be saved.

        With no match, True (`self.matches` stays None: nothing to record). Once the user has seen every
        match and picked one or NEW_RECORD, True with `self.chosen` the PossibleMatch picked (None for a new
        record). Until then False: the matches are shown, with an error when the user saw them and did not
        choose. A match the user may not see can never be picked: it is not in `matches.matches`.
        """
        self.chosen = None
        if not matches:
            return True
        self.matches = matches
        shown = {token for token in self.cleaned_data.get("matches_shown", "").split(",") if token}
        if not set(matches.token.split(",")) <= shown:
            return False  # not seen yet, or the matches changed since: show them, nothing saved
        choice = self.cleaned_data.get("match", "")
        self.chosen = matches.find(choice)
        if choice != NEW_RECORD and self.chosen is None:
            self.add_error("match", self.match_error)
            return False
        return True


class ChildDetailsForm(forms.Form):
    first_name = _text("First name", required_text="the child's first name")
    middle_names = _text("Middle names", required=False)
    last_name = _text("Last name", required_text="the child's last name")
    preferred_name = _text("Preferred name", required=False, help_text="What the child likes to be called")
    date_of_birth = GovukDateField(label="Date of birth", required=False, past_only=True,
                                   help_text="Leave blank for an unborn child. For example, 27 3 2015")
    expected_date_of_birth = GovukDateField(label="Expected date of birth", required=False,
                                            help_text="For an unborn child only")
    sex = forms.ChoiceField(label="Sex", choices=SEX.choices, widget=forms.RadioSelect, initial="U",
                            error_messages={"required": "Select the child's sex"})
    gender_identity = _text("Gender identity", required=False)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=ETHNICITY.choices, initial="NOBT")
    disabilities = forms.MultipleChoiceField(label="Disabilities", choices=DISABILITY.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    first_language = _text("First language", required=False, max_length=60)
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    religion = _text("Religion", required=False, max_length=60)
    nhs_number = _text("NHS number", required=False, max_length=14, help_text="10 digits, for example 943 476 5919")
    upn = _text("Unique pupil number (UPN)", required=False, max_length=15, help_text="13 characters")
    is_uasc = forms.BooleanField(label="Unaccompanied asylum-seeking child (UASC)", required=False)
    school_name = _text("School", required=False, max_length=150)
    school_urn = _text("School URN", required=False, max_length=8)


class ChildCreateForm(MatchChoiceMixin, ChildDetailsForm):
    la_child_id = _text("LA child ID", required=False, max_length=20,
                        help_text="Leave blank and one will be given, for example C0001234")
    match_error = "Select the child if they are one of these, or select none of these to add a new record"


class ChildEditForm(ConcurrencyMixin, ChildDetailsForm):
    la_child_id = _text("LA child ID", max_length=20, required_text="the LA child ID")
    date_of_death = GovukDateField(label="Date of death", required=False, past_only=True)
    uasc_ceased = GovukDateField(label="Date UASC status ended", required=False, past_only=True)


class AddressForm(forms.Form):
    line_1 = _text("Address line 1", max_length=120,
                   required_text="address line 1, typically the building and street")
    line_2 = _text("Address line 2", required=False, max_length=120)
    town = _text("Town or city", required=False, max_length=80)
    postcode = _text("Postcode", max_length=10, required_text="a postcode")
    start_date = GovukDateField(label="Date the child started living here", required=True, past_only=True)


class AliasForm(forms.Form):
    first_name = _text("First name", required=False)
    last_name = _text("Last name", required=False)
    kind = forms.ChoiceField(label="Type of name", choices=ChildAlias.Kind.choices, widget=forms.RadioSelect,
                             initial=ChildAlias.Kind.ALSO_KNOWN_AS,
                             error_messages={"required": "Select the type of name"})

    def clean(self):
        data = super().clean()
        if not data.get("first_name") and not data.get("last_name"):
            self.add_error("first_name", "Enter a first name or a last name")
        return data


class RelationshipFieldsForm(forms.Form):
    kind = forms.ChoiceField(label="Relationship to the child", choices=[("", "Select a relationship")]
                             + list(Relationship.Kind.choices),
                             error_messages={"required": "Select the relationship to the child"})
    lives_with_child = forms.BooleanField(label="Lives with the child", required=False)
    parental_responsibility = forms.BooleanField(label="Has parental responsibility", required=False)
    lives_elsewhere = forms.BooleanField(label="Lives elsewhere", required=False,
                                         help_text="For example, a father living in another area")
    notes = _text("Notes", required=False, max_length=250, widget=forms.Textarea(attrs={"rows": 3}))
    start_date = GovukDateField(label="Relationship start date", required=False, past_only=True)


class PersonFlagsForm(forms.Form):
    phone = _text("Phone number", required=False, max_length=30)
    address = _text("Address", required=False, max_length=250)
    postcode = _text("Postcode", required=False, max_length=10)
    mappa = forms.BooleanField(label="Managed under MAPPA arrangements", required=False)
    marac = forms.BooleanField(label="Discussed at MARAC", required=False)
    poses_risk = forms.BooleanField(label="Poses a risk to children", required=False)


class FamilyAddForm(MatchChoiceMixin, RelationshipFieldsForm, PersonFlagsForm):
    related_la_child_id = _text("LA child ID, if they have a record here", required=False, max_length=20,
                                help_text="For a brother, sister or other child known to us. Leave blank otherwise")
    first_name = _text("First name", required=False)
    last_name = _text("Last name", required=False)
    date_of_birth = GovukDateField(label="Date of birth", required=False, past_only=True)
    sex = forms.ChoiceField(label="Sex", choices=SEX.choices, widget=forms.RadioSelect, initial="U",
                            required=False)

    field_order = ["related_la_child_id", "first_name", "last_name", "date_of_birth", "sex", "kind"]

    def clean(self):
        data = super().clean()
        if not data.get("related_la_child_id"):
            if not data.get("first_name"):
                self.add_error("first_name", "Enter their first name")
            if not data.get("last_name"):
                self.add_error("last_name", "Enter their last name")
        return data


class RelationshipEditForm(ConcurrencyMixin, RelationshipFieldsForm, PersonFlagsForm):
    person_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RelationshipEndForm(ConcurrencyMixin, forms.Form):
    end_date = GovukDateField(label="Date the relationship ended", required=True, past_only=True)


class MergePickForm(forms.Form):
    la_child_id = _text("LA child ID of the duplicate record", max_length=20,
                        required_text="the LA child ID of the duplicate record")


class MergeConfirmForm(forms.Form):
    duplicate = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I have checked these are the same child", required=True,
        error_messages={"required": "Confirm you have checked these records are the same child"},
    )


class RestrictForm(forms.Form):
    reason = _text("Reason for restricting this record", max_length=200,
                   required_text="the reason for restricting this record")
    named_users = forms.CharField(
        label="Who else may see it", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Usernames, one on each line. You will always be able to see it",
    )

    def clean_named_users(self):
        return [line.strip() for line in self.cleaned_data["named_users"].splitlines() if line.strip()]


class GrantForm(forms.Form):
    username = _text("Username", max_length=150, required_text="a username")


class ShareForm(forms.Form):
    agency = forms.ChoiceField(label="Partner agency", choices=[("", "Select an agency")] + list(Agency.choices),
                               error_messages={"required": "Select the partner agency"})
    reason = _text("Reason for sharing", max_length=250, required_text="the reason for sharing this record",
                   widget=forms.Textarea(attrs={"rows": 3}))
    shared_on = GovukDateField(label="Date sharing starts", required=False, past_only=True,
                               help_text="Leave blank to start today")
    ends_on = GovukDateField(label="Date sharing ends", required=False, future_only=True,
                             help_text="Leave blank to share until you stop it")
