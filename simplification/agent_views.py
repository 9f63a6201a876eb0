"""The agents' pages over reports of complex documents: the list, one report, and its file, all scoped."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.access import member_required

from .selectors import pagination, reports_for_agent
from .uploads import EXTENSIONS

PAGE_SIZE = 20
LIST_TITLE = "Documents signalés"


@member_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(reports_for_agent(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"agent_nav": "documents", "breadcrumb_data": {"current": LIST_TITLE}}
    return render(request, "agents/documents/list.html", {**pagination(page), **context})


@member_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(reports_for_agent(request.user), pk=pk)
    return render(
        request,
        "agents/documents/detail.html",
        {
            "report": report,
            "agent_nav": "documents",
            "breadcrumb_data": {
                "links": [{"url": reverse("agents:document_reports"), "title": LIST_TITLE}],
                "current": f"Signalement n° {report.pk}",
            },
        },
    )


@member_required
@require_GET
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to moderators and the agents of the routed structures only; never cached, never displayed inline."""
    report = get_object_or_404(reports_for_agent(request.user), pk=pk)
    if not report.file:
        raise Http404("Aucun document joint")
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=f"signalement-{report.pk}.{EXTENSIONS.get(report.file_type, 'bin')}",
        content_type=report.file_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
