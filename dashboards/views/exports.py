"""The dashboard's exports: the CSV at once, the PDF prepared by a worker, its progress page and its file."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_POST

from accounts.access import member_required
from dashboards.export_files import dashboard_csv, export_filename, export_query, scope_for
from dashboards.models import DashboardExport, ExportStatus, StoredExport
from dashboards.selectors.figures import dashboard
from dashboards.services.pdf_exports import ExportRefused, request_dashboard_pdf


@require_GET
@member_required
def dashboard_csv_file(request: HttpRequest) -> HttpResponse:
    """The figures of the dashboard the same query shows, one row each; cheap enough to compute now."""
    scope = scope_for(request.user, export_query(request.GET))
    if scope is None:
        return render(request, "agents/not_member.html", status=403)
    content = dashboard_csv(dashboard(scope), generated_at=timezone.now())
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, export_filename(scope, "csv"))
    return response


@require_POST
@member_required
def request_pdf(request: HttpRequest) -> HttpResponse:
    query = export_query(request.GET)
    try:
        export = request_dashboard_pdf(by=request.user, query=query)
    except ExportRefused:
        return render(request, "agents/not_member.html", status=403)
    if export.params != query:
        # One export in preparation per user: the one asked for earlier comes first.
        messages.warning(
            request,
            f"Un export PDF est déjà en préparation pour vous : « {export.scope_label} ». "
            "Attendez-le, puis demandez le suivant quand celui-ci sera prêt.",
        )
    response = redirect("agents:dashboard_export", public_id=export.public_id)
    response.status_code = 303  # See Other: the browser GETs the progress page, never re-POSTs.
    return response


@require_GET
@member_required
def export_status(request: HttpRequest, public_id) -> HttpResponse:
    export = get_object_or_404(DashboardExport.objects.visible_to(request.user), public_id=public_id)
    return export_status_page(request, export)


def export_status_page(request: HttpRequest, export: DashboardExport) -> HttpResponse:
    """Progress while pending or running, the download when ready, the reason when failed; 410 once expired."""
    query = urlencode(export.params)
    dashboard_url = reverse("agents:dashboard") + (f"?{query}" if query else "")
    context = {
        "export": export,
        "size": file_size(export) if export.status == ExportStatus.READY and not export.is_expired else None,
        "query": query,
        "dashboard_url": dashboard_url,
        "agent_nav": "dashboard",
        "breadcrumb_data": {"links": [{"url": dashboard_url, "title": "Tableau de bord"}], "current": "Export PDF"},
    }
    return render(request, "dashboards/export_status.html", context, status=410 if export.is_expired else 200)


def file_size(export: DashboardExport) -> int | None:
    try:
        return export.file.size
    except OSError:  # gone from the storage: the download says it expired
        return None


@require_GET
@member_required
def export_file(request: HttpRequest, public_id) -> HttpResponse:
    export = get_object_or_404(DashboardExport.objects.visible_to(request.user), public_id=public_id)
    response = stored_file_response(export)
    if response is not None:
        return response
    if export.is_expired:
        return export_status_page(request, export)
    return redirect("agents:dashboard_export", public_id=export.public_id)


def stored_file_response(export: StoredExport) -> FileResponse | None:
    """The file of a ready export, streamed from the storage backend whichever server wrote it; None otherwise.

    A file removed from the storage before the purge marked it expired makes the export expired here.
    """
    if export.is_expired or export.status != ExportStatus.READY:
        return None
    try:
        file = export.file.open("rb")
    except FileNotFoundError:
        export.status = ExportStatus.EXPIRED
        return None
    return FileResponse(file, as_attachment=True, filename=export.filename, content_type="application/pdf")
