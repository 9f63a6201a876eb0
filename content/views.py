"""Public pages of advice and news."""

from django.core.files.storage import default_storage
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from content import selectors
from content.forms import AdviceSearchForm
from content.models import Advice, NewsArticle

ADVICE_PER_PAGE = 12
NEWS_PER_PAGE = 10
ADVICE_CRUMB = {"url": "/conseils/", "title": "Conseils"}
NEWS_CRUMB = {"url": "/actualites/", "title": "Actualités"}


def _page(request: HttpRequest, object_list, per_page: int) -> Page:
    """The requested page (a wrong number gives the nearest one) with `elided_range` for the pagination."""
    paginator = Paginator(object_list, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return page


def advice_list(request: HttpRequest) -> HttpResponse:
    form = AdviceSearchForm(request.GET)
    search = form.search()
    page = _page(request, selectors.search_advice(search), ADVICE_PER_PAGE)
    return render(
        request,
        "content/advice_list.html",
        {
            "form": form,
            "search": search,
            "page_obj": page,
            "active_nav": "advice",
            "breadcrumb_data": {"current": "Conseils"},
        },
    )


def advice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    advice = get_object_or_404(Advice.objects.published(), slug=slug)
    return render(
        request,
        "content/advice_detail.html",
        {
            "advice": advice,
            "typologies": advice.typologies.order_by("name"),
            "active_nav": "advice",
            "breadcrumb_data": {"links": [ADVICE_CRUMB], "current": advice.title},
        },
    )


def news_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.published_news(), NEWS_PER_PAGE)
    return render(
        request,
        "content/news_list.html",
        {"page_obj": page, "active_nav": "news", "breadcrumb_data": {"current": "Actualités"}},
    )


def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(NewsArticle.objects.published(), slug=slug)
    return render(
        request,
        "content/news_detail.html",
        {
            "article": article,
            "active_nav": "news",
            "breadcrumb_data": {"links": [NEWS_CRUMB], "current": article.title},
        },
    )


def news_image(request: HttpRequest, slug: str) -> FileResponse:
    """A published article's image, read from the storage: no public media URL is needed (or opened)."""
    article = get_object_or_404(NewsArticle.objects.published().exclude(image=""), slug=slug)
    if not default_storage.exists(article.image.name):
        raise Http404("Image introuvable")
    return FileResponse(article.image.open("rb"))
