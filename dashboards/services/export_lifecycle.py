"""The life of a stored export (dashboards.models.StoredExport), whatever it prints.

A request records a row and hands its id to a worker after the commit. The worker claims the row with a
conditional UPDATE (pending → running), so a task delivered twice renders once; it resolves what to print
again with the requester's permissions of the moment, writes the file to the default storage (a volume
shared by web and workers, or an object store: never one server's disk) and marks the row ready for 24
hours. An hourly beat task deletes expired files and fails the exports of workers that died.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from dashboards.models import ACTIVE_EXPORT_STATUSES, ExportStatus, StoredExport

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = datetime.timedelta(hours=24)
# A worker takes seconds; an export still unfinished after this belongs to a worker that died or a
# task the broker lost.
STALE_AFTER = datetime.timedelta(minutes=15)
PURGE_BATCH = 500
FAILED = "Le PDF n'a pas pu être préparé. Réessayez ; si l'erreur persiste, signalez-la à la DITP."
UNAVAILABLE = "Le service de préparation des fichiers est momentanément indisponible. Réessayez dans quelques minutes."
INTERRUPTED = "La préparation a été interrompue. Relancez-la."


@dataclass(frozen=True)
class Prepared:
    """What a worker writes: the file's readable name, how to render its bytes, and fields to update with it."""

    filename: str
    render: Callable[[], bytes]
    fields: dict


@dataclass(frozen=True)
class ExportLifecycle:
    """One kind of export's steps; `task` is the dotted path of its Celery task (imported late: tasks import us)."""

    model: type[StoredExport]
    task: str
    no_access: str

    def queue(self, export: StoredExport) -> StoredExport:
        transaction.on_commit(partial(self.dispatch, export.pk))
        return export

    def dispatch(self, pk: int) -> None:
        """Hand the export to Celery; without a broker, tell the user now rather than let them wait."""
        try:
            import_string(self.task).apply_async((pk,), retry=False)
        except Exception:  # noqa: BLE001 — any broker failure: the row says so and the user can retry.
            logger.warning("Broker unreachable: %s %s not queued", self.model.__name__, pk, exc_info=True)
            self.fail(pk, UNAVAILABLE, among=[ExportStatus.PENDING])

    def claim(self, pk: int) -> bool:
        """Take a pending export for this worker alone."""
        return bool(self.model.objects.filter(pk=pk, status=ExportStatus.PENDING).update(status=ExportStatus.RUNNING))

    def generate(self, pk: int, prepare: Callable[[StoredExport], Prepared | None]) -> str | None:
        """Render a claimed export to the storage. Returns its new status, or None when it was not pending.

        `prepare` resolves what the requester may print now; None means they may no longer read it.
        """
        if not self.claim(pk):
            return None
        export = self.model.objects.select_related("requested_by").get(pk=pk)
        prepared = prepare(export)
        if prepared is None:
            return self.fail(pk, self.no_access)
        try:
            export.file.save(prepared.filename, ContentFile(prepared.render()), save=False)
        except Exception:  # noqa: BLE001 — WeasyPrint, the storage, a time limit: the user sees why and retries.
            logger.exception("%s %s failed", self.model.__name__, pk)
            return self.fail(pk, FAILED)
        finished = timezone.now()
        ready = self.model.objects.filter(pk=pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.READY,
            file=export.file.name,
            finished_at=finished,
            expires_at=finished + EXPORT_LIFETIME,
            **prepared.fields,
        )
        if not ready:
            # The sweep gave up on this export meanwhile: its file would never be purged.
            export.file.storage.delete(export.file.name)
            return None
        return ExportStatus.READY

    def fail(self, pk: int, message: str, among=ACTIVE_EXPORT_STATUSES) -> str:
        self.model.objects.filter(pk=pk, status__in=among).update(
            status=ExportStatus.FAILED, error=message, finished_at=timezone.now()
        )
        return ExportStatus.FAILED

    def fail_stale(self, now: datetime.datetime | None = None, **filters) -> int:
        """Give up on exports left pending or running by a dead worker or a lost task, so users can ask again."""
        now = now or timezone.now()
        stale = self.model.objects.active().filter(created_at__lt=now - STALE_AFTER, **filters)
        return stale.update(status=ExportStatus.FAILED, error=INTERRUPTED, finished_at=now)

    def purge_expired(self, now: datetime.datetime | None = None) -> int:
        """Delete the files of exports past their expiry; the rows stay, as expired, to say so (410)."""
        now = now or timezone.now()
        self.fail_stale(now)
        expired = self.model.objects.filter(status=ExportStatus.READY, expires_at__lte=now)
        purged = 0
        for export in expired.order_by("expires_at")[:PURGE_BATCH]:
            # The file first: a crash in between leaves a ready row without a file, which the next
            # purge finishes; the other order would leave a file that nothing ever deletes.
            export.file.storage.delete(export.file.name)
            purged += self.model.objects.filter(pk=export.pk, status=ExportStatus.READY).update(
                status=ExportStatus.EXPIRED, file=""
            )
        return purged
