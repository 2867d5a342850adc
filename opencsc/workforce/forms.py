from django import forms

from opencsc.casework.forms import AllocationFieldsMixin, team_field, worker_field
from opencsc.core.forms import ConcurrencyMixin, GovukDateField, ModelMultipleChoiceField

from .models import SupervisionSession, WorkerProfile, WorkforceSettings
from .services import SETTINGS_FIELDS


class AllocationForm(AllocationFieldsMixin, forms.Form):
    team = team_field()
    worker = worker_field()
    start_date = GovukDateField(label="Date of the allocation", past_only=True)
    reason = forms.CharField(label="Reason for the change", max_length=200, required=False,
                             error_messages={"max_length": "Reason must be 200 characters or fewer"})

    def __init__(self, *args, teams, workers, likely_team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_allocation_choices(teams=teams, workers=workers, likely_team=likely_team)


class WorkerProfileForm(ConcurrencyMixin):
    experience = forms.ChoiceField(label="Experience level", choices=WorkerProfile.Experience.choices,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": "Select the worker's experience level"})
    fte = forms.DecimalField(label="Full-time equivalent", min_value=0.1, max_value=1, decimal_places=2,
                             help_text="1.00 for full time, 0.6 for three days a week",
                             error_messages={"required": "Enter the full-time equivalent",
                                             "min_value": "Full-time equivalent must be at least 0.1",
                                             "max_value": "Full-time equivalent must be 1.00 or less",
                                             "invalid": "Full-time equivalent must be a number, like 0.8"})


class SettingsForm(ConcurrencyMixin, forms.ModelForm):
    class Meta:
        model = WorkforceSettings
        fields = SETTINGS_FIELDS


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of supervision", choices=SupervisionSession.Kind.choices,
                             widget=forms.RadioSelect, error_messages={"required": "Select individual or group"})
    held_on = GovukDateField(label="Date of supervision", past_only=True)
    supervisees = ModelMultipleChoiceField(label="Who was supervised", queryset=None,
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": "Select who was supervised"})
    notes = forms.CharField(label="Reflection, wellbeing and development", required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="Kept with the session, not on any child's file")

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisees"].queryset = workers
        self.fields["supervisees"].label_from_instance = lambda u: u.get_full_name() or u.username


class DiscussionForm(forms.Form):
    child = forms.TypedChoiceField(label="Child", coerce=int, required=False, empty_value=None)
    decisions = forms.CharField(label="Decisions and rationale", required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    action = forms.CharField(label="Action", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label="Who will do it", max_length=150, required=False)
    due_date = GovukDateField(label="By when", required=False)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "Select a child")] + [(c.pk, f"{c.full_name} ({c.pk})") for c in children]

    def clean(self):
        data = super().clean()
        if not data.get("child"):
            if any(data.get(k) for k in ("decisions", "action", "owner", "due_date")):
                self.add_error("child", "Select the child discussed")
            return data
        if any(data.get(k) for k in ("action", "owner", "due_date")):
            for name, message in (("action", "Enter the action"), ("owner", "Enter who will do the action"),
                                  ("due_date", "Enter the date the action must be done by")):
                if not data.get(name):
                    self.add_error(name, message)
        return data


class BaseDiscussionFormSet(forms.BaseFormSet):
    def __init__(self, *args, children=(), **kwargs):
        self.children = list(children)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"children": self.children}


DiscussionFormSet = forms.formset_factory(DiscussionForm, formset=BaseDiscussionFormSet, extra=3, max_num=20)


def discussion_rows(formset, children_by_id) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data.get("child"):
            continue
        actions = []
        if data.get("action"):
            actions.append({"action": data["action"], "owner": data["owner"], "due_date": data["due_date"]})
        rows.append({"child": children_by_id[data["child"]], "decisions": data.get("decisions", ""),
                     "actions": actions})
    return rows
