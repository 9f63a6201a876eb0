"""The open-data page, the files (with ETag and Last-Modified) and their Table Schemas."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import condition, require_safe

from . import selectors, services
from .datasets import DATASETS, LICENCE, LICENCE_URL
from .models import PublishedFile


@require_safe
def index(request):
    entries = selectors.published_entries()
    if settings.DEBUG and not any(entry.file and entry.file.is_generated for entry in entries):
        # `make run`: the page shows files at the first visit even before any worker ran (DEBUG only).
        services.generate_all()
        entries = selectors.published_entries()
    context = {
        "entries": entries,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "breadcrumb_data": {"current": "Données ouvertes"},
    }
    return render(request, "opendata/index.html", context)


def _generated(slug: str) -> PublishedFile:
    published = get_object_or_404(PublishedFile, slug=slug)
    if not published.is_generated:
        raise Http404("Ce fichier n'a pas encore été généré.")
    return published


def _etag(request, slug: str) -> str | None:
    published = PublishedFile.objects.filter(slug=slug).exclude(path="").first()
    return f'"{published.sha256}"' if published else None


def _last_modified(request, slug: str):
    published = PublishedFile.objects.filter(slug=slug).exclude(path="").first()
    return published.generated_at if published else None


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def download(request, slug: str):
    """A client that sends back the ETag or the date it has gets a 304 and downloads nothing."""
    if slug not in DATASETS:
        raise Http404
    published = _generated(slug)
    response = FileResponse(
        default_storage.open(published.path, "rb"), as_attachment=True, filename=DATASETS[slug].filename
    )
    response["Content-Type"] = "text/csv; charset=utf-8"
    return response


@require_safe
def schema(request, slug: str):
    if slug not in DATASETS:
        raise Http404
    return JsonResponse(DATASETS[slug].schema, json_dumps_params={"ensure_ascii": False, "indent": 2})
