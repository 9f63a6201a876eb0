"""PDFs rendered by WeasyPrint from a template, with static files read from disk and nothing from the network."""

import mimetypes
import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

# WeasyPrint resolves the template's /static/… links against this made-up origin; the fetcher below
# serves them from disk and refuses everything else, so rendering never touches the network.
PDF_BASE_URL = "https://spplus.invalid/"


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered to PDF; PdfRenderingError when a stylesheet, font or image cannot be loaded."""
    # Imported here: WeasyPrint takes seconds to load Pango, which the web pages never need.
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    html = render_to_string(template_name, context)
    try:
        return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=static_fetcher()).write_pdf()
    except FatalURLFetchingError as error:  # a BaseException: make it an ordinary error for callers.
        raise PdfRenderingError(f"{error} ({error.__cause__})") from error


class PdfRenderingError(Exception):
    """A stylesheet, font or image of the PDF could not be loaded."""


def static_fetcher():
    """A WeasyPrint fetcher serving static files from disk; a missing one stops the rendering.

    WeasyPrint skips a stylesheet it cannot fetch with a mere warning: the PDF would come out
    unstyled, and a test would pass while the real stylesheet crashes WeasyPrint (DESIGN.md: DSFR's
    CSS on WeasyPrint ≥ 69). `fail_on_errors` turns every failed fetch into an error.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith(prefix):
                raise ValueError(f"Ressource externe refusée dans un PDF : {url}")
            name = posixpath.normpath(unquote(urlsplit(url).path[len(urlsplit(prefix).path) :]))
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, open_static(name), {"Content-Type": content_type})

    return StaticFilesFetcher(fail_on_errors=True)


def open_static(name: str):
    """A static file by its name: the apps' folders in development, STATIC_ROOT (hashed names) once collected."""
    if name.startswith(("..", "/")):
        raise ValueError(f"Fichier statique invalide : {name}")
    path = finders.find(name)
    if path:
        return open(path, "rb")  # noqa: SIM115 — WeasyPrint closes the response.
    return staticfiles_storage.open(name)
