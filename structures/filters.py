"""django-filter filter sets of the structures API."""

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from .models import Structure

# Network ids are bigints: a longer number is a name, never an id (PostgreSQL would reject it).
MAX_ID = 2**63 - 1


class StructureFilter(filters.FilterSet):
    network = filters.CharFilter(method="filter_network", label="Réseau (identifiant ou intitulé exact)")
    typology = filters.CharFilter(field_name="typology__code", label="Code SP+ de la typologie")
    parent = filters.CharFilter(field_name="parent__code", label="Code SP+ de la structure parente")
    department = filters.CharFilter(field_name="insee_department", label="Code INSEE du département")
    region = filters.CharFilter(field_name="insee_region", label="Code INSEE de la région")
    active = filters.BooleanFilter(field_name="is_active", label="Active")
    q = filters.CharFilter(method="filter_name", label="Intitulé contenant")
    ordering = filters.OrderingFilter(
        fields=(("code", "code"), ("name", "name"), ("level", "level"), ("insee_department", "department")),
        label="Tri",
    )

    class Meta:
        model = Structure
        fields = ["network", "typology", "parent", "department", "region", "active", "q"]

    def filter_network(self, queryset: QuerySet[Structure], name: str, value: str) -> QuerySet[Structure]:
        by_name = Q(network__name__iexact=value)
        is_id = value.isdigit() and int(value) <= MAX_ID
        return queryset.filter(by_name | Q(network_id=int(value)) if is_id else by_name)

    def filter_name(self, queryset: QuerySet[Structure], name: str, value: str) -> QuerySet[Structure]:
        return queryset.filter(Q(name__icontains=value) | Q(public_name__icontains=value))
