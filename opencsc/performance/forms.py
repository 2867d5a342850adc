"""Forms for the scorecard pages: parsing only; the rules are in services.py."""

from __future__ import annotations

from django import forms

from opencsc.core.forms import ConcurrencyMixin

from .indicators import PERCENT, Indicator

MET_CHOICES = [("", "All rows"), ("met", "Met the standard"), ("not_met", "Did not meet the standard"),
               ("not_counted", "Not counted in the figure")]


class TargetForm(ConcurrencyMixin, forms.Form):
    target = forms.FloatField(label="Target", error_messages={"required": "Enter a target",
                                                              "invalid": "Enter the target as a number"})
    amber_tolerance = forms.FloatField(
        label="Amber tolerance", min_value=0,
        error_messages={"required": "Enter an amber tolerance", "invalid": "Enter the tolerance as a number",
                        "min_value": "Enter an amber tolerance of 0 or more"})

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        unit = "a percentage, like 85 for 85%" if indicator.kind == PERCENT else (
            "days" if indicator.kind == "average" else "children per worker")
        direction = "or above" if indicator.better == "higher" else "or below"
        self.fields["target"].help_text = f"In {unit}. A figure at {direction} the target is on target."
        self.fields["amber_tolerance"].help_text = (
            "How far short of the target a figure can be and still be near target (amber) rather than off "
            "target (red).")


class CommentaryForm(forms.Form):
    text = forms.CharField(label="Commentary", widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="Why the figure is what it is, and what is being done about it.",
                           error_messages={"required": "Enter your commentary"})
