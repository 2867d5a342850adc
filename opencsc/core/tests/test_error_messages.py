"""Error messages in the words of the GOV.UK Design System: Django's own messages are said again, naming the
field; a message a form sets itself is kept; and no message a person reads uses jargon."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template

from opencsc.core.forms import plain_errors
from opencsc.people.validators import normalise_nhs_number, normalise_upn

OPENCSC = Path(__file__).resolve().parents[2]


class _Form(forms.Form):
    carer = forms.CharField(label="Carer or provider name", max_length=5)
    nhs = forms.CharField(label="NHS number")
    legal_status = forms.ChoiceField(label="Legal status", choices=[("C2", "Full care order (C2)")])
    distance = forms.DecimalField(label="Distance from home (km)", decimal_places=1, min_value=0)
    years = forms.IntegerField(label="Number of years", max_value=99, required=False)
    inside = forms.TypedChoiceField(label="Is the placement inside the authority's area?",
                                    choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    own = forms.CharField(label="Summary", error_messages={"required": "Enter a summary of the visit"})


@pytest.mark.parametrize("data, field, expected", [
    ({"carer": "Mr and Mrs Okafor"}, "carer", "Carer or provider name must be 5 characters or fewer"),
    ({}, "carer", "Enter the carer or provider name"),
    ({}, "nhs", "Enter the NHS number"),
    ({}, "legal_status", "Select the legal status"),
    ({"legal_status": "C9"}, "legal_status", "Select the legal status from the list"),
    ({"distance": "2.35"}, "distance", "Distance from home (km) must have no more than 1 decimal place"),
    ({"distance": "-1"}, "distance", "Distance from home (km) must be 0 or more"),
    ({"distance": "far"}, "distance", "Distance from home (km) must be a number"),
    ({"years": "ten"}, "years", "Number of years must be a whole number"),
    ({"years": "100"}, "years", "Number of years must be 99 or less"),
    ({}, "inside", "Select yes or no"),
    ({}, "own", "Enter a summary of the visit"),  # the form's own words are kept
])
def test_djangos_messages_are_said_plainly(data, field, expected):
    form = _Form(data)
    assert not form.is_valid()
    plain_errors(form)
    plain_errors(form)  # once only, however many tags ask
    assert form.errors[field] == [expected]


def test_the_error_summary_and_the_field_say_the_same_words():
    form = _Form({"legal_status": "C9"})
    form.is_valid()
    html = Template("{% govuk_error_summary form %}{% govuk_field form.legal_status %}").render(
        Context({"form": form}))
    assert html.count("Select the legal status from the list") == 2
    assert "Select a valid choice" not in html and "C9 is not one of" not in html


@pytest.mark.parametrize("check, value, expected", [
    (normalise_nhs_number, "943 476 5918", "Enter a valid NHS number, like 943 476 5919"),
    (normalise_nhs_number, "12345", "NHS number must be 10 digits, like 943 476 5919"),
    (normalise_upn, "A801200005001", "Enter a valid UPN, like A123456789012"),
])
def test_identifier_errors_give_an_example_not_the_arithmetic(check, value, expected):
    with pytest.raises(forms.ValidationError) as refused:
        check(value)
    assert refused.value.messages == [expected]


JARGON = re.compile(r"check digit|check letter|\bnull\b|\binvalid\b|[a-z]+_[a-z_]+", re.IGNORECASE)
MESSAGE = re.compile(r"""(?:ValidationError\(\s*|errors\[[^\]]+\]\s*=\s*|"(?:required|invalid[a-z_]*)":\s*)"""
                     r"""f?"([^"]+)\"""")


def test_no_error_message_in_the_code_uses_jargon():
    found = []
    for path in sorted(OPENCSC.rglob("*.py")):
        if {"tests", "migrations", "browser_tests"} & set(path.relative_to(OPENCSC).parts):
            continue
        for message in MESSAGE.findall(path.read_text(encoding="utf-8")):
            words = re.sub(r"\{[^}]*\}", "", message)  # an f-string's values are not its words
            if JARGON.search(words):
                found.append(f"{path.relative_to(OPENCSC)}: {message}")
    assert not found, "Error messages with jargon:\n" + "\n".join(found)
