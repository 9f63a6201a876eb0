"""The import as the command runs it, outside any transaction: a writer thread with its own connection writes
each chunk while the next one is parsed, in one transaction committed at the end or not at all. The other
import tests run inside the test's transaction, where the writes stay inline."""

import threading

import pytest

from experiences.importers import import_experiences, writer
from experiences.models import Experience, ExperienceTypology
from structures.models import BusinessTag, Department, Region, Structure
from structures.territories import load_territories
from tests.experiences.test_import_experiences import column, first_rows_renumbered, write_file
from tests.factories import StructureFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_rows():
    # The territories a migration loaded: an earlier transactional test's flush may have emptied them.
    # (serialized_rollback cannot restore them: that flush re-created the content types it would insert.)
    load_territories(Region, Department)
    header, rows = first_rows_renumbered(10)  # the ninth has business tags
    for code in {row[column(header, "ID structure 1")] for row in rows}:
        StructureFactory(code=code)
    return header, rows


@pytest.fixture
def write_threads(monkeypatch):
    threads, real_write_rows = [], writer.write_rows

    def write_rows(*args):
        threads.append(threading.current_thread().name)
        real_write_rows(*args)

    monkeypatch.setattr("experiences.importers.run.write_rows", write_rows)
    monkeypatch.setattr("experiences.importers.run.CHUNK", 3)
    return threads


def test_chunks_are_written_by_the_writer_thread_and_committed(sample_rows, write_threads, tmp_path):
    report = import_experiences(write_file(tmp_path, *sample_rows))

    assert (report.ok, report.created, report.updated, report.unchanged) == (True, 10, 0, 0)
    assert write_threads == ["bulk-writer"] * 4
    experiences = Experience.objects.filter(public_id__range=(999_001, 999_010))
    assert experiences.count() == 10
    assert ExperienceTypology.objects.filter(experience__in=experiences).count() >= 10
    # The business tags the writer created in its transaction are there, in the structures' networks.
    networks = set(Structure.objects.values_list("network_id", flat=True))
    assert 0 < report.business_tags_created == BusinessTag.objects.filter(network__in=networks).count()


def test_a_bad_row_after_written_chunks_rolls_them_back(sample_rows, write_threads, tmp_path):
    header, rows = sample_rows
    rows[9][column(header, "ID structure 1")] = "INCONNUE"

    report = import_experiences(write_file(tmp_path, header, rows))

    assert [line for line, _ in report.sorted_errors()] == [11]
    assert write_threads == ["bulk-writer"] * 3  # lines 2–10, the business tags among them, before line 11
    assert not Experience.objects.filter(public_id__range=(999_001, 999_010)).exists()
    assert not BusinessTag.objects.exists()


def test_a_dry_run_beside_the_writer_keeps_nothing(sample_rows, write_threads, tmp_path):
    report = import_experiences(write_file(tmp_path, *sample_rows), dry_run=True)

    assert (report.ok, report.created) == (True, 10)
    assert not Experience.objects.filter(public_id__range=(999_001, 999_010)).exists()
