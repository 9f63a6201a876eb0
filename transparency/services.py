"""The import's business steps: test a file (the report, nothing written), queue its execution, run it."""

import hashlib
import logging
import tempfile
from functools import partial

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from common.bulk import ChunkWriter, Table, write
from common.exceptions import Refused
from structures.permissions import networks_importable_by, structures_importable_by

from .models import Import, ImportStatus, Result, new_result_codes
from .selectors import PUBLISHING_NETWORKS_KEY, RESULTS_VERSION_KEY
from .validation import Report, Row, check_file

logger = logging.getLogger(__name__)


def progress_key(import_pk: int) -> str:
    return f"transparency:import:{import_pk}:progress"


@transaction.atomic
def dry_run_import(*, network, upload, by) -> Import:
    """Keep the file and its report in the network's history; write no result (seed 003, « Tester »)."""
    if not networks_importable_by(by).filter(pk=network.pk).exists():
        raise Refused("Vous n'êtes pas référent de ce réseau : vous ne pouvez pas y importer de résultats.")
    digest = hashlib.sha256()
    for block in upload.chunks():
        digest.update(block)
    upload.seek(0)
    record = Import(
        network=network,
        uploaded_by=by,
        filename=upload.name[:255],
        sha256=digest.hexdigest(),
        status=ImportStatus.TESTED_WITH_ERRORS,
    )
    record.file.save(upload.name, upload, save=False)
    report = _check(record, by=by)
    _store_report(record, report)
    record.status = ImportStatus.TESTED_OK if report.ok else ImportStatus.TESTED_WITH_ERRORS
    record.save()
    return record


@transaction.atomic
def execute_import(*, record: Import, by) -> Import:
    """Queue the execution of a file tested without error; a second click is a no-op."""
    record = Import.objects.select_for_update().get(pk=record.pk)
    if not networks_importable_by(by).filter(pk=record.network_id).exists():
        raise Refused("Vous n'êtes pas référent de ce réseau : vous ne pouvez pas y importer de résultats.")
    if record.status in (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE):
        return record
    if record.status != ImportStatus.TESTED_OK:
        raise Refused("Seul un fichier testé sans erreur peut être exécuté : corrigez-le, puis testez-le à nouveau.")
    record.status = ImportStatus.QUEUED
    record.executed_by = by
    record.save(update_fields=["status", "executed_by"])
    from .tasks import run_import_task  # the task module imports this one

    transaction.on_commit(lambda: run_import_task.delay(record.pk))
    return record


def run_import(pk: int) -> str:
    """Write the file's results, all or nothing; safe to run twice (only a queued import is claimed).

    The file is checked again here, chunk by chunk; each chunk's rows are written by a writer with its own
    connection and one transaction (PostgreSQL, outside a test's transaction) while the next chunk is
    checked, and the import's new state is written in that same transaction: results and « terminé »
    are committed together, or nothing is.
    """
    if not Import.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING):
        return "not queued"
    record = Import.objects.select_related("network", "executed_by").get(pk=pk)
    try:
        with ChunkWriter(atomic=True) as writer:
            incoming = _Incoming(record, merge_each_chunk=writer.threaded)
            writer.submit(incoming.start)
            report = _check(
                record, by=record.executed_by, write=lambda rows: writer.submit(partial(incoming.add, rows))
            )
            if not report.ok:
                writer.rollback()
                raise Refused(
                    "Le fichier ne passe plus le test (le référentiel a changé depuis) : testez-le à nouveau."
                )
            writer.submit(incoming.finish)
            writer.submit(partial(_finish, record, report))
    except Refused as refusal:
        return _fail(record, refusal.message)
    except Exception:
        logger.exception("transparency import %s failed", pk)
        _fail(record, "Erreur inattendue pendant l'écriture : rien n'a été enregistré. Réessayez ou contactez la DITP.")
        raise
    return "done"


def _check(record: Import, *, by, write=None) -> Report:
    """The file as kept by the storage (a volume or a bucket shared by web and worker), checked from a local copy."""
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(suffix=".csv") as copy:
        with record.file.open("rb") as stored:
            for block in stored.chunks():
                digest.update(block)
                copy.write(block)
        copy.flush()
        if digest.hexdigest() != record.sha256:
            raise Refused("Le fichier conservé ne correspond plus au fichier testé : testez-le à nouveau.")
        return check_file(
            copy.name,
            filename=record.filename,
            network=record.network,
            structures=structures_importable_by(by, record.network),
            write=write,
        )


def _store_report(record: Import, report: Report) -> None:
    record.rows_read = report.rows_read
    record.rows_valid = report.rows_valid
    record.rows_in_error = report.rows_in_error
    record.to_create = report.to_create
    record.to_update = report.to_update
    record.unchanged = report.unchanged
    record.report = report.as_json()


# What an import writes of a result, in the temporary table's order (the bench writes the same).
RESULT_COLUMNS = (
    "code",
    "structure_id",
    "indicator_id",
    "value",
    "frequency",
    "period",
    "period_start",
    "period_end",
    "updated_on",
    "source_import_id",
)


class _Incoming:
    """The rows to write, a chunk at a time: copied into a temporary table (COPY on PostgreSQL), then merged
    into the results in one statement: a new structure × indicator × period is created, a known one updated
    in place, so a re-import of the same file changes nothing (the unchanged rows never reach this table).
    Every step runs on the writer's connection, which owns the temporary table. Merged a chunk at a time
    beside a reader on another connection; on the reader's own connection (a test, SQLite), once at the end,
    so that checking a chunk never reads the rows of the file's earlier ones."""

    UPDATED = ("value", "frequency", "updated_on", "source_import_id")

    def __init__(self, record: Import, *, merge_each_chunk: bool):
        self.record = record
        self.merge_each_chunk = merge_each_chunk
        self.table = Table(Result, RESULT_COLUMNS, name="transparency_incoming_result")
        self.written = 0
        # The test's counts: the execution writes what it announced, or fails.
        self.total = record.to_create + record.to_update

    def start(self) -> None:
        self.table.create_temporary()

    def add(self, rows: list[Row]) -> None:
        import_pk = self.record.pk
        write(
            self.table,
            [
                (
                    code,
                    row.structure_id,
                    row.indicator_id,
                    row.value,
                    row.frequency,
                    row.period,
                    row.period_start,
                    row.period_end,
                    row.updated_on,
                    import_pk,
                )
                for row, code in zip(rows, new_result_codes(len(rows)), strict=True)
            ],
        )
        if self.merge_each_chunk:
            self._merge()
        self.written += len(rows)
        cache.set(progress_key(import_pk), (self.written, self.total), 3600)

    def _merge(self) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in RESULT_COLUMNS)
        updates = ", ".join(f"{quote(column)} = excluded.{quote(column)}" for column in self.UPDATED)
        with connection.cursor() as cursor:
            # `WHERE true`: SQLite's grammar needs it between a SELECT and ON CONFLICT.
            cursor.execute(
                f"INSERT INTO {quote(Result._meta.db_table)} ({columns}) "
                f"SELECT {columns} FROM {quote(self.table.name)} WHERE true "
                f"ON CONFLICT ({quote('structure_id')}, {quote('indicator_id')}, {quote('period')}) "
                f"DO UPDATE SET {updates}"
            )
            cursor.execute(f"DELETE FROM {quote(self.table.name)}")

    def finish(self) -> None:
        if not self.merge_each_chunk:
            self._merge()
        self.table.drop_temporary()


def forget_results() -> None:
    """After results are written: the networks that publish are read again, the structures' results drawn again."""
    cache.delete_many([PUBLISHING_NETWORKS_KEY, RESULTS_VERSION_KEY])


def _finish(record: Import, report: Report) -> None:
    _store_report(record, report)
    record.status = ImportStatus.DONE
    record.executed_at = timezone.now()
    record.created, record.updated, record.left_unchanged = report.to_create, report.to_update, report.unchanged
    record.save()
    transaction.on_commit(forget_results)


def _fail(record: Import, message: str) -> str:
    Import.objects.filter(pk=record.pk).update(status=ImportStatus.FAILED, failure=message)
    return "failed"
