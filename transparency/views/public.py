"""« Résultats près de chez vous » at /resultats/: filters in the URL, no script needed."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
    structures = selectors.publishing_structures(**form.filters())
    page = Paginator(structures, STRUCTURES_PER_PAGE).get_page(request.GET.get("page"))
    results_of = selectors.results_by_structure(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transparency/results.html",
        {
            "form": form,
            "page_obj": page,
            "entries": [(structure, results_of.get(structure.pk, [])) for structure in page.object_list],
            "query": query.urlencode(),
            "active_nav": "results",
            "breadcrumb_data": {"current": "Résultats près de chez vous"},
        },
    )
