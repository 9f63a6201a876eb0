"""The diagnostic's forms: the structure to diagnose, one commitment's page, the history and consolidation filters."""

from django import forms
from django.utils import timezone

from diagnostics.models import AnswerValue, Question

LOCAL_SCALE = [(v, label) for v, label in AnswerValue.choices if v != AnswerValue.NOT_LOCAL]
REQUIRED = "Répondez à cette question pour passer à la page suivante."


class StartForm(forms.Form):
    structure = forms.ModelChoiceField(
        queryset=None,
        label="Structure diagnostiquée (code SP+)",
        empty_label=None,
        error_messages={"invalid_choice": "Choisissez l'une de vos structures."},
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["structure"].label_from_instance = lambda s: f"{s.code} — {s.display_name}"


class CommitmentPageForm(forms.Form):
    """One radio group per question of the commitment, then the team's note. `complete=False` (going back,
    saving a draft) keeps whatever is answered; going forward needs every answer (seed 003)."""

    note = forms.CharField(
        label="Points forts et pistes d'amélioration de l'équipe pour cet engagement",
        help_text="Facultatif. Ce texte accompagne les résultats et peut nourrir une action d'amélioration.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, questions: list[Question], complete: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[self.field_name(question)] = forms.ChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=AnswerValue.choices if question.concerns_network else LOCAL_SCALE,
                widget=forms.RadioSelect,
                required=complete,
                error_messages={"required": REQUIRED, "invalid_choice": "Choisissez l'une des réponses proposées."},
            )
        self.order_fields([self.field_name(q) for q in questions] + ["note"])

    @staticmethod
    def field_name(question: Question) -> str:
        return f"question_{question.pk}"

    def question_fields(self):
        return [(question, self[self.field_name(question)]) for question in self.questions]

    def answers(self) -> dict[int, str]:
        """Question id → value, for the questions answered validly."""
        data = self.cleaned_data if self.is_bound else {}
        return {q.pk: data[self.field_name(q)] for q in self.questions if data.get(self.field_name(q))}


class HistoryForm(forms.Form):
    diagnostic = forms.TypedChoiceField(label="Filtrer par date d'enregistrement", coerce=int, required=False)

    def __init__(self, *args, diagnostics, **kwargs):
        super().__init__(*args, **kwargs)
        dates = [(d.pk, f"{timezone.localdate(d.completed_at):%d/%m/%Y}") for d in diagnostics]
        self.fields["diagnostic"].choices = dates


class ConsolidationForm(forms.Form):
    """The parent structure (its SP+ code) or, for a network referent, the whole network; then the filters."""

    structure = forms.CharField(label="Structure mère (code SP+)", required=False, max_length=50)
    reseau = forms.TypedChoiceField(label="Ou le réseau entier", coerce=int, required=False, empty_value=None)
    typologie = forms.TypedChoiceField(label="Typologie de structure", coerce=int, required=False, empty_value=None)
    annee = forms.TypedChoiceField(label="Année", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, networks, typologies, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reseau"].choices = [("", "—")] + [(n.pk, n.name) for n in networks]
        self.fields["typologie"].choices = [("", "Toutes les typologies")] + [(t.pk, t.name) for t in typologies]
        self.fields["annee"].choices = [("", "Dernier diagnostic de chaque structure")] + [(y, str(y)) for y in years]
