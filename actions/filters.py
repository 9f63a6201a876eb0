"""The one filter set of the public action list (/actions-amelioration/) and the agents' (/agents/actions/).

Each list shows its own filters, under the French GET parameters its links already carry: a citizen
filters by network, structure and state (`statut`), an agent by structure, state (`etat`) and publication.
"""

import django_filters
from django import forms
from django.db.models import QuerySet

from structures.models import Network, Structure

from .models import ImprovementAction, ImprovementActionStatus

PUBLICATION_CHOICES = [("oui", "Publiées"), ("non", "Non publiées")]
SHOWN_TO = {
    "public": ("structure", "reseau", "statut"),
    "agents": ("structure", "etat", "publication"),
}


def _status_filter() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label="État",
        field_name="status",
        choices=ImprovementActionStatus.choices,
        empty_label="Tous les états",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )


class ActionFilter(django_filters.FilterSet):
    """Filters over an already scoped queryset; `audience` ("public" or "agents") picks the list's filters."""

    structure = django_filters.CharFilter(
        label="Code SP+ de la structure",
        method="filter_structure",
        help_text="Les actions de ses structures rattachées sont incluses.",
        widget=forms.TextInput(attrs={"class": "fr-input", "maxlength": 10}),
    )
    reseau = django_filters.ModelChoiceFilter(
        label="Réseau",
        queryset=Network.objects.order_by("name"),
        field_name="structure__network",
        empty_label="Tous les réseaux",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    statut = _status_filter()
    etat = _status_filter()
    publication = django_filters.ChoiceFilter(
        label="Publication",
        method="filter_publication",
        choices=PUBLICATION_CHOICES,
        empty_label="Publiées ou non",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    class Meta:
        model = ImprovementAction
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, audience: str, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters = {name: f for name, f in self.filters.items() if name in SHOWN_TO[audience]}

    def filter_structure(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The structure and the structures below it, on the tree's bounds (structure_tree_bounds index)."""
        structure = Structure.objects.filter(code=value.strip()).first()
        if structure is None:
            return queryset.none()
        return queryset.filter(structure__in=structure.get_descendants(include_self=True).values("pk"))

    def filter_publication(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_public=value == "oui")
