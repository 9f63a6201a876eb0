"""Beat keeps the public figures of large subtrees warm: no visitor waits for a network's aggregate.

A structure's public figures are cached STRUCTURE_FIGURES_SECONDS and computed on the request that finds
none. For a network root that is 0.2 s over 193,000 routings on a million experiences (bench/README.md):
every REFRESH_SECONDS, beat computes again the figures of every structure whose subtree holds at least
LARGE_SUBTREE_ROUTINGS routings and stores them for FRESH_FOR_SECONDS, longer than the interval, so the
page always finds the last figures while the next ones are counted (stale-while-revalidate). If beat
stops, the entries expire and the page counts them itself, as for a small structure.
"""

from collections import Counter

from django.core.cache import cache
from django.db.models import Count

from experiences.models import Assignment
from experiences.selectors.public_pages import (
    compute_structure_figures,
    figures_cache_key,
)
from structures.models import Structure

# From about 20,000 routings a subtree's figures cost 25 ms or more (bench/README.md); on the bench's
# million experiences, 22 structures of 14,763 reach it, and refreshing them all takes about 1.5 s.
LARGE_SUBTREE_ROUTINGS = 20_000
REFRESH_SECONDS = 300
# Two missed runs still serve figures; the page promises figures at most 10 minutes old while beat runs.
FRESH_FOR_SECONDS = 3 * REFRESH_SECONDS


def subtree_routing_counts() -> Counter[int]:
    """Routings in each structure's subtree, by structure id (one GROUP BY on the structure index)."""
    counts = Counter(dict(Assignment.objects.values_list("structure").annotate(n=Count("pk")).order_by()))
    # Deepest first: each structure adds its whole subtree to its parent before the parent is read.
    for pk, parent_id in Structure.objects.order_by("-level").values_list("pk", "parent_id"):
        if parent_id is not None and counts[pk]:
            counts[parent_id] += counts[pk]
    return counts


def refresh_large_structure_figures(min_routings: int | None = None) -> int:
    """Count again and cache the figures of every large subtree; returns how many were refreshed."""
    threshold = LARGE_SUBTREE_ROUTINGS if min_routings is None else min_routings
    large = [pk for pk, routings in subtree_routing_counts().items() if routings >= threshold]
    for structure in Structure.objects.filter(pk__in=large).order_by("tree_id", "lft"):
        cache.set(figures_cache_key(structure.pk), compute_structure_figures(structure), FRESH_FOR_SECONDS)
    return len(large)
