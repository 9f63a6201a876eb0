"""The filters of the agents' list of experiences."""

from django import forms

from experiences.models import ExperienceState, Feeling, GeneralTag, ResponseStatus
from experiences.selectors.agents import (
    AgentFilters,
    structure_filter_choices,
    structures_named,
    typology_and_tag_choices,
)

# A name matching several structures lists this many (less one) for the agent to choose from.
MATCHES_SHOWN = 11

STATES = {"a-traiter": ExperienceState.TO_PROCESS, "traitees": ExperienceState.PROCESSED}
FEELINGS = {"positif": Feeling.POSITIVE, "neutre": Feeling.NEUTRAL, "negatif": Feeling.NEGATIVE}


class AgentFilterForm(forms.Form):
    """The list's filters, all optional, in the URL so a filtered list can be shared or bookmarked."""

    etat = forms.ChoiceField(
        label="État", required=False, choices=[("", "Toutes"), ("a-traiter", "À traiter"), ("traitees", "Traitées")]
    )
    reponse = forms.ChoiceField(
        label="Statut de la réponse", required=False, choices=[("", "Tous")] + ResponseStatus.choices
    )
    structure = forms.CharField(
        label="Structure",
        required=False,
        max_length=200,
        help_text="Le nom de votre structure ou de l'une de ses structures filles (ou une partie du nom), "
        "ou son code SP+.",
    )
    typologie = forms.TypedChoiceField(label="Typologie", required=False, coerce=int, empty_value=None)
    tag = forms.ChoiceField(label="Tag général", required=False, choices=[("", "Tous")] + GeneralTag.choices)
    valeur_tag = forms.ChoiceField(label="Valeur du tag", required=False, choices=[("", "Toutes")] + Feeling.choices)
    tag_metier = forms.TypedChoiceField(label="Tag métier", required=False, coerce=int, empty_value=None)
    ressenti = forms.ChoiceField(
        label="Ressenti",
        required=False,
        choices=[("", "Tous"), ("positif", "Positif"), ("neutre", "Neutre"), ("negatif", "Négatif")],
    )
    amelioration = forms.BooleanField(label="Amélioration de service à considérer", required=False)
    retard = forms.BooleanField(
        label="En retard", required=False, help_text="Sans réponse au-delà du délai cible de réponse."
    )
    du = forms.DateField(label="Publiées du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label="Mot-clé", required=False, max_length=200)
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            ("", "Les plus récentes d'abord"),
            ("anciennes", "Les plus anciennes d'abord"),
            ("echeance", "Délai cible : les plus urgentes d'abord"),
        ],
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        choices = typology_and_tag_choices(user)
        self.fields["typologie"].choices = [("", "Toutes"), *choices["typologies"]]
        self.fields["tag_metier"].choices = [("", "Tous"), *choices["business_tags"]]
        structures = structure_filter_choices(user)
        if structures is not None:
            self.fields["structure"] = forms.ChoiceField(
                label="Structure",
                required=False,
                choices=[("", "Toutes")] + structures,
                help_text="Votre structure ou l'une de ses structures filles, avec ses propres structures filles.",
                error_messages={"invalid_choice": "Aucune structure de ce code dans votre périmètre."},
            )

    def clean_structure(self):
        text = self.cleaned_data["structure"].strip()
        if not text:
            return None
        matches = list(structures_named(self.user, text)[:MATCHES_SHOWN])
        exact = [s for s in matches if text.casefold() in (s.code.casefold(), s.display_name.casefold())]
        if len(exact) == 1 or len(matches) == 1:
            return (exact or matches)[0]
        if not matches:
            raise forms.ValidationError("Aucune structure de votre périmètre ne porte ce nom ou ce code.")
        listed = " ; ".join(f"{s.display_name} (code {s.code})" for s in matches[: MATCHES_SHOWN - 1])
        more = " ; …" if len(matches) == MATCHES_SHOWN else ""
        raise forms.ValidationError(
            f"Plusieurs structures correspondent : {listed}{more}. Précisez le nom ou indiquez le code SP+."
        )

    def filters(self) -> AgentFilters:
        """The valid criteria; an invalid one is left out (and reported by the form)."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return AgentFilters(
            state=STATES.get(data.get("etat") or "", ""),
            response_status=data.get("reponse") or "",
            structure=data.get("structure"),
            typology_id=data.get("typologie"),
            general_tag=data.get("tag") or "",
            general_tag_value=data.get("valeur_tag") or "",
            business_tag_id=data.get("tag_metier"),
            feeling=FEELINGS.get(data.get("ressenti") or "", ""),
            needs_improvement=bool(data.get("amelioration")),
            published_from=data.get("du"),
            published_to=data.get("au"),
            text=(data.get("q") or "").strip(),
            oldest_first=data.get("tri") == "anciennes",
            by_due_time=data.get("tri") == "echeance",
            late=bool(data.get("retard")),
        )
