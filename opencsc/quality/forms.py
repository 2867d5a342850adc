from django import forms

from opencsc.core.forms import ConcurrencyMixin, GovukDateField

from .models import AuditQuestion, Grade, ThemedAudit

GRADE_OR_NONE = [("", "No grade")] + list(Grade.choices)
ACTION_ROWS = 3


class QuestionForm(forms.ModelForm):
    class Meta:
        model = AuditQuestion
        fields = ["area", "text", "guidance", "order", "is_active"]
        widgets = {"area": forms.RadioSelect, "guidance": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Enter the question"},
                          "area": {"required": "Select what the question is about"}}


class QuestionEditForm(ConcurrencyMixin, QuestionForm):
    pass


class AuditForm(ConcurrencyMixin):
    """The audit: an answer to each question in use, an overall grade, and up to three actions."""

    def __init__(self, *args, questions, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=f"{number}. {question.text}", help_text=question.guidance,
                widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": f"Answer question {number}"})
            self.fields[f"q{question.pk}_grade"] = forms.ChoiceField(
                label=f"Grade for question {number}", choices=GRADE_OR_NONE, required=False)
        self.fields["summary"] = forms.CharField(
            label="What life is like for the child, and what difference the work has made",
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"required": "Describe what life is like for the child and what difference the work has made"})
        self.fields["grade"] = forms.ChoiceField(label="Overall grade", choices=Grade.choices, widget=forms.RadioSelect,
                                                 error_messages={"required": "Select the overall grade"})
        self.fields["audited_on"] = GovukDateField(label="Date of the audit", past_only=True)
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}"] = forms.CharField(label=f"Action {n}", required=False,
                                                         widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"owner_{n}"] = forms.ModelChoiceField(label=f"Who will do action {n}", queryset=owners,
                                                               required=False)
            self.fields[f"owner_{n}"].label_from_instance = lambda u: u.get_full_name() or u.username
            self.fields[f"due_{n}"] = GovukDateField(label=f"Action {n} by when", required=False)

    def answer_fields(self):
        return [(self[f"q{q.pk}"], self[f"q{q.pk}_grade"]) for q in self.questions]

    def action_fields(self):
        return [(self[f"action_{n}"], self[f"owner_{n}"], self[f"due_{n}"]) for n in range(1, ACTION_ROWS + 1)]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {q.pk: {"comment": data.get(f"q{q.pk}", ""), "grade": data.get(f"q{q.pk}_grade", "")}
                for q in self.questions}

    def actions(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for n in range(1, ACTION_ROWS + 1):
            row = {"action": data.get(f"action_{n}"), "owner": data.get(f"owner_{n}"), "due_date": data.get(f"due_{n}")}
            if any(row.values()):
                rows.append(row)
        return rows


class ModerationForm(forms.Form):
    grade = forms.ChoiceField(label="Moderator's grade", choices=Grade.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Select the moderator's grade"})
    moderated_on = GovukDateField(label="Date of moderation", past_only=True)
    comments = forms.CharField(label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ThemedAuditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=150, error_messages={"required": "Enter a title"})
    cohort_kind = forms.ChoiceField(label="Cohort", choices=ThemedAudit.Cohort.choices, widget=forms.RadioSelect,
                                    error_messages={"required": "Select the cohort"})
    team = forms.ModelChoiceField(label="Team (optional)", queryset=None, required=False,
                                  help_text="Only children the team holds now")
    sample_size = forms.IntegerField(label="How many children to sample", min_value=1, max_value=200,
                                     error_messages={"required": "Enter how many children to sample",
                                                     "min_value": "Sample at least 1 child",
                                                     "max_value": "Sample at most 200 children",
                                                     "invalid": "Enter a whole number"})

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class AuditFilterForm(forms.Form):
    team = forms.ChoiceField(label="Team", required=False)
    grade = forms.ChoiceField(label="Grade", choices=[("", "Any grade")] + list(Grade.choices), required=False)
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), ("in_progress", "In progress"), ("completed", "Completed")])
    quarter = forms.DateField(widget=forms.HiddenInput, required=False)
    theme = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "Any team")] + [(str(t.pk), t.name) for t in teams]
