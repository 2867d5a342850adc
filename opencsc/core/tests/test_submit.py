"""core.forms.submit, the one form pattern: what it does with a valid POST, a refusal, and no message."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from opencsc.core.audit import StaleRecordError
from opencsc.core.forms import submit


class NameForm(forms.Form):
    name = forms.CharField()


def _post(data):
    return RequestFactory().post("/somewhere/", data)


def test_a_valid_post_runs_the_service_and_redirects_with_or_without_a_message():
    written = []
    form = NameForm({"name": "Ada"})
    response = submit(_post({"name": "Ada"}), form, lambda data: written.append(data["name"]) or 7,
                      success=None, then=lambda result: f"/done/{result}/")
    assert written == ["Ada"] and response.status_code == 302 and response["Location"] == "/done/7/"


@pytest.mark.parametrize("error, where", [
    (ValidationError({"name": "That name is taken"}), "name"),
    (StaleRecordError("Someone else changed this record"), "__all__"),
])
def test_a_refusal_is_shown_on_the_form_and_nothing_redirects(error, where):
    def write(data):
        raise error

    form = NameForm({"name": "Ada"})
    assert submit(_post({"name": "Ada"}), form, write, success="Saved", then="/done/") is None
    assert where in form.errors and form["name"].value() == "Ada"  # what was typed is kept


def test_a_get_or_an_invalid_form_does_not_call_the_service():
    def write(data):
        raise AssertionError("the service must not be called")

    assert submit(RequestFactory().get("/somewhere/"), NameForm(), write, success="Saved", then="/") is None
    form = NameForm({})
    assert submit(_post({}), form, write, success="Saved", then="/", also=[NameForm({"name": "x"})]) is None
    assert "name" in form.errors
