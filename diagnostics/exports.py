"""Diagnostics PDFs prepared by Celery: the blank questionnaire, a diagnostic's results, a consolidation.

As the dashboard's exports (dashboards/services/pdf_exports.py): a request records a row and hands its id to a
worker after the commit; the worker claims it (pending → running), resolves what to print again with the
requester's permissions of the moment, writes the PDF to the default storage, and marks it ready for 24 hours;
an hourly beat task deletes expired files.
"""

import datetime
import logging
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from common.pdf import render_pdf
from dashboards.services.pdf_exports import EXPORT_LIFETIME, FAILED, STALE_AFTER, UNAVAILABLE
from diagnostics import consolidation, observed, results, scoring, selectors, services
from diagnostics.models import DiagnosticExport, ExportKind, ExportStatus
from structures.commitments import COMMITMENTS
from structures.permissions import is_member

logger = logging.getLogger(__name__)

NO_ACCESS = "Vous n'avez plus accès à ces résultats : votre rattachement a changé."
PURGE_BATCH = 500


def _document(user, kind: str, params: dict) -> tuple[str, str, dict] | None:
    """(file name, template, context) of what `user` may print now, or None."""
    if not is_member(user):
        return None
    if kind == ExportKind.BLANK:
        version = services.current_version()
        questions = list(version.questions.order_by("commitment", "order"))
        context = {"version": version, "questions": questions, "commitments": COMMITMENTS}
        return f"questionnaire-diagnostic-sp+_v{version.number}.pdf", "diagnostics/pdf_blank.html", context
    if kind == ExportKind.RESULTS:
        found = selectors.readable_diagnostics(user).filter(pk=params.get("diagnostic"), results__isnull=False).first()
        if found is None:
            return None
        context = {
            "diagnostic": found,
            "view": results.results_view(found),
            "rule": scoring.RULE,
            "disagreements": observed.disagreements(found.results),
            "notes": found.notes.exclude(text="").order_by("commitment"),
            "pdf": True,
        }
        name = f"diagnostic_{found.structure.code}_{timezone.localdate(found.completed_at):%Y-%m-%d}.pdf"
        return name, "diagnostics/pdf_results.html", context
    target = selectors.consolidation_target(user, params, selectors.networks_consolidated_by(user))
    if target is None:
        return None
    members, label, _ = target
    typology, year = params.get("typologie"), params.get("annee")
    result = consolidation.consolidate(
        members,
        label=label,
        typology_id=int(typology) if str(typology or "").isdigit() else None,
        year=int(year) if str(year or "").isdigit() else None,
    )
    name = f"diagnostics-consolides_{slugify(label)[:80]}.pdf"
    return name, "diagnostics/pdf_consolidated.html", {"consolidation": result}


LABELS = {
    ExportKind.BLANK: "Questionnaire vierge du diagnostic Services Publics+",
    ExportKind.RESULTS: "Résultats du diagnostic",
    ExportKind.CONSOLIDATED: "Résultats consolidés des diagnostics",
}


@transaction.atomic
def request_export(*, by, kind: str, params: dict, label: str = "") -> DiagnosticExport | None:
    """Queue a PDF; None when `by` may not read what it would hold."""
    if _document(by, kind, params) is None:
        return None
    export = DiagnosticExport.objects.create(
        requested_by=by, kind=kind, params=params, label=(f"{LABELS[kind]} — {label}" if label else LABELS[kind])
    )
    transaction.on_commit(partial(dispatch, export.pk))
    return export


def dispatch(pk: int) -> None:
    from diagnostics.tasks import generate_export_task

    try:
        generate_export_task.apply_async((pk,), retry=False)
    except Exception:  # noqa: BLE001 — any broker failure: the row says so and the user can retry.
        logger.warning("Broker unreachable: diagnostic export %s not queued", pk, exc_info=True)
        _fail(pk, UNAVAILABLE)


def _fail(pk: int, message: str) -> str:
    DiagnosticExport.objects.filter(pk=pk, status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]).update(
        status=ExportStatus.FAILED, error=message, finished_at=timezone.now()
    )
    return ExportStatus.FAILED


def generate_export(pk: int) -> str | None:
    """Render a claimed export to the storage; None when it was not pending (a task delivered twice)."""
    if not DiagnosticExport.objects.filter(pk=pk, status=ExportStatus.PENDING).update(status=ExportStatus.RUNNING):
        return None
    export = DiagnosticExport.objects.select_related("requested_by").get(pk=pk)
    document = _document(export.requested_by, export.kind, export.params)
    if document is None:
        return _fail(pk, NO_ACCESS)
    name, template, context = document
    try:
        pdf = render_pdf(template, {**context, "generated_at": timezone.now()})
        export.file.save(name, ContentFile(pdf), save=False)
    except Exception:  # noqa: BLE001 — WeasyPrint, the storage, a time limit: the user sees why and retries.
        logger.exception("Diagnostic export %s failed", pk)
        return _fail(pk, FAILED)
    finished = timezone.now()
    DiagnosticExport.objects.filter(pk=pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.READY, file=export.file.name, finished_at=finished, expires_at=finished + EXPORT_LIFETIME
    )
    return ExportStatus.READY


def purge_expired_exports(now: datetime.datetime | None = None) -> int:
    """Delete expired files (the rows stay, as expired) and fail exports a dead worker left behind."""
    now = now or timezone.now()
    DiagnosticExport.objects.filter(
        status__in=[ExportStatus.PENDING, ExportStatus.RUNNING], created_at__lt=now - STALE_AFTER
    ).update(status=ExportStatus.FAILED, error="La préparation a été interrompue. Relancez-la.", finished_at=now)
    purged = 0
    for export in DiagnosticExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now)[:PURGE_BATCH]:
        export.file.storage.delete(export.file.name)
        purged += DiagnosticExport.objects.filter(pk=export.pk, status=ExportStatus.READY).update(
            status=ExportStatus.EXPIRED, file=""
        )
    return purged
