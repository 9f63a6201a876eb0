"""The promotion kit's only input: an optional campaign name, carried by every link of the page."""

from django import forms

from experiences.forms.tracking import TRACKING_MAX_LENGTH


class CampaignForm(forms.Form):
    campagne = forms.CharField(
        label="Nom de campagne (facultatif)",
        max_length=TRACKING_MAX_LENGTH,
        required=False,
        help_text="Par exemple : rentrée 2026. Il est ajouté aux liens, bannières, QR codes et à l'affiche ci-dessous.",
    )

    def campaign(self) -> str:
        return " ".join(self.cleaned_data["campagne"].split()) if self.is_valid() else ""


class StructureSearchForm(forms.Form):
    q = forms.CharField(label="Rechercher une structure", max_length=100, required=False, help_text="Nom ou code SP+.")
