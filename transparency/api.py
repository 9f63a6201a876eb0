"""Open-data API of transparency: the rate per network and department (aggregates of public results)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .views.rates import rate_window_start


class TransparencyRateSerializer(serializers.Serializer):
    network = serializers.CharField(help_text="Intitulé du réseau")
    department = serializers.CharField(help_text="Code INSEE du département")
    structures = serializers.IntegerField(help_text="Structures actives du réseau dans le département")
    publishing = serializers.IntegerField(help_text="Structures ayant publié un résultat depuis 12 mois")
    rate = serializers.FloatField(help_text="Taux de transparence, en pourcentage")
    meets_threshold = serializers.BooleanField(help_text="Atteint l'objectif de deux tiers")


class TransparencyRateView(APIView):
    """Part des structures actives d'un réseau dans un département ayant publié un résultat depuis 12 mois ;
    l'objectif du programme est de deux tiers."""

    @extend_schema(
        summary="Taux de transparence par réseau et département",
        tags=["Transparence"],
        responses=TransparencyRateSerializer(many=True),
    )
    def get(self, request):
        rates = selectors.transparency_rates(since=rate_window_start())
        return Response(TransparencyRateSerializer(rates, many=True).data)
