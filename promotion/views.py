"""The promotion kit at /agents/promotion/: the structures of the user's scope, then one structure's links,
banners, QR codes and poster. Out of scope is a 404."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.access import member_required
from structures.permissions import structures_visible_to

from . import kit
from .forms import CampaignForm, StructureSearchForm

PAGE_SIZE = 20
BREADCRUMB_LINK = {"url": "/agents/promotion/", "title": "Kit de promotion"}
QR_CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def _structure_or_404(request: HttpRequest, code: str):
    return get_object_or_404(structures_visible_to(request.user).select_related("network"), code=code)


def _campaign(request: HttpRequest) -> tuple[CampaignForm, str]:
    form = CampaignForm(request.GET or None)
    return form, form.campaign()


@require_GET
@member_required
def kit_home(request: HttpRequest) -> HttpResponse:
    form = StructureSearchForm(request.GET or None)
    structures = structures_visible_to(request.user).select_related("network").order_by("tree_id", "lft")
    if form.is_valid() and form.cleaned_data["q"]:
        words = form.cleaned_data["q"]
        structures = structures.filter(Q(name__icontains=words) | Q(code__iexact=words))
    paginator = Paginator(structures, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "promotion/home.html",
        {
            "agent_nav": "promotion",
            "form": form,
            "page_obj": page,
            "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page.number),
            "breadcrumb_data": {"current": "Kit de promotion"},
        },
    )


@require_GET
@member_required
def structure_kit(request: HttpRequest, code: str) -> HttpResponse:
    structure = _structure_or_404(request, code)
    form, campaign = _campaign(request)
    links = [(kit.MEDIUM_LABELS[m], kit.tracking_url(structure, m, campaign)) for m in kit.LINK_MEDIUMS]
    banners = [(size, kit.banner_html(structure, size, campaign)) for size in kit.BANNER_SIZES]
    qr_url = kit.tracking_url(structure, kit.Medium.QR_CODE, campaign)
    return render(
        request,
        "promotion/structure.html",
        {
            "agent_nav": "promotion",
            "structure": structure,
            "source": kit.tracking_source(structure),
            "form": form,
            "campaign": campaign,
            "links": links,
            "banners": banners,
            "qr_url": qr_url,
            "qr_preview": kit.qr_data_uri(qr_url),
            "qr_sizes": kit.QR_SIZES,
            "breadcrumb_data": {"links": [BREADCRUMB_LINK], "current": structure.display_name},
        },
    )


@require_GET
@member_required
def qr_download(request: HttpRequest, code: str, size: str, kind: str) -> HttpResponse:
    structure = _structure_or_404(request, code)
    qr_size = next((s for s in kit.QR_SIZES if s.key == size), None)
    if qr_size is None or kind not in QR_CONTENT_TYPES:
        raise Http404("Taille ou format de QR code inconnu.")
    _, campaign = _campaign(request)
    url = kit.tracking_url(structure, kit.Medium.QR_CODE, campaign)
    response = HttpResponse(kit.qr_file(url, kind, qr_size), content_type=QR_CONTENT_TYPES[kind])
    filename = f"qr-code-{structure.code}-{qr_size.key}.{kind}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
@member_required
def poster(request: HttpRequest, code: str) -> HttpResponse:
    structure = _structure_or_404(request, code)
    _, campaign = _campaign(request)
    response = HttpResponse(kit.poster_pdf(structure, campaign), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"affiche-partagez-{structure.code}.pdf")
    return response
