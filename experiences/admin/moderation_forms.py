"""The moderation page's form (corrections, routing, general tags, decision) and the bulk rejection form."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from common.admin import LabelledInlineFormSet
from structures.models import Structure

from ..models import (
    MAX_STRUCTURES,
    Assignment,
    ExperienceToModerate,
    Feeling,
    GeneralTag,
    ModerationState,
    RejectionReason,
)
from ..selectors.routing import suggest_routing
from ..services.moderation import PUBLISH, REJECT, TO_MODIFY

DECISIONS = [
    ("", "Enregistrer les corrections sans décider"),
    (PUBLISH, "Publier et orienter vers les structures choisies"),
    (REJECT, "Rejeter"),
    (TO_MODIFY, "Demander à l'auteur de modifier son expérience"),
]


def tag_field(tag: GeneralTag) -> forms.ChoiceField:
    return forms.ChoiceField(label=tag.label, choices=[("", "— non retenu")] + Feeling.choices, required=False)


class ModerationForm(forms.ModelForm):
    structures = forms.ModelMultipleChoiceField(
        queryset=Structure.objects.filter(is_active=True),
        required=False,
        label="Structures destinataires (1 à 3)",
        widget=AutocompleteSelectMultiple(Assignment._meta.get_field("structure"), admin.site),
    )
    tag_accessibility = tag_field(GeneralTag.ACCESSIBILITY)
    tag_information = tag_field(GeneralTag.INFORMATION)
    tag_relation = tag_field(GeneralTag.RELATION)
    tag_reactivity = tag_field(GeneralTag.REACTIVITY)
    tag_simplicity = tag_field(GeneralTag.SIMPLICITY)
    decision = forms.ChoiceField(label="Décision", choices=DECISIONS, required=False, widget=forms.RadioSelect)
    rejection_reason = forms.ChoiceField(
        label="Motif du rejet", choices=[("", "—")] + RejectionReason.choices, required=False
    )
    message = forms.CharField(
        label="Message à l'auteur",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Rejet : précisions facultatives, jointes au motif. Demande de modification : ce que l'auteur "
        "doit changer (obligatoire). Le message lui est envoyé par e-mail.",
    )

    class Meta:
        model = ExperienceToModerate
        fields = ("title", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        experience = self.instance
        self.suggestions = suggest_routing(experience) if experience.pk else []
        routed = list(experience.assignments.order_by("position").values_list("structure_id", flat=True))
        self.fields["structures"].initial = routed or [s.structure.pk for s in self.suggestions]
        self.fields["structures"].help_text = self._suggestion_help()
        values = dict(experience.general_tags.values_list("tag", "value")) if experience.pk else {}
        for tag in GeneralTag:
            self.fields[f"tag_{tag.value}"].initial = values.get(tag.value, "")

    def _suggestion_help(self):
        if not self.suggestions:
            return "Aucune suggestion : choisissez d'abord une typologie (ci-dessous), ou cherchez la structure."
        lines = format_html_join(
            "", "<li><strong>{}</strong> ({}) — {}</li>", ((s.structure, s.typology, s.why) for s in self.suggestions)
        )
        return format_html("Pré-rempli avec la suggestion d'orientation :<ul>{}</ul>", lines)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        structures = cleaned.get("structures") or []
        if decision == PUBLISH and not 1 <= len(structures) <= MAX_STRUCTURES:
            self.add_error("structures", "Pour publier, choisissez entre une et trois structures.")
        if decision == REJECT and not cleaned.get("rejection_reason"):
            self.add_error("rejection_reason", "Choisissez le motif du rejet.")
        if decision == TO_MODIFY and not (cleaned.get("message") or "").strip():
            self.add_error("message", "Expliquez à l'auteur ce qu'il doit modifier.")
        if decision == TO_MODIFY and self.instance.moderation_state != ModerationState.SUBMITTED:
            self.add_error(
                "decision", "Une modification a déjà été demandée à l'auteur : attendez sa nouvelle version."
            )
        return cleaned

    def moderation(self) -> dict:
        """The arguments of services.moderation.moderate_experience that this page sets."""
        cleaned = self.cleaned_data
        return {
            "title": cleaned["title"],
            "description": cleaned["description"],
            "general_tags": {tag.value: cleaned.get(f"tag_{tag.value}", "") for tag in GeneralTag},
            "decision": cleaned.get("decision", ""),
            "structures": list(cleaned.get("structures") or []),
            "reason": cleaned.get("rejection_reason", ""),
            "message": cleaned.get("message", ""),
        }


class ModerationTypologyFormSet(LabelledInlineFormSet):
    def clean(self):
        super().clean()
        if self.data.get("decision") != PUBLISH:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("typology")
        ]
        if not kept:
            raise ValidationError("Pour publier, choisissez au moins une typologie : elle détermine l'orientation.")


class BulkRejectForm(forms.Form):
    reason = forms.ChoiceField(label="Motif du rejet", choices=RejectionReason.choices)
    message = forms.CharField(
        label="Précisions pour les auteurs (facultatif)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
