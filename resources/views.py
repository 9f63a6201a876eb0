"""« Je suis agent » at /agents/ressources/: one search over resources and FAQ, a resource's page and its file."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.access import member_required

from . import selectors
from .forms import ResourceSearchForm

PAGE_SIZE = 20
BREADCRUMB_LINK = {"url": "/agents/ressources/", "title": "Ressources et FAQ"}


def _context(**extra) -> dict:
    return {"agent_nav": "resources", **extra}


@require_GET
@member_required
def resources_home(request: HttpRequest) -> HttpResponse:
    """The resources and the FAQ questions matching the words and the theme; all of them without criteria."""
    themes = selectors.themes_in_use()
    form = ResourceSearchForm(request.GET or None, themes=themes)
    search = selectors.ResourceSearch()
    if form.is_valid():
        search = selectors.ResourceSearch(text=form.cleaned_data["q"], theme=form.cleaned_data["theme"])
    paginator = Paginator(selectors.search_resources(request.user, search), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    faq = list(selectors.search_faq(search))
    return render(
        request,
        "resources/home.html",
        _context(
            form=form,
            search=search,
            searched=bool(search.text or search.theme),
            page_obj=page,
            paginator=paginator,
            page_range=paginator.get_elided_page_range(page.number),
            faq=faq,
            breadcrumb_data={"current": "Ressources et FAQ"},
        ),
    )


@require_GET
@member_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(selectors.resources_for(request.user).prefetch_related("themes"), pk=pk)
    breadcrumb = {"links": [BREADCRUMB_LINK], "current": resource.title}
    return render(request, "resources/detail.html", _context(resource=resource, breadcrumb_data=breadcrumb))


@require_GET
@member_required
def resource_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file, for a signed-in agent who may see the resource: never a public media URL."""
    resource = get_object_or_404(selectors.resources_for(request.user), pk=pk)
    if not resource.file:
        raise Http404("Cette ressource n'a pas de fichier.")
    response = FileResponse(resource.file.open("rb"))
    response["Content-Disposition"] = content_disposition_header(True, resource.filename)
    return response
