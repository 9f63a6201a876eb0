"""The execution as the Celery worker runs it, outside any transaction: the results are written by a writer
thread on its own connection while the next chunk is checked, and committed with the import's state or not
at all. The other import tests run inside the test's transaction, where the writes stay inline."""

import importlib
import threading

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.transparency.conftest import csv_bytes, row
from transparency import services
from transparency.models import Import, ImportStatus, Result
from transparency.services import dry_run_import, run_import

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PERIODS = ("2020", "2021", "2022", "2023", "2024", "2025")


@pytest.fixture(autouse=True)
def common_indicators(db):
    """A transactional test empties every table afterwards, the indicators the migration loaded included."""
    importlib.import_module("transparency.migrations.0002_common_indicators").create_common_indicators(apps, None)


@pytest.fixture
def writes(monkeypatch):
    """The name of the thread that wrote each chunk, and a way to make the n-th write fail."""
    seen, real_write = {"threads": [], "fail_at": None}, services.write

    def write(table, rows):
        seen["threads"].append(threading.current_thread().name)
        if len(seen["threads"]) == seen["fail_at"]:
            raise RuntimeError("disque plein")
        real_write(table, rows)

    monkeypatch.setattr(services, "write", write)
    monkeypatch.setattr("transparency.validation.CHUNK", 2)
    return seen


def _queued(tree, referent, *rows) -> Import:
    upload = SimpleUploadedFile("resultats.csv", csv_bytes(*rows), content_type="text/csv")
    record = dry_run_import(network=tree["root"].network, upload=upload, by=referent)
    assert record.status == ImportStatus.TESTED_OK, record.report
    Import.objects.filter(pk=record.pk).update(status=ImportStatus.QUEUED, executed_by=referent)
    return record


def test_the_writer_thread_commits_every_chunk_with_the_import_done(referent, tree, writes):
    record = _queued(tree, referent, *(row("SITE1", period=period) for period in PERIODS), row("SITE2"))

    assert run_import(record.pk) == "done"

    record.refresh_from_db()
    assert (record.status, record.created, record.updated, record.left_unchanged) == (ImportStatus.DONE, 7, 0, 0)
    assert Result.objects.filter(source_import=record).count() == 7
    assert writes["threads"] == ["bulk-writer"] * 4  # chunks of 2: 2 + 2 + 2 + 1 rows


def test_the_writer_thread_creates_and_updates_in_place(referent, tree, writes):
    first = _queued(tree, referent, *(row("SITE1", period=period) for period in PERIODS[:3]))
    assert run_import(first.pk) == "done"
    codes = dict(Result.objects.values_list("period", "code"))

    # 2020 unchanged, 2021 and 2022 with a new value, 2023 and 2024 new: chunks mixing both kinds.
    changed = [row("SITE1", period="2020")] + [row("SITE1", period=p, value="91") for p in PERIODS[1:3]]
    second = _queued(tree, referent, *changed, *(row("SITE1", period=period) for period in PERIODS[3:5]))
    assert run_import(second.pk) == "done"

    second.refresh_from_db()
    assert (second.created, second.updated, second.left_unchanged) == (2, 2, 1)
    stored = {result.period: result for result in Result.objects.all()}
    assert {period: str(result.value) for period, result in stored.items()} == {
        "2020": "87.500",
        "2021": "91.000",
        "2022": "91.000",
        "2023": "87.500",
        "2024": "87.500",
    }
    # Updated in place: the same rows, their codes kept; the import that last wrote each one.
    assert {period: stored[period].code for period in codes} == codes
    assert [stored[p].source_import_id for p in PERIODS[:5]] == [first.pk, second.pk, second.pk, second.pk, second.pk]


def test_a_write_failing_in_the_thread_leaves_nothing_and_marks_the_import_failed(referent, tree, writes):
    record = _queued(tree, referent, *(row("SITE1", period=period) for period in PERIODS))
    writes["fail_at"] = 2  # the first chunk is already merged into the results

    with pytest.raises(RuntimeError, match="disque plein"):
        run_import(record.pk)

    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "rien n'a été enregistré" in record.failure
    assert not Result.objects.exists()


def test_a_row_refused_after_chunks_were_written_rolls_them_back(referent, tree, writes):
    record = _queued(tree, referent, *(row("SITE1", period=period) for period in PERIODS), row("SITE2"))
    type(tree["other_site"]).objects.filter(pk=tree["other_site"].pk).update(is_active=False)

    assert run_import(record.pk) == "failed"

    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "ne passe plus le test" in record.failure
    assert writes["threads"] == ["bulk-writer"] * 3  # three chunks written before SITE2's row was read
    assert not Result.objects.exists()
