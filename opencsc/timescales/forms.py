"""Forms for the timescale pages: field parsing only; the services decide."""

from __future__ import annotations

from django import forms

from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from .core import CALENDAR_DAYS, MONTHS, RULES, WEEKS, WORKING_DAYS
from .selectors import OUTSTANDING, RAG_LABELS

UNIT_CHOICES = [(WORKING_DAYS, "Working days"), (CALENDAR_DAYS, "Days"), (WEEKS, "Weeks"), (MONTHS, "Months")]
RULE_CHOICES = [("", "All timescales")] + sorted(((r.code, r.name) for r in RULES), key=lambda c: c[1])
STATUS_CHOICES = [("", "Any status")] + [(s, RAG_LABELS[s]) for s in OUTSTANDING]


def _whole_number(label: str, *, minimum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=minimum,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be {minimum} or more",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


def _unit(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=UNIT_CHOICES,
                             error_messages={"required": f"Choose the {label.lower()}",
                                             "invalid_choice": "Choose working days, days, weeks or months"})


CLOSURE_CHOICES = [
    ("skip", "Skip them: closure days are not working days for this timescale"),
    ("count", "Count them as working days, as the DfE's national measures do"),
]
START_DAY_CHOICES = [
    ("no", "Day 0: the first working day after it is day 1, as the DfE counts"),
    ("yes", "Day 1: the day the clock starts counts, if it is a working day"),
]


def _radios(label: str, choices, invalid_message: str) -> forms.ChoiceField:
    # Not required: a form sent without it keeps the current value (the page always shows one chosen).
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, required=False,
                             error_messages={"invalid_choice": invalid_message})


class RuleSettingForm(ConcurrencyMixin, forms.Form):
    """The authority's values for one rule: the timescale itself (local-practice rules only), and for any
    rule counted in working days whether the authority's closure days are skipped and whether the start
    day counts. Values the same as the rule's default are left out (so the default follows the rule)."""

    length = _whole_number("First timescale", minimum=1)
    unit = _unit("Unit of the first timescale")
    then_length = _whole_number("Later timescales", minimum=1)
    then_unit = _unit("Unit of the later timescales")
    amber_length = _whole_number("Show as due soon from", minimum=0)
    amber_unit = _unit("Unit for due soon")
    closures = _radios("The authority's closure days", CLOSURE_CHOICES,
                       "Choose whether to skip the authority's closure days")
    count_start_day = _radios("The day the clock starts", START_DAY_CHOICES,
                              "Choose whether the day the clock starts counts")

    def __init__(self, *args, rule, current=None, **kwargs):
        """``rule``: the rule as published; ``current``: with the authority's values (decides what is shown)."""
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.current = current = current or rule
        if rule.configurable:
            self.fields["amber_length"].help_text = "How long before the due date the timescale shows amber (0: on the day)"
            if rule.is_sequence:
                self.fields["then_length"].help_text = "Each later meeting or visit is due this long after the last one"
            else:
                del self.fields["then_length"]
                del self.fields["then_unit"]
        else:
            for name in ("length", "unit", "then_length", "then_unit", "amber_length", "amber_unit"):
                del self.fields[name]
        if not current.counts_working_days:
            del self.fields["closures"]
            del self.fields["count_start_day"]

    def values(self) -> dict:
        data = self.cleaned_data
        values: dict = {}
        if self.rule.configurable:
            values = {"length": data["length"], "unit": data["unit"],
                      "amber_within": (data["amber_length"], data["amber_unit"])}
            if "then_length" in self.fields:
                values["then"] = [(data["then_length"], data["then_unit"])]
        if "closures" in self.fields:
            skip = data["closures"] == "skip" if data["closures"] else self.current.applies_closures
            if skip != self.rule.applies_closures:
                values["closures"] = skip
        if "count_start_day" in self.fields:
            counts = data["count_start_day"] == "yes" if data["count_start_day"] else self.current.counts_start_day
            if counts != self.rule.counts_start_day:
                values["count_start_day"] = counts
        return values


class ClosureDayForm(forms.Form):
    date = GovukDateField(label="Date of the closure day", future_only=False)
    reason = forms.CharField(label="Why the offices are closed", max_length=200,
                             error_messages={"required": "Enter why the offices are closed"},
                             help_text="For example, Christmas closure")


class MissedReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why was this timescale missed?", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
        error_messages={"required": "Enter why the timescale was missed",
                        "max_length": "Reason must be 2000 characters or fewer"},
    )


class TeamFilterForm(forms.Form):
    team = forms.ChoiceField(label="Team", required=False)
    worker = forms.ChoiceField(label="Worker", required=False)
    rule = forms.ChoiceField(label="Timescale", choices=RULE_CHOICES, required=False)
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, teams, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(str(t.pk), t.name) for t in teams]
        if len(teams) <= 1:
            del self.fields["team"]
        self.fields["worker"].choices = [("", "All workers")] + [(str(w.pk), w.display_name) for w in workers]


class OverdueFilterForm(forms.Form):
    rule = forms.ChoiceField(label="Timescale", choices=RULE_CHOICES, required=False)
    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams")] + [(str(t.pk), t.name) for t in teams]
