"""Input parsing and French error messages of « Signaler un document complexe »."""

from django import forms

from common.exceptions import Refused
from common.forms import PublicFormMixin
from structures.models import Typology

from .models import DESCRIPTION_MAX_LENGTH, DESCRIPTION_MIN_LENGTH, TITLE_MAX_LENGTH, DocumentKind
from .uploads import TOO_BIG, CleanDocument, clean_document


class ReportForm(PublicFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Quel type de document ?",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez le type de document : courrier, e-mail, formulaire, site internet ou autre.",
            "invalid_choice": "Choisissez le type de document parmi les propositions.",
        },
    )
    title = forms.CharField(
        label="Quel document ?",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Nommez le document, par exemple « avis de taxe foncière » ou « formulaire de demande"
            " d'aide ».",
            "max_length": "Le nom du document compte au plus %(limit_value)d caractères (vous en avez saisi"
            " %(show_value)d).",
        },
    )
    description = forms.CharField(
        label="Qu'est-ce qui est difficile à comprendre, et pourquoi ?",
        min_length=DESCRIPTION_MIN_LENGTH,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Expliquez ce qui est difficile à comprendre dans ce document.",
            "min_length": "Votre explication compte au moins %(limit_value)d caractères (vous en avez saisi"
            " %(show_value)d) : précisez ce qui pose problème.",
            "max_length": "Votre explication compte au plus %(limit_value)d caractères (vous en avez saisi"
            " %(show_value)d).",
        },
    )
    typology = forms.ModelChoiceField(
        label="L'administration concernée",
        queryset=Typology.objects.all(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Cette administration n'existe pas : choisissez-en une parmi les propositions."
        },
    )
    organism_name = forms.CharField(
        label="Nom de l'administration, si vous ne la trouvez pas dans les propositions",
        max_length=200,
        required=False,
        error_messages={"max_length": "Le nom de l'administration compte au plus %(limit_value)d caractères."},
    )
    document = forms.FileField(
        label="Le document (facultatif)",
        required=False,
        error_messages={"invalid": "Le fichier envoyé n'a pas pu être lu : joignez-le de nouveau."},
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse e-mail pour être informé de la suite donnée à votre signalement.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
        },
    )
    # Honeypot: hidden from people and assistive technologies; only robots fill it.
    website = forms.CharField(label="Ne pas remplir ce champ", required=False)

    def __init__(self, *args, suggested: list[Typology] = (), upload_too_big: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested = list(suggested)
        self.upload_too_big = upload_too_big
        chosen = self.data.get("typology", "") if self.is_bound else ""
        # The radios offer the suggestions, and the one already chosen if the new text no longer suggests it.
        extra = [t for t in Typology.objects.filter(pk=chosen)] if chosen.isdigit() else []
        self.choices = list(dict.fromkeys(extra + self.suggested))

    def clean_document(self) -> CleanDocument | None:
        if self.upload_too_big:
            raise forms.ValidationError(TOO_BIG)
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        try:
            return clean_document(upload)
        except Refused as refusal:
            raise forms.ValidationError(refusal.message) from refusal

    def clean(self):
        cleaned = super().clean()
        if "typology" in cleaned and not cleaned["typology"] and not cleaned.get("organism_name", "").strip():
            self.add_error(
                "typology",
                "Choisissez l'administration parmi les propositions, ou saisissez son nom.",
            )
        return cleaned

    def submission(self) -> dict:
        """Keyword arguments of `submit_report`, once the form is valid."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "email": data["email"],
            "typology": data["typology"],
            "organism_name": data["organism_name"],
            "document": data["document"],
        }
