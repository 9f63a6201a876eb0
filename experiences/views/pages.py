"""Public pages of the citizens' site."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from content.selectors import latest_news
from structures.commitments import COMMITMENT_GROUPS, DECLINATION, PROMISE


def home(request: HttpRequest) -> HttpResponse:
    """The platform at a glance: what a citizen can do here, and the 9 commitments (seed 003, seed 004)."""
    return render(
        request,
        "experiences/home.html",
        {
            "active_nav": "home",
            "commitment_groups": COMMITMENT_GROUPS,
            "promise": PROMISE,
            "latest_news": latest_news(),
        },
    )


def commitments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "experiences/commitments.html",
        {
            "active_nav": "commitments",
            "commitment_groups": COMMITMENT_GROUPS,
            "promise": PROMISE,
            "declination": DECLINATION,
            "breadcrumb_data": {"current": "Les engagements"},
        },
    )
