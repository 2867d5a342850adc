"""Forms for signing in, two-factor codes, administration and the access log.

Forms only parse what was typed; the rules (lockout, role and agency, unique
names) are in services.py.
"""

from __future__ import annotations

from django import forms

from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from .models import AccessLog, Team, User
from .roles import Agency, Role, TeamKind

NO_AGENCY = [("", "None")]


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        error_messages={"required": "Enter your username"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code shown in the app, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label="Set-up code",
        help_text="The code your administrator gave you, for example abcd-efgh-jkmn",
        max_length=40,
        error_messages={"required": "Enter the set-up code your administrator gave you"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label="Recovery code",
        help_text="One of the recovery codes you were given when you set up two-factor sign-in, "
                  "for example abcde-fghjk",
        max_length=40,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )


class ApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve or decline the request"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed if you decline. The administrator who asked will see it",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _team_choices(*, include_closed: bool = False):
    teams = Team.objects.order_by("name", "id")
    if not include_closed:
        teams = teams.filter(is_active=True)
    return teams


class UserDetailsForm(forms.Form):
    first_name = forms.CharField(max_length=150, error_messages={"required": "Enter the user's first name"})
    last_name = forms.CharField(max_length=150, error_messages={"required": "Enter the user's last name"})
    email = forms.EmailField(
        label="Email address",
        error_messages={"required": "Enter the user's email address",
                        "invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    job_title = forms.CharField(max_length=120, required=False)
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the user's role"})
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        empty_label="No team",
        required=False,
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    agency = forms.ChoiceField(
        label="Partner agency",
        help_text="Only for partner agency practitioners",
        choices=NO_AGENCY + list(Agency.choices),
        required=False,
    )
    is_agency_staff = forms.BooleanField(label="Temporary (agency) worker", required=False)

    def __init__(self, *args, current_team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = _team_choices()
        if current_team is not None:
            teams = Team.objects.filter(pk=current_team.pk) | teams
        self.fields["team"].queryset = teams.order_by("name", "id")


class UserEditForm(ConcurrencyMixin, UserDetailsForm):
    """A user's details, with the version the page was opened at (a stale save is refused)."""


class UserCreateForm(UserDetailsForm):
    username = forms.CharField(
        max_length=150,
        help_text="Letters, numbers and @ . + - _ only",
        error_messages={"required": "Enter a username"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Temporary password",
        help_text="At least 12 characters. Give it to the user in person or by phone, never by email",
        strip=False,
        error_messages={"required": "Enter a temporary password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "first_name", "last_name", "email", "job_title", "role", "team", "agency",
                   "is_agency_staff", "password"]


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label="New password",
        help_text="At least 12 characters",
        strip=False,
        error_messages={"required": "Enter a new password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Name or username", required=False, max_length=100)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="All teams",
                                  error_messages={"invalid_choice": "Select a team from the list"})
    role = forms.ChoiceField(choices=[("", "All roles"), *Role.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "All"), ("active", "Active"), ("inactive", "Deactivated"), ("locked", "Locked")],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name", "id")


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter the team's name"})
    kind = forms.ChoiceField(label="Kind of team", choices=TeamKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the kind of team"})
    agency = forms.ChoiceField(
        label="Partner agency",
        help_text="Only for partner agency teams",
        choices=NO_AGENCY + list(Agency.choices),
        required=False,
    )
    manager = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="No manager",
        error_messages={"invalid_choice": "Select a manager from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "username", "id"
        )


class TeamEditForm(ConcurrencyMixin, TeamForm):
    is_active = forms.BooleanField(label="Team is open", required=False,
                                   help_text="Untick to close the team. Closed teams cannot be given new members")


class AccessLogFilterForm(forms.Form):
    child = forms.CharField(label="Child", help_text="LA child ID or record number", required=False, max_length=64)
    user = forms.CharField(label="User", help_text="Username or name", required=False, max_length=150)
    date_from = GovukDateField(label="From", required=False, help_text="For example, 27 3 2026")
    date_to = GovukDateField(label="To", required=False, help_text="For example, 31 3 2026")
    outcome = forms.ChoiceField(
        choices=[("", "Viewed or refused"), *AccessLog.Outcome.choices], required=False
    )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned
