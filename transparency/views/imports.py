"""The referents' import module at /agents/imports/: form and history, report, execution and its progress."""

import csv
import io

from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from accounts.access import member_required
from common.exceptions import Refused
from structures.permissions import networks_importable_by

from ..forms import ImportForm
from ..models import Import, ImportStatus
from ..services import dry_run_import, execute_import, progress_key
from ..template_file import TEMPLATE_FILENAME, import_template_csv
from ..validation import COLUMNS, SAMPLE_PATH

HISTORY_LENGTH = 50


def _networks_or_404(request: HttpRequest):
    networks = networks_importable_by(request.user)
    if not networks.exists():
        raise Http404("Le module d'import est réservé aux référents de réseau.")
    return networks


def _imports_for(request: HttpRequest):
    return Import.objects.filter(network__in=networks_importable_by(request.user)).select_related(
        "network", "uploaded_by"
    )


def _context(**extra) -> dict:
    return {"agent_nav": "imports", **extra}


@member_required
def imports_home(request: HttpRequest) -> HttpResponse:
    """« J'importe des données » and the history of the referent's networks."""
    networks = _networks_or_404(request)
    form = ImportForm(request.POST or None, request.FILES or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            record = dry_run_import(
                network=form.cleaned_data["network"], upload=form.cleaned_data["file"], by=request.user
            )
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            return redirect("agents:import", pk=record.pk)
    history = _imports_for(request)[:HISTORY_LENGTH]
    breadcrumb = {"current": "Imports de données"}
    return render(
        request,
        "transparency/imports/home.html",
        _context(form=form, history=history, networks=networks, breadcrumb_data=breadcrumb),
    )


@require_GET
@member_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The test's report; the execute button when it found no error; the progress while it runs."""
    record = get_object_or_404(_imports_for(request), pk=pk)
    progress = cache.get(progress_key(record.pk)) if record.status == ImportStatus.RUNNING else None
    breadcrumb = {"links": [{"url": "/agents/imports/", "title": "Imports de données"}], "current": record.filename}
    return render(
        request,
        "transparency/imports/detail.html",
        _context(record=record, report=record.report, progress=progress, breadcrumb_data=breadcrumb),
    )


@require_POST
@member_required
def import_execute(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(_imports_for(request), pk=pk)
    try:
        execute_import(record=record, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    response = redirect("agents:import", pk=record.pk)
    response.status_code = 303
    return response


@require_GET
@member_required
def import_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(_imports_for(request), pk=pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Gravité", "Ligne", "Colonne", "Valeur", "Message"])
    if record.report.get("file_error"):
        writer.writerow(["erreur", 1, "", "", record.report["file_error"]])
    for severity, key in (("erreur", "errors"), ("avertissement", "warnings")):
        for line, column, value, message in record.report.get(key, []):
            writer.writerow([severity, line, column, value, message])
    if record.report.get("partial"):
        writer.writerow(
            [
                "",
                "",
                "",
                "",
                f"Rapport partiel : {record.report['error_count']} erreurs, les premières seulement sont listées.",
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"rapport-import-{record.pk}.csv")
    return response


@require_GET
@member_required
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(_imports_for(request), pk=pk)
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.filename)


@require_GET
@member_required
def import_template(request: HttpRequest) -> HttpResponse:
    """« Modèle type de fichier d'import » (seed 003): the header and one example row, in UTF-8 with « ; »."""
    _networks_or_404(request)
    response = HttpResponse(import_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, TEMPLATE_FILENAME)
    return response


@require_GET
@member_required
def import_sample(request: HttpRequest) -> HttpResponse:
    _networks_or_404(request)
    return FileResponse(SAMPLE_PATH.open("rb"), as_attachment=True, filename="resultats-exemple.csv")


@require_GET
@member_required
def import_guide(request: HttpRequest) -> HttpResponse:
    """The short practical guide (seed 003), printable from the browser."""
    _networks_or_404(request)
    breadcrumb = {"links": [{"url": "/agents/imports/", "title": "Imports de données"}], "current": "Guide pratique"}
    return render(request, "transparency/imports/guide.html", _context(columns=COLUMNS, breadcrumb_data=breadcrumb))
