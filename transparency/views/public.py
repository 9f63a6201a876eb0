"""« Résultats près de chez vous » at /resultats/: filters in the URL, no script needed."""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from structures.models import Department, Network, Region, Typology

from .. import selectors
from ..forms import ResultsFilterForm

STRUCTURES_PER_PAGE = 10


def results(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("reseau", "")
    network = Network.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    form = ResultsFilterForm(
        request.GET or None,
        departments=Department.objects.order_by("code"),
        regions=Region.objects.order_by("name"),
        networks=selectors.networks_with_results(),
        typologies=selectors.typologies_with_results(network) if network else Typology.objects.none(),
    )
    filters = form.filters()
    structures = selectors.publishing_structures(**filters)
    paginator = Paginator(structures, STRUCTURES_PER_PAGE)
    paginator.count = selectors.publishing_count(structures, filters)  # a cached_property: set, not computed
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transparency/results.html",
        {
            "form": form,
            "page_obj": page,
            "sections": _sections(list(page.object_list)),
            "query": query.urlencode(),
            "active_nav": "results",
            "breadcrumb_data": {"current": "Résultats près de chez vous"},
        },
    )


# Drawn results stay this long at most when they change otherwise than by an import (which forgets them).
SECTION_TIMEOUT = 600


def _sections(structures: list) -> list[SafeString]:
    """Each structure's results drawn as HTML: read from the cache in one round trip, the missing ones drawn
    and kept. Ten structures' cards, charts and tables cost 0.3 s to draw; they change with an import only."""
    version = selectors.results_version()
    keys = {structure.pk: f"transparency:results-section:{version}:{structure.pk}" for structure in structures}
    found = cache.get_many(keys.values())
    missing = [structure for structure in structures if keys[structure.pk] not in found]
    if missing:
        results_of = selectors.results_by_structure(missing)
        drawn = {
            keys[structure.pk]: render_to_string(
                "transparency/_results_structure.html",
                {"structure": structure, "indicators": results_of.get(structure.pk, [])},
            )
            for structure in missing
        }
        cache.set_many(drawn, SECTION_TIMEOUT)
        found |= drawn
    # Drawn by our own template, which escapes every value.
    return [mark_safe(found[keys[structure.pk]]) for structure in structures]  # noqa: S308
