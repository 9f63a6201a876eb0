"""The agents' improvement action form: input parsing and French error messages; services decide."""

import re

from django import forms

from actions.models import COMMITMENT_CHOICES, ImprovementAction, ImprovementActionStatus
from actions.selectors import manageable_structures
from experiences.models import Experience, GeneralTag
from experiences.selectors.actions import linkable_experiences
from experiences.services.actions import NOT_LINKABLE
from structures.models import Structure

PUBLIC_ID_REGEX = re.compile(r"\A\d{6,7}\Z")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ImprovementActionForm(forms.Form):
    """Create or edit an action. `structures` is the list for a <select>, or None for a code to type."""

    structure = forms.CharField(label="Structure", max_length=10)
    title = forms.CharField(
        label="Titre",
        max_length=230,
        help_text="230 caractères au plus. Les usagers le liront une fois l'action publiée.",
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ce qui change pour les usagers, et pourquoi.",
    )
    status = forms.ChoiceField(
        label="État", choices=ImprovementActionStatus.choices, widget=forms.RadioSelect, initial="engaged"
    )
    engaged_on = forms.DateField(label="Date d'engagement", widget=DateInput)
    done_on = forms.DateField(
        label="Date de réalisation",
        required=False,
        widget=DateInput,
        help_text="Obligatoire si l'action est réalisée, et seulement dans ce cas.",
    )
    commitment = forms.TypedChoiceField(
        label="Engagement concerné",
        choices=[("", "Aucun engagement en particulier"), *COMMITMENT_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="L'engagement Services Publics+ que l'action améliore, par exemple un point faible du diagnostic.",
    )
    general_tags = forms.MultipleChoiceField(
        label="Tags généraux visés (facultatif)",
        choices=GeneralTag.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Ce que l'action veut améliorer : son effet se mesurera sur les expériences qui portent ces tags.",
    )
    experiences = forms.CharField(
        label="Expériences liées",
        required=False,
        help_text="Identifiants à 6 ou 7 chiffres séparés par des virgules, par exemple : 123456, 234567. "
        "Seules les expériences publiées orientées vers vos structures peuvent être liées.",
    )

    def __init__(self, *args, user, structures: list[Structure] | None, action: ImprovementAction | None = None, **kw):
        self.user, self.action, self.structures = user, action, structures
        if action is not None:
            kw.setdefault("initial", self.initial_for(action))
        super().__init__(*args, **kw)
        if structures is None:
            # Too many structures for a <select> (a referent on a network root): the code is typed.
            self.fields["structure"].label = "Code SP+ de la structure"
            self.fields[
                "structure"
            ].help_text = "Le code SP+ d'une structure de votre périmètre (10 caractères au plus)."
        else:
            choices = [("", "Choisir une structure")] + [(s.code, f"{s.name} ({s.code})") for s in structures]
            self.fields["structure"].widget = forms.Select(choices=choices)
            if len(structures) == 1 and not self.is_bound and action is None:
                self.initial["structure"] = structures[0].code
        self._set_accessible_attributes()

    @staticmethod
    def initial_for(action: ImprovementAction) -> dict:
        if hasattr(action, "linked_experiences"):
            linked = action.linked_experiences
        else:
            linked = action.experiences.order_by("public_id")
        return {
            "structure": action.structure.code,
            "title": action.title,
            "description": action.description,
            "status": action.status,
            "engaged_on": action.engaged_on,
            "done_on": action.done_on,
            "commitment": action.commitment,
            "general_tags": action.named_tags,
            "experiences": ", ".join(str(e.public_id) for e in linked),
        }

    @staticmethod
    def initial_from_query(query, user, structures: list[Structure] | None) -> dict:
        """What a link such as the diagnostic's weak point (`?structure=<pk>&engagement=<n>`) fills in.

        A structure outside the user's scope or a malformed value is ignored: the form opens empty there.
        """
        initial = {}
        structure_pk = query.get("structure", "")
        if structure_pk.isdigit():
            if structures is None:
                structure = manageable_structures(user).filter(pk=int(structure_pk)).first()
            else:
                structure = next((s for s in structures if s.pk == int(structure_pk)), None)
            if structure is not None:
                initial["structure"] = structure.code
        commitment = query.get("engagement", "")
        if commitment.isdigit() and int(commitment) in dict(COMMITMENT_CHOICES):
            initial["commitment"] = int(commitment)
        return initial

    def _set_accessible_attributes(self) -> None:
        for name, field in self.fields.items():
            if name in ("status", "general_tags"):
                continue  # radios and checkboxes are written out by the template
            css = "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
            field.widget.attrs.setdefault("class", css)
            described_by = [f"id_{name}-hint"] if field.help_text else []
            field.widget.attrs["aria-describedby"] = " ".join([*described_by, f"id_{name}-messages"])

    def clean_structure(self) -> Structure:
        code = self.cleaned_data["structure"].strip()
        # The code is checked against the actor's scope; an unknown code and one out of scope read the same.
        structure = manageable_structures(self.user).filter(code__iexact=code).first()
        if structure is None:
            raise forms.ValidationError(f"Structure « {code} » introuvable dans votre périmètre.")
        return structure

    def clean_experiences(self) -> list[Experience]:
        tokens = [token for token in re.split(r"[\s,;]+", self.cleaned_data["experiences"]) if token]
        malformed = [token for token in tokens if not PUBLIC_ID_REGEX.match(token)]
        if malformed:
            raise forms.ValidationError(
                f"« {', '.join(malformed)} » : un identifiant d'expérience compte 6 ou 7 chiffres."
            )
        public_ids = {int(token) for token in tokens}
        kept = list(self.action.experiences.filter(public_id__in=public_ids)) if self.action else []
        new_ids = public_ids - {experience.public_id for experience in kept}
        added = list(linkable_experiences(self.user).filter(public_id__in=new_ids)) if new_ids else []
        missing = sorted(new_ids - {experience.public_id for experience in added})
        if missing:
            label = "Expérience" if len(missing) == 1 else "Expériences"
            raise forms.ValidationError(f"{label} {', '.join(map(str, missing))} {NOT_LINKABLE}.")
        return kept + added

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) of every error in the page's order, for the summary at the top."""
        summary = [
            (f"id_{name}", f"{field.label} : {message}")
            for name, field in self.fields.items()
            for message in self.errors.get(name, [])
        ]
        return [("action-form", message) for message in self.non_field_errors()] + summary
