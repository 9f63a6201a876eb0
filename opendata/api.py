"""Open-data API of the typologies, indicators and results referentials: read-only, filtered, cursor-paginated.

Filters follow data.gouv.fr's tabular API: exact, contains, in (comma-separated), less / greater than on
dates and numbers. The cursor keeps a page deep in the table as fast as the first (no OFFSET, no count).
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination

from common.api_filters import CharInFilter
from structures.models import Typology
from transparency.models import Frequency, Indicator, IndicatorKind, Result, UnitType


class CodeCursorPagination(CursorPagination):
    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = "pk"


class TypologySerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="Code SP+ de la typologie")
    name = serializers.CharField(read_only=True, help_text="Intitulé de la typologie")
    network = serializers.CharField(source="network.name", read_only=True, help_text="Intitulé du réseau")

    class Meta:
        model = Typology
        fields = ["code", "name", "network"]
        read_only_fields = fields


class TypologyFilter(filters.FilterSet):
    code = filters.CharFilter(label="Code SP+ exact")
    code__in = CharInFilter(field_name="code", label="Codes SP+ (séparés par des virgules)")
    name = filters.CharFilter(label="Intitulé exact")
    name__icontains = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Intitulé contenant")
    network = filters.CharFilter(field_name="network__name", lookup_expr="iexact", label="Intitulé exact du réseau")

    class Meta:
        model = Typology
        fields = ["code", "code__in", "name", "name__icontains", "network"]


@extend_schema_view(
    list=extend_schema(summary="Lister les typologies", tags=["Typologies"]),
    retrieve=extend_schema(summary="Lire une typologie par son code SP+", tags=["Typologies"]),
)
class TypologyViewSet(viewsets.ReadOnlyModelViewSet):
    """Le référentiel des typologies : les types d'organismes auxquels une expérience se rapporte."""

    queryset = Typology.objects.select_related("network")
    serializer_class = TypologySerializer
    filterset_class = TypologyFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["code", "name"]
    pagination_class = CodeCursorPagination
    lookup_field = "code"


class IndicatorSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="Code SP+ de l'indicateur (IND-<n>)")
    network = serializers.CharField(
        source="network.name", read_only=True, allow_null=True, help_text="Réseau ; vide pour un indicateur commun"
    )
    original_label = serializers.CharField(read_only=True, help_text="Intitulé original de l'indicateur")
    label = serializers.CharField(read_only=True, help_text="Intitulé usager de l'indicateur")
    kind = serializers.CharField(source="get_kind_display", read_only=True, help_text="Type d'indicateur")
    sources_and_methods = serializers.CharField(read_only=True, help_text="Sources et méthodes")
    unit_type = serializers.CharField(source="get_unit_type_display", read_only=True, help_text="Type d'unité")
    unit = serializers.CharField(read_only=True, help_text="Unité")

    class Meta:
        model = Indicator
        fields = ["code", "network", "original_label", "label", "kind", "sources_and_methods", "unit_type", "unit"]
        read_only_fields = fields


class IndicatorFilter(filters.FilterSet):
    network = filters.CharFilter(field_name="network__name", lookup_expr="iexact", label="Intitulé exact du réseau")

    code = filters.CharFilter(label="Code SP+ exact (IND-<n>)")
    code__in = CharInFilter(field_name="code", label="Codes SP+ (séparés par des virgules)")
    label__icontains = filters.CharFilter(
        field_name="label", lookup_expr="icontains", label="Intitulé usager contenant"
    )
    kind = filters.ChoiceFilter(choices=IndicatorKind.choices, label="Type d'indicateur")
    unit_type = filters.ChoiceFilter(choices=UnitType.choices, label="Type d'unité")

    class Meta:
        model = Indicator
        fields = ["code", "code__in", "label__icontains", "kind", "unit_type", "network"]


@extend_schema_view(
    list=extend_schema(summary="Lister les indicateurs", tags=["Indicateurs"]),
    retrieve=extend_schema(summary="Lire un indicateur par son code SP+", tags=["Indicateurs"]),
)
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Le référentiel des indicateurs de qualité de service, communs ou propres à un réseau."""

    queryset = Indicator.objects.filter(is_active=True).select_related("network")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["code"]
    pagination_class = CodeCursorPagination
    lookup_field = "code"


class ResultSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="Code SP+ du résultat")
    network = serializers.CharField(source="structure.network.name", read_only=True, help_text="Intitulé du réseau")
    structure_code = serializers.CharField(source="structure.code", read_only=True, help_text="Code SP+ structure")
    structure_name = serializers.CharField(
        source="structure.name", read_only=True, help_text="Intitulé de la structure"
    )
    indicator_code = serializers.CharField(
        source="indicator.code", read_only=True, help_text="Code SP+ de l'indicateur"
    )
    indicator_label = serializers.CharField(
        source="indicator.original_label", read_only=True, help_text="Titre original de l'indicateur"
    )
    value = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True, help_text="Valeur")
    frequency = serializers.CharField(read_only=True, help_text="Fréquence : annuelle, semestrielle…")
    period = serializers.CharField(read_only=True, help_text="Période mesurée (2025, 2025-S1, 2025-T2, 2025-03)")
    updated_on = serializers.DateField(read_only=True, help_text="Date de mise à jour")

    class Meta:
        model = Result
        fields = [
            "code",
            "network",
            "structure_code",
            "structure_name",
            "indicator_code",
            "indicator_label",
            "value",
            "frequency",
            "period",
            "updated_on",
        ]
        read_only_fields = fields


class ResultFilter(filters.FilterSet):
    structure = filters.CharFilter(field_name="structure__code", label="Code SP+ de la structure")
    structure__in = CharInFilter(field_name="structure__code", label="Codes SP+ des structures (virgules)")
    indicator = filters.CharFilter(field_name="indicator__code", label="Code SP+ de l'indicateur")
    indicator__in = CharInFilter(field_name="indicator__code", label="Codes SP+ des indicateurs (virgules)")

    frequency = filters.ChoiceFilter(choices=Frequency.choices, label="Fréquence")
    period = filters.CharFilter(label="Période exacte (2025, 2025-S1, 2025-T2, 2025-03)")
    period__in = CharInFilter(field_name="period", label="Périodes (séparées par des virgules)")

    class Meta:
        model = Result
        fields = ["structure", "structure__in", "indicator", "indicator__in", "frequency", "period", "period__in"]


# Less / greater than on the value and the update date, as data.gouv.fr's tabular API offers them.
COMPARISONS = {
    "lt": "inférieure à",
    "lte": "inférieure ou égale à",
    "gt": "supérieure à",
    "gte": "supérieure ou égale à",
}
for _lookup, _words in {"exact": "égale à", **COMPARISONS}.items():
    _suffix = "" if _lookup == "exact" else f"__{_lookup}"
    ResultFilter.base_filters[f"value{_suffix}"] = filters.NumberFilter(
        field_name="value", lookup_expr=_lookup, label=f"Valeur {_words}"
    )
    ResultFilter.base_filters[f"updated_on{_suffix}"] = filters.DateFilter(
        field_name="updated_on", lookup_expr=_lookup, label=f"Date de mise à jour {_words} (AAAA-MM-JJ)"
    )


@extend_schema_view(
    list=extend_schema(summary="Lister les résultats", tags=["Résultats"]),
    retrieve=extend_schema(summary="Lire un résultat par son code SP+", tags=["Résultats"]),
)
class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Le référentiel des résultats : la valeur d'un indicateur pour une structure et une période."""

    queryset = Result.objects.select_related("structure__network", "indicator")
    serializer_class = ResultSerializer
    filterset_class = ResultFilter
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["updated_on", "value", "code"]
    pagination_class = CodeCursorPagination
    lookup_field = "code"
