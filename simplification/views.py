"""The citizens' pages: « Signaler un document complexe » (usable without JavaScript), its confirmation, and
« Documents simplifiés »."""

import secrets

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from common.privacy import mask_email
from common.ratelimit import document_report_is_over_limit
from experiences.suggestions import suggest_typologies

from .forms import ReportForm
from .models import DESCRIPTION_MAX_LENGTH, DESCRIPTION_MIN_LENGTH, TITLE_MAX_LENGTH, ComplexDocumentReport
from .selectors import pagination
from .services import submit_report
from .uploads import MAX_UPLOAD_MEGABYTES, SizeLimitUploadHandler

SUGGESTION_LIMIT = 6
RECEIPT_SESSION_KEY = "document_report_receipt"
TOKEN_TTL = 24 * 3600
EXAMPLES_PER_PAGE = 10
REPORT_TITLE = "Signaler un document complexe"
LIMIT_MESSAGE = (
    "Beaucoup de signalements ont été envoyés en peu de temps depuis votre connexion ou avec cette adresse"
    " e-mail. Votre saisie est conservée ci-dessous : renvoyez-la dans une heure au plus tard."
)


@csrf_exempt  # only so that the size limit is in place before the body is read; _report checks the token
def report(request: HttpRequest) -> HttpResponse:
    limit = SizeLimitUploadHandler(request)
    request.upload_handlers.insert(0, limit)
    return _report(request, limit)


@csrf_protect
def _report(request: HttpRequest, limit: SizeLimitUploadHandler) -> HttpResponse:
    """One page: the « find the administration » button brings the suggestions without JavaScript."""
    if request.method != "POST":
        return _render_form(request, ReportForm(initial={"token": secrets.token_urlsafe(16)}))
    searching = request.POST.get("action") == "suggest"
    form = ReportForm(request.POST, request.FILES, suggested=_suggested(request), upload_too_big=limit.too_big)
    if form.is_bot or (not searching and form.is_valid()):
        if document_report_is_over_limit(request, form.data.get("email", "")):
            return _render_form(request, form, limit_message=LIMIT_MESSAGE)
        # A filled honeypot gets the same answer as a person, so the robot learns nothing; nothing is stored.
        if not form.is_bot and _first_use(request.POST.get("token", "")):
            submit_report(**form.submission())
        request.session[RECEIPT_SESSION_KEY] = {"email": mask_email(form.data.get("email", ""))}
        return redirect("simplification:report_done")
    if searching:
        form.hide_errors()
    return _render_form(request, form)


def _suggested(request: HttpRequest) -> list:
    text = f"{request.POST.get('title', '')}\n{request.POST.get('description', '')}"
    return suggest_typologies(text[: TITLE_MAX_LENGTH + DESCRIPTION_MAX_LENGTH + 10], limit=SUGGESTION_LIMIT)


def _first_use(token: str) -> bool:
    """True the first time a form's token is sent: a double click records one report."""
    return not token or cache.add(f"document-report-token:{token[:64]}", True, timeout=TOKEN_TTL)


def _render_form(request: HttpRequest, form: ReportForm, limit_message: str = "") -> HttpResponse:
    return render(
        request,
        "simplification/report.html",
        {
            "form": form,
            "token": request.POST.get("token", "") or form.initial.get("token", ""),
            # A browser never sends a file back: after a re-render the citizen must attach it again.
            "file_dropped": bool(request.FILES.get("document")) or form.upload_too_big,
            "searched": request.method == "POST",
            "title_max": TITLE_MAX_LENGTH,
            "description_min": DESCRIPTION_MIN_LENGTH,
            "description_max": DESCRIPTION_MAX_LENGTH,
            "max_megabytes": MAX_UPLOAD_MEGABYTES,
            "limit_message": limit_message,
            "active_nav": "documents",
            "breadcrumb_data": {
                "links": [{"url": reverse("simplification:examples"), "title": "Documents simplifiés"}],
                "current": REPORT_TITLE,
            },
        },
        status=429 if limit_message else 200,
    )


def report_done(request: HttpRequest) -> HttpResponse:
    """The confirmation, only for the browser that just reported: it shows nothing of anyone else's."""
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if receipt is None:
        return redirect("simplification:report")
    return render(
        request,
        "simplification/report_done.html",
        {
            "masked_email": receipt["email"],
            "active_nav": "documents",
            "breadcrumb_data": {
                "links": [{"url": reverse("simplification:report"), "title": REPORT_TITLE}],
                "current": "Signalement envoyé",
            },
        },
    )


def examples(request: HttpRequest) -> HttpResponse:
    """« Documents simplifiés »: the before / after examples moderators chose to publish (seed 003)."""
    published = ComplexDocumentReport.objects.published_examples().select_related("typology")
    page = Paginator(published.order_by("-published_at", "-pk"), EXAMPLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"active_nav": "documents", "breadcrumb_data": {"current": "Documents simplifiés"}}
    return render(request, "simplification/examples.html", {**pagination(page), **context})
