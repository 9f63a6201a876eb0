"""Reading results: the structures that publish around a place, each one's indicators and history."""

import datetime
import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from structures.models import Network, Structure, Typology

from .communes import commune_codes
from .models import Indicator, Result


@dataclass
class IndicatorResults:
    """One indicator of one structure: the latest value, the history oldest first, the national values."""

    indicator: Indicator
    history: list[Result] = field(default_factory=list)
    national: dict[str, object] = field(default_factory=dict)  # period → the network's national value

    @property
    def latest(self) -> Result:
        return self.history[-1]

    @property
    def latest_national(self):
        return self.national.get(self.latest.period)

    @property
    def rows(self) -> list[tuple[Result, object]]:
        return [(result, self.national.get(result.period)) for result in self.history]


def publishing_structures(*, city: str = "", department: str = "", region: str = "", network=None, typology=None):
    """Active structures with at least one result, narrowed by place and public service; by name."""
    published = Result.objects.filter(structure=OuterRef("pk"))
    structures = Structure.objects.filter(Exists(published), is_active=True)
    if city:
        structures = structures.filter(Q(insee_commune__in=commune_codes(city)) | Q(city__iexact=city.strip()))
    if department:
        structures = structures.filter(insee_department=department)
    if region:
        structures = structures.filter(insee_region=region)
    if network:
        structures = structures.filter(network=network)
    if typology:
        structures = structures.filter(typology=typology)
    return structures.select_related("network", "typology").order_by("name", "code")


def publishing_count(structures: QuerySet[Structure], filters: dict) -> int:
    """How many structures `publishing_structures(**filters)` holds: an EXISTS per active structure (90 ms for
    the whole country at a million results), kept until the next import like the drawn results."""
    chosen = repr(sorted((name, getattr(value, "pk", value)) for name, value in filters.items()))
    key = f"transparency:publishing-count:{results_version()}:{hashlib.sha256(chosen.encode()).hexdigest()}"
    count = cache.get(key)
    if count is None:
        count = structures.count()
        cache.set(key, count, 600)
    return count


def results_by_structure(structures: list[Structure]) -> dict[int, list[IndicatorResults]]:
    """Each structure's indicators with their history and the national values: three queries for a page."""
    grouped: dict[int, dict[int, IndicatorResults]] = defaultdict(dict)
    results = Result.objects.filter(structure__in=structures).select_related("indicator").order_by("period_end")
    for result in results:
        entry = grouped[result.structure_id].setdefault(result.indicator_id, IndicatorResults(result.indicator))
        entry.history.append(result)
    if not grouped:
        return {}
    national = _national_values(structures)
    by_pk = {structure.pk: structure for structure in structures}
    for structure_id, indicators in grouped.items():
        structure = by_pk[structure_id]
        if structure.level == 0:
            continue  # a national structure's values are the national values
        for indicator_id, entry in indicators.items():
            entry.national = national.get((structure.tree_id, indicator_id), {})
    return {pk: sorted(entries.values(), key=lambda e: e.indicator.code) for pk, entries in grouped.items()}


def _national_values(structures: list[Structure]) -> dict[tuple[int, int], dict[str, object]]:
    """The results of the trees' roots (a network's national level), by (tree, indicator) then period."""
    roots = Result.objects.filter(structure__tree_id__in={s.tree_id for s in structures}, structure__level=0)
    values: dict[tuple[int, int], dict[str, object]] = defaultdict(dict)
    for tree_id, indicator_id, period, value in roots.values_list(
        "structure__tree_id", "indicator_id", "period", "value"
    ):
        values[(tree_id, indicator_id)][period] = value
    return values


# What changes with an import only is kept in the cache and forgotten when an import is written
# (services.forget_results); the timeouts cover results written otherwise (seed_demo, the admin).
PUBLISHING_NETWORKS_KEY = "transparency:publishing-networks"
RESULTS_VERSION_KEY = "transparency:results-version"


def results_version() -> str:
    """Part of the key of each structure's drawn results on /resultats/: a new one after every import."""
    version = cache.get(RESULTS_VERSION_KEY)
    if version is None:
        version = secrets.token_hex(4)
        cache.set(RESULTS_VERSION_KEY, version, None)
    return version


def networks_with_results() -> QuerySet[Network]:
    ids = cache.get(PUBLISHING_NETWORKS_KEY)
    if ids is None:
        # Structure by structure, each an index probe of the results (result_one_per_structure_indicator_period),
        # stopping at a network's first publisher: a join of a million results took 0.4 s.
        publishing = Structure.objects.filter(Exists(_results_of_structure()), network=OuterRef("pk"))
        ids = list(Network.objects.filter(Exists(publishing)).values_list("pk", flat=True))
        cache.set(PUBLISHING_NETWORKS_KEY, ids, 600)
    return Network.objects.filter(pk__in=ids).order_by("name")


def typologies_with_results(network: Network) -> QuerySet[Typology]:
    publishing = Structure.objects.filter(Exists(_results_of_structure()), typology=OuterRef("pk"))
    return Typology.objects.filter(Exists(publishing), network=network).order_by("name")


def _results_of_structure() -> QuerySet[Result]:
    return Result.objects.filter(structure=OuterRef("pk"))


# The programme's goal: two thirds of a network's structures in a department publish their results.
TRANSPARENCY_THRESHOLD = 2 / 3


@dataclass
class TransparencyRate:
    network: str
    department: str
    structures: int
    publishing: int

    @property
    def rate(self) -> float:
        return self.publishing / self.structures if self.structures else 0.0

    @property
    def meets_threshold(self) -> bool:
        return self.rate >= TRANSPARENCY_THRESHOLD


def transparency_rates(*, since: datetime.date, network: Network | None = None) -> list[TransparencyRate]:
    """Per network × department: active structures, and those with a result updated since `since`.

    Only networks that publish somewhere are listed, so the table is not 37 × 101 rows of zeros.
    """
    recent = Result.objects.filter(structure=OuterRef("pk"), updated_on__gte=since)
    structures = Structure.objects.filter(is_active=True).exclude(insee_department="")
    structures = structures.filter(network__in=network and [network] or networks_with_results())
    rows = (
        structures.values("network__name", "insee_department")
        .annotate(total=Count("pk"), publishing=Count("pk", filter=Q(Exists(recent))))
        .order_by("network__name", "insee_department")
    )
    return [
        TransparencyRate(row["network__name"], row["insee_department"], row["total"], row["publishing"]) for row in rows
    ]
