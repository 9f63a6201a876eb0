"""The A4 poster of a structure's latest results for its reception desk (seed 004, « affichage »).

Two QR codes: the structure's public page, and the share form carrying the structure's tracking source,
so experiences shared from the poster are counted as such on the dashboard.
"""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .selectors import results_by_structure

POSTER_SOURCE = "affiche"


def share_url(structure) -> str:
    # The promotion kit's source (promotion/kit.py): the key, else the code, which the visit counter knows.
    query = urlencode({"source": structure.tracking_key or structure.code, "canal": POSTER_SOURCE})
    return f"{settings.SITE_URL.rstrip('/')}{reverse('experiences:share')}?{query}"


def page_url(structure) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("experiences:structure", args=[structure.code])


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def poster_pdf(structure) -> bytes:
    # Imported here: WeasyPrint takes seconds to load Pango, which the web pages never need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        """The poster embeds everything (styles, QR codes as data: URIs): nothing is fetched from anywhere."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"Ressource externe refusée dans l'affiche : {url}")

    html = render_to_string(
        "transparency/poster.html",
        {
            "structure": structure,
            "indicators": results_by_structure([structure]).get(structure.pk, []),
            "page_url": page_url(structure),
            "page_qr": _qr(page_url(structure)),
            "share_qr": _qr(share_url(structure)),
            "generated_on": timezone.localdate(),
        },
    )
    return HTML(string=html, url_fetcher=DataOnlyFetcher(fail_on_errors=True)).write_pdf()
