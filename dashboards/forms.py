"""The dashboard's choice of period and scope, from the URL so it can be shared with a colleague of the same scope."""

import datetime

from django import forms
from django.utils import timezone

from dashboards.selectors.figures import DashboardScope
from structures.models import Membership, Structure
from structures.permissions import Action, networks_seen_whole_by, sees_whole_country, structures_visible_to

PRESETS = [
    ("30-jours", "Les 30 derniers jours"),
    ("annee", "Cette année"),
    ("annee-precedente", "L'année dernière"),
    ("personnalisee", "Période personnalisée"),
]
MAX_SPAN = datetime.timedelta(days=366 * 5)
# Services Publics+ opened in 2019: earlier dates hold nothing, and extreme ones overflow date arithmetic.
EARLIEST = datetime.date(2015, 1, 1)


def preset_period(preset: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if preset == "annee":
        return today.replace(month=1, day=1), today
    if preset == "annee-precedente":
        return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
    return today - datetime.timedelta(days=29), today


class DashboardForm(forms.Form):
    periode = forms.ChoiceField(label="Période", choices=PRESETS, required=False)
    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    structure = forms.CharField(
        label="Structure (code SP+)",
        required=False,
        max_length=10,
        help_text="Votre structure ou l'une de ses structures filles.",
    )
    filles = forms.ChoiceField(
        label="Structures filles",
        choices=[("oui", "Ma structure et toutes ses structures filles"), ("non", "Ma structure seule")],
        required=False,
        widget=forms.RadioSelect,
    )
    reseau = forms.TypedChoiceField(label="Réseau entier", required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        self.networks = networks_seen_whole_by(user)
        self.fields["reseau"].choices = [("", "—")] + list(self.networks.values_list("pk", "name"))

    def clean_structure(self):
        code = self.cleaned_data["structure"].strip()
        if not code:
            return None
        structure = structures_visible_to(self.user, Action.VIEW_DASHBOARD).filter(code=code).first()
        if structure is None:
            raise forms.ValidationError("Aucune structure de ce code dans votre périmètre.")
        return structure

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start or end:
            # Dates typed in mean a custom period, whatever the preset list still says.
            cleaned["periode"] = "personnalisee"
        if cleaned.get("periode") != "personnalisee":
            return cleaned
        latest = timezone.localdate() + datetime.timedelta(days=366)
        if not start or not end:
            self.add_error("du", "Indiquez les deux dates de la période.")
        elif not (EARLIEST <= start and end <= latest):
            self.add_error(
                "du", f"Choisissez des dates à partir du {EARLIEST:%d/%m/%Y}, et pas au-delà de l'an prochain."
            )
        elif start > end:
            self.add_error("au", "La date de fin précède la date de début.")
        elif end - start > MAX_SPAN:
            self.add_error("au", "La période compte au plus cinq ans.")
        return cleaned

    def scope(self) -> DashboardScope:
        """The scope asked for, or the user's own default when the choice is missing or invalid."""
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        today = timezone.localdate()
        if data.get("periode") == "personnalisee" and data.get("du") and data.get("au"):
            start, end = data["du"], data["au"]
        else:
            start, end = preset_period(data.get("periode") or "30-jours", today)
        include_children = data.get("filles") != "non"
        structure = data.get("structure")
        if structure is not None:
            return DashboardScope(start=start, end=end, structure=structure, include_children=include_children)
        network_id = data.get("reseau")
        if network_id and self.networks.filter(pk=network_id).exists():
            return DashboardScope(start=start, end=end, network=self.networks.get(pk=network_id))
        if sees_whole_country(self.user):
            return DashboardScope(start=start, end=end)
        return DashboardScope(
            start=start, end=end, structure=default_structure(self.user), include_children=include_children
        )


def default_structure(user) -> Structure | None:
    """The highest structure the user belongs to (their widest view)."""
    membership = (
        Membership.objects.filter(user=user).select_related("structure").order_by("structure__level", "pk").first()
    )
    return membership.structure if membership else None
