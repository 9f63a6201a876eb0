"""Forms of the agents' back-office over experiences: list filters, answer, qualification, routing, comments."""

from django import forms

from accounts.models import PolitenessFormula, Signature
from actions.models import ImprovementAction
from experiences.models import (
    Channel,
    ExperienceState,
    Feeling,
    GeneralTag,
    ResponseStatus,
)
from experiences.selectors.agents import AgentFilters, scoped_structures, structure_filter_choices, structures_named
from experiences.services.handling import COMMENT_MAX_LENGTH
from experiences.services.responses import BODY_MAX_LENGTH
from structures.models import BusinessTag, Structure, Typology
from structures.permissions import Action

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
    du = forms.DateField(label="Publiées du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label="Mot-clé", required=False, max_length=200)
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[("", "Les plus récentes d'abord"), ("anciennes", "Les plus anciennes d'abord")],
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        networks = scoped_structures(user).values("network_id")
        self.fields["typologie"].choices = [("", "Toutes")] + list(
            Typology.objects.filter(network__in=networks).order_by("name").values_list("pk", "name")
        )
        self.fields["tag_metier"].choices = [("", "Tous")] + list(
            BusinessTag.objects.filter(network__in=networks).order_by("name").values_list("pk", "name")
        )
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
        )


# The choice meaning « the text already stored on this answer », whoever's profile it came from.
CURRENT_TEXT = "actuelle"


def _same_text(first: str, second: str) -> bool:
    return first.replace("\r\n", "\n").strip() == second.replace("\r\n", "\n").strip()


class ResponseForm(forms.Form):
    """The answer, then a politeness formula and a signature chosen among the agent's own (seed 003).

    Choices are the profile rows' ids, never their texts: a browser posts a multi-line option value
    with CRLF line breaks, so a text used as value never matched what was sent. The answer's own
    texts stay selectable as CURRENT_TEXT, since they may come from another agent's profile (a
    colleague's draft, a published answer) or from a profile entry changed since.
    """

    body = forms.CharField(
        label="Votre réponse",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Écrivez le texte de la réponse."},
    )
    formula = forms.ChoiceField(label="Formule de politesse", required=False)
    signature = forms.ChoiceField(label="Signature", required=False)

    def __init__(self, *args, user, response=None, **kwargs):
        super().__init__(*args, **kwargs)
        if response is not None:
            self.initial.setdefault("body", response.body)
        self.texts = {}
        for name, model, none_label in (
            ("formula", PolitenessFormula, "Sans formule"),
            ("signature", Signature, "Sans signature"),
        ):
            own = dict(model.objects.filter(user=user).order_by("position", "pk").values_list("pk", "text"))
            self.texts[name] = {str(pk): text for pk, text in own.items()}
            self.fields[name].choices = [("", none_label)] + list(self.texts[name].items())
            stored = getattr(response, name, "") if response is not None else ""
            if stored:
                self.initial.setdefault(name, self._keep_stored(name, stored))

    def _keep_stored(self, name: str, stored: str) -> str:
        """The choice showing the answer's stored text: the profile's row if it has the same text, else CURRENT_TEXT."""
        for value, text in self.texts[name].items():
            if _same_text(text, stored):
                return value
        self.texts[name][CURRENT_TEXT] = stored
        none, *own = self.fields[name].choices
        self.fields[name].choices = [none, (CURRENT_TEXT, f"{stored} (texte actuel de la réponse)"), *own]
        return CURRENT_TEXT

    def clean_formula(self) -> str:
        return self.texts["formula"].get(self.cleaned_data["formula"], "")

    def clean_signature(self) -> str:
        return self.texts["signature"].get(self.cleaned_data["signature"], "")


class ModifyResponseForm(ResponseForm):
    notify_author = forms.BooleanField(
        label="Modification importante : prévenir l'usager par e-mail",
        required=False,
        help_text="Le statut devient « Réponse modifiée avec notification ». Laissez décoché pour une simple "
        "correction (coquille, mise en forme).",
    )


def channel_field_name(row_id: int, channel: str) -> str:
    return f"canal_{row_id}_{channel}"


CHANNEL_USE = [("", "Non utilisé"), ("used", "Utilisé, sans ressenti")] + Feeling.choices


class QualificationForm(forms.Form):
    """General tags, « amélioration à considérer», and per organism its channels and business tags."""

    needs_improvement = forms.BooleanField(label="Amélioration de service à considérer", required=False)

    def __init__(self, *args, assignment, rows, general_tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["needs_improvement"].initial = assignment.needs_improvement
        for tag in GeneralTag:
            self.fields[f"tag_{tag.value}"] = forms.ChoiceField(
                label=tag.label,
                required=False,
                choices=[("", "Non retenu")] + Feeling.choices,
                initial=general_tags.get(tag.value, ""),
            )
        network_tags = list(BusinessTag.objects.filter(network_id=assignment.structure.network_id).order_by("name"))
        for row in rows:
            used = {c.channel: (c.feeling or "used") for c in row.channels.all()}
            for channel in Channel:
                self.fields[channel_field_name(row.pk, channel.value)] = forms.ChoiceField(
                    label=channel.label, required=False, choices=CHANNEL_USE, initial=used.get(channel.value, "")
                )
            if network_tags:
                self.fields[f"tags_{row.pk}"] = forms.MultipleChoiceField(
                    label="Tags métier",
                    required=False,
                    choices=[(str(t.pk), t.name) for t in network_tags],
                    initial=[
                        str(t.pk) for t in row.business_tags.all() if t.network_id == assignment.structure.network_id
                    ],
                    widget=forms.CheckboxSelectMultiple,
                )

    def general_tags(self) -> dict[str, str]:
        return {tag.value: self.cleaned_data.get(f"tag_{tag.value}", "") for tag in GeneralTag}

    def channels(self) -> dict[int, dict[str, str]]:
        chosen = {}
        for row in self.rows:
            values = {c.value: self.cleaned_data.get(channel_field_name(row.pk, c.value), "") for c in Channel}
            chosen[row.pk] = {c: ("" if v == "used" else v) for c, v in values.items() if v}
        return chosen

    def business_tags(self) -> dict[int, list[int]]:
        return {
            row.pk: [int(pk) for pk in self.cleaned_data.get(f"tags_{row.pk}", [])]
            for row in self.rows
            if f"tags_{row.pk}" in self.fields
        }

    def row_fields(self):
        """(row, its channel fields, its business tags field) for the template."""
        for row in self.rows:
            channels = [self[channel_field_name(row.pk, c.value)] for c in Channel]
            tags = self[f"tags_{row.pk}"] if f"tags_{row.pk}" in self.fields else None
            yield row, channels, tags

    def tag_fields(self):
        return [self[f"tag_{tag.value}"] for tag in GeneralTag]


class MoveForm(forms.Form):
    child = forms.ModelChoiceField(
        label="Structure fille", queryset=Structure.objects.none(), empty_label="Choisissez une structure"
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = Structure.objects.filter(parent=structure, is_active=True).order_by("name")


class TransferForm(forms.Form):
    to_structure = forms.CharField(
        label="Structure à qui transférer (code SP+)",
        max_length=10,
        help_text="Le code SP+ de la structure, dans votre réseau ou un autre.",
        error_messages={"required": "Indiquez le code SP+ de la structure."},
    )
    reason = forms.CharField(
        label="Motif de la demande",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Expliquez pourquoi l'expérience doit être transférée."},
    )

    def clean_to_structure(self):
        code = self.cleaned_data["to_structure"].strip()
        structure = Structure.objects.filter(code=code, is_active=True).first()
        if structure is None:
            raise forms.ValidationError("Aucune structure active ne porte ce code SP+.")
        return structure


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Commentaire interne",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible des agents des structures concernées et de la DITP, jamais de l'usager.",
        error_messages={"required": "Écrivez votre commentaire."},
    )


class LinkActionForm(forms.Form):
    action = forms.ModelChoiceField(
        label="Action d'amélioration", queryset=ImprovementAction.objects.none(), empty_label="Choisissez une action"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        manageable = scoped_structures(user, Action.MANAGE_ACTIONS).values("pk")
        self.fields["action"].queryset = (
            ImprovementAction.objects.filter(structure__in=manageable)
            .select_related("structure")
            .order_by("-engaged_on")
        )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label="Ce qui est à revoir", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
