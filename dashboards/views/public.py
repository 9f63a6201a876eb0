"""A network's public scorecard (issue 20): its last 12 months and its structures ranked."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from dashboards.selectors import scorecard as selectors
from structures.models import Network


def network_page(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_object_or_404(Network.objects.filter(is_active=True), pk=pk)
    today = timezone.localdate()

    def compute():
        return selectors.network_figures(network, today)

    # A network's year is the heaviest public read: cached 10 minutes, as the structure pages' figures.
    key = selectors.network_cache_key(network.pk, today)
    card, (ranking, ranked_count) = cache.get_or_set(key, compute, selectors.SCORECARD_SECONDS)
    return render(
        request,
        "dashboards/network.html",
        {
            "breadcrumb_data": {"current": f"Réseau {network.name}"},
            "network": network,
            "card": card,
            "subject": f"Réseau {network.name}",
            "is_network": True,
            "ranking": ranking,
            "ranked_count": ranked_count,
        },
    )
