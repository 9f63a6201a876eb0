"""The public list of published experiences: search, filters, capped count, page numbers."""

from django.core.paginator import InvalidPage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from experiences.filters import ExperienceSearchForm
from experiences.selectors.search import RESULT_CAP, CappedPaginator, matching_experiences, search_experiences


def experience_list(request: HttpRequest) -> HttpResponse:
    if any(value == "" for value in request.GET.values()):
        # A submitted form sends every field: drop the empty ones so the URL to share stays short.
        return redirect(_without_empty_values(request))
    form = ExperienceSearchForm(request.GET)
    form.is_valid()  # invalid criteria are reported on the page and left out of the search
    search = form.to_search()
    paginator = CappedPaginator(search_experiences(search), counted=matching_experiences(search))
    page = paginator.get_page(_page_number(request))
    return render(
        request,
        "experiences/list.html",
        {
            "active_nav": "experiences",
            "breadcrumb_data": {"current": "Les expériences"},
            "form": form,
            "search": search,
            "page_obj": page,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "result_cap": RESULT_CAP,
            "active_filters": form.active_filters(request.GET),
        },
    )


def _page_number(request: HttpRequest) -> int:
    """A page past the last one shows the last one; anything else that is not a number, the first."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except (TypeError, ValueError, InvalidPage):
        return 1


def _without_empty_values(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in list(query):
        values = [value for value in query.getlist(name) if value != ""]
        if values:
            query.setlist(name, values)
        else:
            del query[name]
    return f"{request.path}?{query.urlencode()}" if query else request.path
