from django import forms

from opencsc.core.forms import ConcurrencyMixin, ModelMultipleChoiceField
from opencsc.people.models import Child


class ApproveForm(forms.Form):
    children = ModelMultipleChoiceField(
        queryset=Child.objects.all(), widget=forms.CheckboxSelectMultiple, label="Records to destroy",
        error_messages={"required": "Select the records to approve for destruction",
                        "invalid_choice": "Select records from the list",
                        "invalid_pk_value": "Select records from the list"})
    reason = forms.CharField(
        label="Why these records may be destroyed", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the retention review of March 2027. The person who confirms will see it",
        error_messages={"required": "Enter why these records may be destroyed"})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        choices=[("confirm", "Confirm: destroy these records now"), ("decline", "Decline: destroy nothing")],
        error_messages={"required": "Select whether you confirm or decline the destruction"})
    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you decline")


class RuleForm(ConcurrencyMixin):
    years = forms.IntegerField(
        label="Years", min_value=0, max_value=200,
        error_messages={"required": "Enter the number of years", "invalid": "Enter the number of years as a "
                        "whole number", "min_value": "Enter a number of years of 0 or more",
                        "max_value": "Enter a number of years of 200 or fewer"})
    after_death_years = forms.IntegerField(
        label="Years after the death of a child who died before 18", min_value=0, max_value=200, required=False,
        error_messages={"invalid": "Enter the number of years as a whole number",
                        "min_value": "Enter a number of years of 0 or more",
                        "max_value": "Enter a number of years of 200 or fewer"})

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years"].help_text = (
            f"From {rule.get_runs_from_display().lower()}. At least {rule.minimum_years}"
            + (" (the law's minimum)" if rule.is_statutory else " (the local floor)"))
        if rule.minimum_after_death_years is None:
            del self.fields["after_death_years"]
        else:
            self.fields["after_death_years"].help_text = (
                f"At least {rule.minimum_after_death_years}. Leave it empty to keep the records for the whole "
                "period whatever happens")


class HoldForm(forms.Form):
    la_child_id = forms.CharField(
        label="LA child ID", max_length=20, error_messages={"required": "Enter the child's LA child ID"})
    reason = forms.CharField(
        label="Why the records must be kept", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a claim against the authority, an inquiry, or a request for the records",
        error_messages={"required": "Enter why the records must be kept"})


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label="Why the hold can be released", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the hold can be released"})
