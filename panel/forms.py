"""The tester panel's sign-up form and the yes/no answer to an invitation."""

from django import forms

from panel.models import AgeRange, Answer, Availability, DigitalEase, Interest
from structures.models import Department

CONSENT_LABEL = (
    "J'accepte que Services Publics+ conserve ces informations pour me proposer de tester des documents"
    " ou des démarches administratives. Je peux quitter le panel à tout moment depuis le lien présent"
    " dans chaque e-mail, ce qui supprime mes informations."
)


class PanelSignUpForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        help_text="Format attendu : nom@domaine.fr. Elle n'est jamais affichée ni transmise.",
        error_messages={
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Cette adresse e-mail n'est pas valide.",
        },
    )
    age_range = forms.ChoiceField(
        label="Tranche d'âge",
        choices=[("", "Choisir une tranche d'âge"), *AgeRange.choices],
        error_messages={"required": "Choisissez votre tranche d'âge."},
    )
    department = forms.ModelChoiceField(
        label="Département de résidence",
        queryset=Department.objects.order_by("code"),
        empty_label="Choisir un département",
        error_messages={"required": "Choisissez votre département."},
    )
    digital_ease = forms.ChoiceField(
        label="Votre aisance avec les démarches en ligne",
        choices=DigitalEase.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez votre aisance avec les démarches en ligne."},
    )
    interests = forms.MultipleChoiceField(
        label="Ce que vous aimeriez tester",
        choices=Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un type de document ou de démarche."},
    )
    availability = forms.ChoiceField(
        label="Vos disponibilités",
        choices=Availability.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez vos disponibilités."},
    )
    consent = forms.BooleanField(
        label=CONSENT_LABEL, error_messages={"required": "Votre accord est nécessaire pour rejoindre le panel."}
    )
    # A field people never see (hidden by CSS and from assistive technologies): robots fill it.
    website = forms.CharField(required=False, label="Ne pas remplir ce champ")

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def registration(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key] for key in ("email", "age_range", "department", "digital_ease", "interests", "availability")
        }


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Votre réponse",
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez « Oui » ou « Non »."},
    )
