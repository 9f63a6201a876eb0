"""Beat keeps the public scorecards of networks and large subtrees warm, as the structure pages' figures are.

A scorecard is cached SCORECARD_SECONDS and computed on the request that finds none. A network's page (its
year and the ranking of up to thousands of structures) and a large subtree's (a network root, a big
department) cost more than a visitor should wait: every REFRESH_SECONDS beat computes them again and stores
them for FRESH_FOR_SECONDS, longer than the interval, so the page always finds the last ones. If beat stops,
the entries expire and the pages count for themselves.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone

from dashboards.selectors import scorecard as selectors
from experiences.services.public_figures import LARGE_SUBTREE_ROUTINGS, subtree_routing_counts
from structures.models import Network, Structure

REFRESH_SECONDS = 600
FRESH_FOR_SECONDS = 3 * REFRESH_SECONDS


def refresh_public_scorecards(today: datetime.date | None = None, min_routings: int | None = None) -> int:
    """Count again and cache every active network's page and every large subtree's scorecard; how many."""
    today = today or timezone.localdate()
    threshold = LARGE_SUBTREE_ROUTINGS if min_routings is None else min_routings
    large = [pk for pk, routings in subtree_routing_counts().items() if routings >= threshold]
    refreshed = 0
    for structure in Structure.objects.filter(pk__in=large).order_by("tree_id", "lft"):
        card = selectors.structure_scorecard(structure, today)
        cache.set(selectors.structure_cache_key(structure.pk, today), card, FRESH_FOR_SECONDS)
        refreshed += 1
    for network in Network.objects.filter(is_active=True).order_by("pk"):
        figures = selectors.network_figures(network, today)
        cache.set(selectors.network_cache_key(network.pk, today), figures, FRESH_FOR_SECONDS)
        refreshed += 1
    return refreshed
