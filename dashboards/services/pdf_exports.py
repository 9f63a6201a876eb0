"""Dashboard exports prepared by Celery: request one, generate it, purge it when it expires.

A request records a `DashboardExport` row and hands its id to a worker after the commit. The worker
claims the row with a conditional UPDATE (pending → running), so a task delivered twice renders once;
it resolves the scope again with the requester's permissions of the moment, writes the PDF to the
default storage (a volume shared by web and workers, or an object store: never one server's disk)
and marks the row ready for 24 hours. An hourly beat task deletes expired files and fails the
exports of workers that died.
"""

import datetime
import logging
from functools import partial

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.exceptions import Refused
from dashboards.export_files import dashboard_pdf, export_filename, period_label, scope_for
from dashboards.models import DashboardExport, ExportFormat, ExportStatus
from dashboards.report import build_report

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = datetime.timedelta(hours=24)
# A worker takes seconds; an export still unfinished after this belongs to a worker that died or a
# task the broker lost.
STALE_AFTER = datetime.timedelta(minutes=15)
PURGE_BATCH = 500
NO_ACCESS = "Vous n'avez plus accès à ce tableau de bord : votre rattachement a changé."
FAILED = "Le PDF n'a pas pu être préparé. Réessayez ; si l'erreur persiste, signalez-la à la DITP."
UNAVAILABLE = "Le service de préparation des fichiers est momentanément indisponible. Réessayez dans quelques minutes."
INTERRUPTED = "La préparation a été interrompue. Relancez-la."


class ExportRefused(Refused):
    """The user may see no dashboard at all: the view answers with the « not a member » page, not a message."""


@transaction.atomic
def request_dashboard_pdf(*, by, query: dict[str, str]) -> DashboardExport:
    """Queue a PDF of the dashboard `query` describes; while one is in preparation, return that one."""
    scope = scope_for(by, query)
    if scope is None:
        raise ExportRefused(NO_ACCESS)
    fail_stale_exports(requested_by=by)
    active = DashboardExport.objects.active().filter(requested_by=by).first()
    if active is not None:
        return active
    try:
        # A savepoint: two simultaneous clicks meet the one-active-export constraint, not a 500.
        with transaction.atomic():
            export = DashboardExport.objects.create(
                requested_by=by,
                params=query,
                scope_label=f"{scope.label}, {period_label(scope)}",
                format=ExportFormat.PDF,
            )
    except IntegrityError:
        return DashboardExport.objects.active().get(requested_by=by)
    transaction.on_commit(partial(dispatch, export.pk))
    return export


def dispatch(pk: int) -> None:
    """Hand the export to Celery; without a broker, tell the user now rather than let them wait."""
    from dashboards.tasks import generate_dashboard_pdf_task

    try:
        generate_dashboard_pdf_task.apply_async((pk,), retry=False)
    except Exception:  # noqa: BLE001 — any broker failure: the row says so and the user can retry.
        logger.warning("Broker unreachable: dashboard export %s not queued", pk, exc_info=True)
        _fail(pk, UNAVAILABLE, among=[ExportStatus.PENDING])


def claim(pk: int) -> bool:
    """Take a pending export for this worker alone."""
    return bool(DashboardExport.objects.filter(pk=pk, status=ExportStatus.PENDING).update(status=ExportStatus.RUNNING))


def generate_dashboard_pdf(pk: int) -> str | None:
    """Render a claimed export to the storage. Returns its new status, or None when it was not pending."""
    if not claim(pk):
        return None
    export = DashboardExport.objects.select_related("requested_by").get(pk=pk)
    scope = scope_for(export.requested_by, export.params)
    if scope is None:
        return _fail(pk, NO_ACCESS)
    now = timezone.now()
    try:
        pdf = dashboard_pdf(build_report(scope), generated_at=now)
        export.file.save(export_filename(scope, "pdf"), ContentFile(pdf), save=False)
    except Exception:  # noqa: BLE001 — WeasyPrint, the storage, a time limit: the user sees why and retries.
        logger.exception("Dashboard export %s failed", pk)
        return _fail(pk, FAILED)
    finished = timezone.now()
    ready = DashboardExport.objects.filter(pk=pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.READY,
        file=export.file.name,
        scope_label=f"{scope.label}, {period_label(scope)}",
        finished_at=finished,
        expires_at=finished + EXPORT_LIFETIME,
    )
    if not ready:
        # The sweep gave up on this export meanwhile: its file would never be purged.
        export.file.storage.delete(export.file.name)
        return None
    return ExportStatus.READY


def _fail(pk: int, message: str, among=(ExportStatus.PENDING, ExportStatus.RUNNING)) -> ExportStatus:
    DashboardExport.objects.filter(pk=pk, status__in=among).update(
        status=ExportStatus.FAILED, error=message, finished_at=timezone.now()
    )
    return ExportStatus.FAILED


def fail_stale_exports(**filters) -> int:
    """Give up on exports left pending or running by a dead worker or a lost task, so users can ask again."""
    stale = DashboardExport.objects.active().filter(created_at__lt=timezone.now() - STALE_AFTER, **filters)
    return stale.update(status=ExportStatus.FAILED, error=INTERRUPTED, finished_at=timezone.now())


def purge_expired_exports() -> int:
    """Delete the files of exports past their expiry; the rows stay, as expired, to say so (410)."""
    fail_stale_exports()
    expired = DashboardExport.objects.filter(status=ExportStatus.READY, expires_at__lte=timezone.now())
    purged = 0
    for export in expired.order_by("expires_at")[:PURGE_BATCH]:
        # The file first: a crash in between leaves a ready row without a file, which the next
        # purge finishes; the other order would leave a file that nothing ever deletes.
        export.file.storage.delete(export.file.name)
        purged += DashboardExport.objects.filter(pk=export.pk, status=ExportStatus.READY).update(
            status=ExportStatus.EXPIRED, file=""
        )
    return purged
