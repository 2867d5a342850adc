"""Forms: field parsing only. The rules are in services.py."""

from __future__ import annotations

from django import forms
from django.conf import settings

from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from . import events
from .models import CaseNote, ChronologyEntry


class CaseNoteForm(forms.Form):
    note_type = forms.ChoiceField(
        label="Type", choices=CaseNote.NoteType.choices, initial=CaseNote.NoteType.CASE_NOTE,
        error_messages={"required": "Select the type of note", "invalid_choice": "Select the type of note"},
    )
    contact_date = GovukDateField(
        label="Date of contact", past_only=True, help_text="For example, 27 3 2026"
    )
    subject = forms.CharField(max_length=200, error_messages={
        "required": "Enter a subject", "max_length": "Subject must be 200 characters or fewer"})
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 10}),
                           error_messages={"required": "Enter the note"})
    child_seen = forms.BooleanField(label="Child seen", required=False)
    child_seen_alone = forms.BooleanField(label="Child seen alone", required=False)


class CaseNoteEditForm(ConcurrencyMixin, CaseNoteForm):
    pass


class CaseNoteFilterForm(forms.Form):
    SEEN_CHOICES = [("", "Any"), ("yes", "Child seen"), ("no", "Child not seen")]

    note_type = forms.ChoiceField(label="Type", required=False,
                                  choices=[("", "All types"), *CaseNote.NoteType.choices])
    seen = forms.ChoiceField(label="Child seen", required=False, choices=SEEN_CHOICES)


class ChronologyEntryForm(forms.Form):
    event_date = GovukDateField(label="Date of event", past_only=True, help_text="For example, 27 3 2026")
    title = forms.CharField(max_length=200, error_messages={
        "required": "Enter a title", "max_length": "Title must be 200 characters or fewer"})
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    significance = forms.ChoiceField(
        choices=ChronologyEntry.Significance.choices, initial=ChronologyEntry.Significance.NORMAL,
        widget=forms.RadioSelect, error_messages={"required": "Select how significant the event is"},
    )


class ChronologyFilterForm(forms.Form):
    source = forms.MultipleChoiceField(label="Show", required=False, widget=forms.CheckboxSelectMultiple)
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)
    significant = forms.BooleanField(label="Significant events only", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s.key, s.label) for s in events.sources()]

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={
        "required": "Enter a title for the document", "max_length": "Title must be 200 characters or fewer"})
    file = forms.FileField(
        label="File",
        error_messages={"required": "Select a file", "empty": "The selected file is empty",
                        "invalid": "Select a file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = settings.OPENCSC_MAX_UPLOAD_BYTES / (1024 * 1024)
        self.fields["file"].help_text = f"A PDF, Word document, text file or image, smaller than {megabytes:g}MB"
