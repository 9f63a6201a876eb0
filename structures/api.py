"""Open-data API of the structures referential: serializers and read-only viewsets."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .filters import StructureFilter
from .models import Structure


class StructureSerializer(serializers.ModelSerializer):
    network_id = serializers.IntegerField(read_only=True)
    network = serializers.CharField(source="network.name", read_only=True)
    typology_code = serializers.CharField(source="typology.code", read_only=True, allow_null=True)
    typology_name = serializers.CharField(source="typology.name", read_only=True, allow_null=True)
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True)
    department = serializers.CharField(source="insee_department", read_only=True)
    region = serializers.CharField(source="insee_region", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

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
