"""The transparency rate per network and department, for DITP moderators (seed 004: « affichage » goal)."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import member_required
from structures.permissions import sees_whole_country

from .. import selectors


def rate_window_start() -> datetime.date:
    """« In the last 12 months »: a result updated since this day counts."""
    return timezone.localdate() - datetime.timedelta(days=365)


@member_required
def transparency_rates(request: HttpRequest) -> HttpResponse:
    if not sees_whole_country(request.user):
        raise Http404
    chosen = request.GET.get("reseau", "")
    network = selectors.networks_with_results().filter(pk=chosen).first() if chosen.isdigit() else None
    return render(
        request,
        "transparency/rates.html",
        {
            "rates": selectors.transparency_rates(since=rate_window_start(), network=network),
            "networks": selectors.networks_with_results(),
            "network": network,
            "threshold": round(100 * selectors.TRANSPARENCY_THRESHOLD),
            "breadcrumb_data": {"current": "Taux de transparence"},
        },
    )
