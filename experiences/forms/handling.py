"""The agents' handling of an experience beside the answer: qualify, move to a child, transfer, comment,
link an improvement action (experiences/services/handling.py and services/actions.py do the steps).
"""

from django import forms

from actions.models import ImprovementAction
from experiences.models import Channel, Feeling, GeneralTag
from experiences.selectors.agents import scoped_structures
from experiences.services.handling import COMMENT_MAX_LENGTH
from structures.models import BusinessTag, Structure
from structures.permissions import Action


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
