"""django-filter filter sets of the structures API."""

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from common.api_filters import CharInFilter

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
    code = filters.CharFilter(label="Code SP+ exact")
    code__in = CharInFilter(field_name="code", label="Codes SP+ (séparés par des virgules)")
    department__in = CharInFilter(field_name="insee_department", label="Codes INSEE des départements (virgules)")
    region__in = CharInFilter(field_name="insee_region", label="Codes INSEE des régions (virgules)")
    city__icontains = filters.CharFilter(field_name="city", lookup_expr="icontains", label="Ville contenant")
    level = filters.NumberFilter(label="Profondeur exacte (0 : racine du réseau)")
    level__lte = filters.NumberFilter(field_name="level", lookup_expr="lte", label="Profondeur au plus")
    level__gte = filters.NumberFilter(field_name="level", lookup_expr="gte", label="Profondeur au moins")
    ordering = filters.OrderingFilter(
        fields=(("code", "code"), ("name", "name"), ("level", "level"), ("insee_department", "department")),
        label="Tri",
    )

    class Meta:
        model = Structure
        fields = [
            "network",
            "typology",
            "parent",
            "department",
            "region",
            "active",
            "q",
            "code",
            "code__in",
            "department__in",
            "region__in",
            "city__icontains",
            "level",
            "level__lte",
            "level__gte",
        ]

    def filter_network(self, queryset: QuerySet[Structure], name: str, value: str) -> QuerySet[Structure]:
        by_name = Q(network__name__iexact=value)
        is_id = value.isdigit() and int(value) <= MAX_ID
        return queryset.filter(by_name | Q(network_id=int(value)) if is_id else by_name)

    def filter_name(self, queryset: QuerySet[Structure], name: str, value: str) -> QuerySet[Structure]:
        return queryset.filter(Q(name__icontains=value) | Q(public_name__icontains=value))
