"""Demo results: a few network indicators and two years of results for the demo networks, so /resultats/ lives.

The sample import file (transparency/samples/resultats-exemple.csv) then brings 2025 for Lyon's tax offices:
the README's walkthrough adds a third point to their history.
"""

import datetime
import random
from decimal import Decimal

from structures.models import Network, Structure
from transparency.models import Frequency, Indicator, IndicatorKind, Result, UnitType

# The demo roles sit on the DGFiP; two other big networks give the filters something to choose from.
DEMO_NETWORKS = ("DGFIP", "France services", "POLE EMPLOI")
STRUCTURES_PER_NETWORK = 150
YEARS = (2023, 2024)
LYON = "69123"
COMMON_CODES = ("IND-1", "IND-2", "IND-5", "IND-6", "IND-8")
NETWORK_INDICATORS = {
    "DGFIP": (
        "IND-101",
        "Délai moyen de réponse aux messages de la messagerie sécurisée",
        "Délai de réponse à vos messages",
        UnitType.DURATION,
        "jours",
        "Moyenne, sur l'année, du délai entre la réception d'un message et la réponse de l'agent.",
    ),
    "France services": (
        "IND-102",
        "Nombre de demandes accompagnées",
        "Démarches accompagnées",
        UnitType.COUNT,
        "demandes",
        "Demandes enregistrées par les conseillers France services dans l'outil de suivi.",
    ),
}


def create_demo_results(*, seed: int) -> int:
    """Idempotent: a result already there for a structure × indicator × period is left as it is."""
    rng = random.Random(seed)
    rows = []
    for network in Network.objects.filter(name__in=DEMO_NETWORKS).order_by("name"):
        indicators = list(Indicator.objects.filter(code__in=COMMON_CODES))
        if network.name in NETWORK_INDICATORS:
            indicators.append(_network_indicator(network))
        for structure in _structures(network):
            for indicator in indicators:
                base = rng.uniform(*_range(indicator))
                for year in YEARS:
                    rows.append(_result(structure, indicator, year, base + rng.uniform(-4, 4)))
    Result.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


def _network_indicator(network: Network) -> Indicator:
    code, original, label, unit_type, unit, methods = NETWORK_INDICATORS[network.name]
    indicator, _ = Indicator.objects.get_or_create(
        code=code,
        defaults={
            "network": network,
            "original_label": original,
            "label": label,
            "kind": IndicatorKind.PERFORMANCE,
            "unit_type": unit_type,
            "unit": unit,
            "sources_and_methods": methods,
        },
    )
    return indicator


def _structures(network: Network) -> list[Structure]:
    """The network's national root, its first active sites, and all of Lyon's (the walkthrough's city)."""
    active = Structure.objects.filter(network=network, is_active=True)
    roots = list(active.filter(level=0)[:1])
    sites = list(active.exclude(level=0).exclude(insee_commune="").order_by("code")[:STRUCTURES_PER_NETWORK])
    lyon = active.exclude(level=0).filter(insee_commune=LYON).exclude(pk__in=[site.pk for site in sites])
    return roots + sites + list(lyon)


def _range(indicator: Indicator) -> tuple[float, float]:
    if indicator.unit_type == UnitType.DURATION:
        return 2, 12
    if indicator.unit_type == UnitType.COUNT:
        return 300, 4000
    return 62, 93


def _result(structure: Structure, indicator: Indicator, year: int, value: float) -> Result:
    low, high = indicator.value_range()
    value = max(float(low), min(float(high), value) if high is not None else value)
    return Result(
        structure=structure,
        indicator=indicator,
        value=Decimal(round(value)) if indicator.unit_type == UnitType.COUNT else Decimal(str(round(value, 1))),
        frequency=Frequency.YEARLY,
        period=str(year),
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        updated_on=datetime.date(year + 1, 2, 15),
    )
