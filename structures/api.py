"""Open-data API of the structures referential: serializers and read-only viewsets."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .filters import StructureFilter
from .models import Structure


class StructureSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="Code SP+ de la structure")
    name = serializers.CharField(read_only=True, help_text="Intitulé de la structure")
    public_name = serializers.CharField(read_only=True, help_text="Intitulé montré aux usagers, s'il diffère")
    network_id = serializers.IntegerField(read_only=True, help_text="Identifiant du réseau")
    network = serializers.CharField(source="network.name", read_only=True, help_text="Intitulé du réseau")
    typology_code = serializers.CharField(
        source="typology.code", read_only=True, allow_null=True, help_text="Code SP+ de la typologie"
    )
    typology_name = serializers.CharField(
        source="typology.name", read_only=True, allow_null=True, help_text="Intitulé de la typologie"
    )
    parent_code = serializers.CharField(
        source="parent.code", read_only=True, allow_null=True, help_text="Code SP+ de la structure parente"
    )
    level = serializers.IntegerField(read_only=True, help_text="Profondeur dans l'arborescence (0 : racine du réseau)")
    postal_code = serializers.CharField(read_only=True, help_text="Code postal")
    city = serializers.CharField(read_only=True, help_text="Ville")
    department = serializers.CharField(source="insee_department", read_only=True, help_text="Code INSEE du département")
    region = serializers.CharField(source="insee_region", read_only=True, help_text="Code INSEE de la région")
    active = serializers.BooleanField(source="is_active", read_only=True, help_text="Structure active")
    # A plain string: many structures have no site, and "" is no URI (schemathesis checks the format).
    website = serializers.CharField(read_only=True, help_text="Site internet (vide : aucun)")

    class Meta:
        model = Structure
        fields = [
            "code",
            "name",
            "public_name",
            "network_id",
            "network",
            "typology_code",
            "typology_name",
            "parent_code",
            "level",
            "postal_code",
            "city",
            "department",
            "region",
            "active",
            "website",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Lister les structures", tags=["Structures"]),
    retrieve=extend_schema(summary="Lire une structure par son code SP+", tags=["Structures"]),
)
class StructureViewSet(viewsets.ReadOnlyModelViewSet):
    """Le référentiel des structures (données ouvertes), actives ou non, dans l'ordre de l'arborescence."""

    # Tree order (parents before their children) follows the structure_tree_bounds index.
    queryset = Structure.objects.select_related("network", "typology", "parent").order_by("tree_id", "lft")
    serializer_class = StructureSerializer
    filterset_class = StructureFilter
    lookup_field = "code"
