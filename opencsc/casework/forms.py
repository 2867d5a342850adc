"""Forms: field parsing only. The rules are in services.py."""

from __future__ import annotations

from django import forms
from django.conf import settings

from opencsc.core import events
from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from .models import CaseNote, ChronologyEntry, Meeting, MeetingAttendance, OversightRecord, PlanAction, Visit
from .selectors import visit_kinds


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


def source_choices() -> list[tuple[str, str]]:
    """The chronology's sources by label: one choice for the sources that share a label (its value the
    keys joined by commas, as kinds_chosen reads them)."""
    keys: dict[str, list[str]] = {}
    for source in events.sources():
        keys.setdefault(source.label, []).append(source.key)
    return [(",".join(sorted(group)), label) for label, group in keys.items()]


def kinds_chosen(values) -> list[str]:
    return [key for value in values or () for key in value.split(",")]


class ChronologyFilterForm(forms.Form):
    source = forms.MultipleChoiceField(label="Show", required=False, widget=forms.CheckboxSelectMultiple)
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)
    significant = forms.BooleanField(label="Significant events only", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()

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


# --- Plans, meetings, visits and oversight ------------------------------------------------

ATTENDEE_ROWS = 6
OVERSIGHT_ACTION_ROWS = 4


class PlanActionForm(forms.Form):
    what_must_change = forms.CharField(
        label="What must change for the child", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, Jade is taken to school on time every day",
        error_messages={"required": "Enter what must change for the child"},
    )
    action = forms.CharField(label="What will be done", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter what will be done"})
    responsible = forms.CharField(label="Who will do it", max_length=200, error_messages={
        "required": "Enter who will do this", "max_length": "Who will do it must be 200 characters or fewer"})
    responsible_agency = forms.CharField(label="Their agency (optional)", max_length=100, required=False)
    due_date = GovukDateField(label="By when", help_text="For example, 27 3 2027")
    measure = forms.CharField(
        label="How will you know it has worked", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter how you will know it has worked"},
    )


class PlanEndForm(forms.Form):
    end_date = GovukDateField(label="Date the plan ended", help_text="For example, 27 3 2026")


def _row_values(data: dict, prefix: str, names: tuple[str, ...]) -> dict:
    return {name: data.get(f"{prefix}_{name}") for name in names}


class MeetingForm(forms.Form):
    """A meeting with up to six attendees and progress on each of the plan's open actions."""

    kind = forms.ChoiceField(label="Kind of meeting", choices=Meeting.Kind.choices, error_messages={
        "required": "Select the kind of meeting", "invalid_choice": "Select the kind of meeting"})
    held_on = GovukDateField(label="Date of the meeting", past_only=True, help_text="For example, 27 3 2026")
    chair = forms.CharField(label="Chaired by (optional)", max_length=150, required=False)
    child_attended = forms.BooleanField(label="The child attended", required=False)
    child_contributed = forms.BooleanField(label="The child's views were shared", required=False)
    summary = forms.CharField(label="Summary and decisions", widget=forms.Textarea(attrs={"rows": 6}),
                              required=False)

    ATTENDEE_FIELDS = ("name", "agency", "role", "status")

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_actions = list(actions)
        for i in range(1, ATTENDEE_ROWS + 1):
            self.fields[f"attendee_{i}_name"] = forms.CharField(label=f"Attendee {i}: name", max_length=150,
                                                                required=False)
            self.fields[f"attendee_{i}_agency"] = forms.CharField(label=f"Attendee {i}: agency", max_length=100,
                                                                  required=False)
            self.fields[f"attendee_{i}_role"] = forms.CharField(label=f"Attendee {i}: role", max_length=100,
                                                                required=False)
            self.fields[f"attendee_{i}_status"] = forms.ChoiceField(
                label=f"Attendee {i}: attended?", choices=MeetingAttendance.Status.choices,
                initial=MeetingAttendance.Status.ATTENDED, required=False,
            )
        for item in self.plan_actions:
            self.fields[f"progress_{item.pk}_status"] = forms.ChoiceField(
                label="Progress", required=False, choices=[("", "No update"), *PlanAction.Status.choices])
            self.fields[f"progress_{item.pk}_comment"] = forms.CharField(
                label="Comment on progress", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def attendee_rows(self):
        return [[self[f"attendee_{i}_{name}"] for name in self.ATTENDEE_FIELDS]
                for i in range(1, ATTENDEE_ROWS + 1)]

    def progress_rows(self):
        return [(item, self[f"progress_{item.pk}_status"], self[f"progress_{item.pk}_comment"])
                for item in self.plan_actions]

    def attendance(self) -> list[dict]:
        """Rows with anything typed in them (blank rows are left out)."""
        rows = []
        for i in range(1, ATTENDEE_ROWS + 1):
            row = _row_values(self.cleaned_data, f"attendee_{i}", self.ATTENDEE_FIELDS)
            if any((row[k] or "").strip() for k in ("name", "agency", "role")):
                rows.append(row)
        return rows

    def progress(self) -> list[dict]:
        rows = []
        for item in self.plan_actions:
            status = self.cleaned_data.get(f"progress_{item.pk}_status") or ""
            comment = self.cleaned_data.get(f"progress_{item.pk}_comment") or ""
            if status or comment.strip():
                rows.append({"action": item, "status": status, "comment": comment})
        return rows

    def meeting_values(self) -> dict:
        names = ("kind", "held_on", "chair", "child_attended", "child_contributed", "summary")
        return {name: self.cleaned_data[name] for name in names}


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of visit", choices=Visit.Kind.choices, error_messages={
        "required": "Select the kind of visit", "invalid_choice": "Select the kind of visit"})
    visited_on = GovukDateField(label="Date of the visit", past_only=True, help_text="For example, 27 3 2026")
    child_seen = forms.BooleanField(label="Child seen", required=False)
    child_seen_alone = forms.BooleanField(label="Child seen alone", required=False)
    bedroom_seen = forms.BooleanField(label="Child's bedroom seen", required=False)
    summary = forms.CharField(label="What you saw and heard", widget=forms.Textarea(attrs={"rows": 6}),
                              required=False)
    evidence = forms.ChoiceField(
        label="What the visit counts towards", required=False, widget=forms.RadioSelect,
        help_text="If the child was seen, the date is recorded there", error_messages={
            "invalid_choice": "Select what the visit counts towards from the list"})

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        targets = list(targets)
        if targets:
            self.fields["evidence"].choices = [(t.key, t.label) for t in targets] + [("", "Nothing else")]
            self.fields["evidence"].initial = targets[0].key
        else:
            del self.fields["evidence"]


def _visit_filter_choices():
    return [("", "All visits"), *visit_kinds()]


class VisitFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of visit", required=False, choices=_visit_filter_choices)


class OversightForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type", choices=OversightRecord.Kind.choices, initial=OversightRecord.Kind.MANAGEMENT_OVERSIGHT,
        widget=forms.RadioSelect, error_messages={"required": "Select management oversight or supervision"},
    )
    held_on = GovukDateField(label="Date of the oversight", past_only=True, help_text="For example, 27 3 2026")
    decisions = forms.CharField(label="Decisions and the reasons for them", widget=forms.Textarea(attrs={"rows": 6}),
                                error_messages={"required": "Enter the decisions made"})

    ACTION_FIELDS = ("action", "owner", "due_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, OVERSIGHT_ACTION_ROWS + 1):
            self.fields[f"action_{i}_action"] = forms.CharField(label=f"Action {i}", max_length=1000,
                                                                required=False)
            self.fields[f"action_{i}_owner"] = forms.CharField(label=f"Action {i}: who will do it",
                                                               max_length=150, required=False)
            self.fields[f"action_{i}_due_date"] = GovukDateField(label=f"Action {i}: by when", required=False)

    def action_rows(self):
        return [[self[f"action_{i}_{name}"] for name in self.ACTION_FIELDS]
                for i in range(1, OVERSIGHT_ACTION_ROWS + 1)]

    def actions(self) -> list[dict]:
        rows = []
        for i in range(1, OVERSIGHT_ACTION_ROWS + 1):
            row = _row_values(self.cleaned_data, f"action_{i}", self.ACTION_FIELDS)
            if (row["action"] or "").strip() or (row["owner"] or "").strip() or row["due_date"]:
                rows.append(row)
        return rows

    def record_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("kind", "held_on", "decisions")}


class ChronologyExportForm(forms.Form):
    """What to put in the chronology for court or for the family (the kinds are those the reader may see)."""

    audience = forms.ChoiceField(
        label="Who is it for?", widget=forms.RadioSelect,
        choices=[("court", "The court: social work chronology, with your analysis"),
                 ("family", "The family: a plainer version without the analysis or the names of workers")],
        error_messages={"required": "Select who the chronology is for",
                        "invalid_choice": "Select who the chronology is for"})
    date_from = GovukDateField(label="Date from", required=False, past_only=True,
                               help_text="Leave empty to start at the first event. For example, 27 3 2026")
    date_to = GovukDateField(label="Date to", required=False, past_only=True,
                             help_text="Leave empty to end at today. For example, 27 3 2026")
    kinds = forms.MultipleChoiceField(
        label="Kinds of event", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one kind of event",
                        "invalid_choice": "Select kinds of event from the list"})
    significant = forms.ChoiceField(
        label="Which events?", widget=forms.RadioSelect, initial="no",
        choices=[("no", "All events"), ("yes", "Significant events only")],
        error_messages={"required": "Select whether to include all events or significant events only",
                        "invalid_choice": "Select whether to include all events or significant events only"})
    format = forms.ChoiceField(
        label="Format", widget=forms.RadioSelect,
        choices=[("pdf", "PDF"), ("docx", "Word document")],
        error_messages={"required": "Select a format", "invalid_choice": "Select a format"})

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kinds
        self.fields["kinds"].initial = [key for key, _ in kinds]

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return data


class ChronologyAnalysisForm(ConcurrencyMixin, forms.Form):
    text = forms.CharField(
        label="Your analysis", widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What this event means for the child: the risk, the impact and what it shows about the "
                  "care they receive.",
        error_messages={"required": "Enter your analysis"})


# --- Allocation: the team, then the worker (used by the allocation form and the front door's decision) ---

NOT_YET = "Not yet: leave the child in the team, awaiting allocation"


def _children(count: int) -> str:
    return f"{count} child{'' if count == 1 else 'ren'} allocated"


def worker_label(worker) -> str:
    """'Sam Walker, senior practitioner: 12 children allocated'."""
    count = getattr(worker, "allocated_children", None)
    role = worker.get_role_display().lower() if worker.role else ""
    text = worker.display_name + (f", {role}" if role else "")
    return text if count is None else f"{text}: {_children(count)}"


class AllocationFieldsMixin:
    """A team (radios, the likely team first) and a worker (a list grouped by team, the likely team's first, each
    with the number of children allocated to them now). Only the teams and workers given are offered: pass
    ``casework.selectors.allocation_teams()`` and ``allocatable_workers()``. A worker chosen without a team
    brings their team."""

    team_required = True

    def set_allocation_choices(self, *, teams, workers, likely_team=None) -> None:
        first = likely_team.pk if likely_team is not None else None
        teams = sorted(teams, key=lambda t: t.pk != first)  # stable: otherwise by name
        workers = list(workers)
        self._teams = {str(t.pk): t for t in teams}
        self._workers = {str(w.pk): w for w in workers if str(w.team_id) in self._teams}
        self.fields["team"].choices = [(str(t.pk), t.name) for t in teams]
        groups: dict[str, list] = {str(t.pk): [] for t in teams}
        for worker in self._workers.values():
            groups[str(worker.team_id)].append((str(worker.pk), worker_label(worker)))
        self.fields["worker"].choices = [("", NOT_YET)] + [
            (self._teams[pk].name, options) for pk, options in groups.items() if options]
        if first is not None and not self.is_bound:
            self.initial.setdefault("team", str(first))

    def clean_team(self):
        value = self.cleaned_data.get("team")
        return self._teams.get(value) if value else None

    def clean_worker(self):
        value = self.cleaned_data.get("worker")
        return self._workers.get(value) if value else None

    def clean(self):
        data = super().clean()
        worker = data.get("worker")
        if data.get("team") is None and "team" not in self.errors:
            if worker is not None:
                data["team"] = self._teams[str(worker.team_id)]
            elif self.team_required:
                self.add_error("team", "Select the team")
        return data


def team_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label="Team", widget=forms.RadioSelect, required=False,
                             error_messages={"invalid_choice": "Select a team from the list"}, **kwargs)


def worker_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Worker", required=False, error_messages={"invalid_choice": "Select a worker from the list"},
        help_text="Social workers, senior practitioners and personal advisers, by team, with the number of "
                  "children allocated to each now", **kwargs)
