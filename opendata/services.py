"""Generating the published files into the storage backend, one dataset at a time."""

import csv
import hashlib
import secrets
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .datasets import DATASETS, Dataset
from .models import PublishedFile

STORAGE_FOLDER = "opendata"
# UTF-8 with a BOM: LibreOffice and Excel then read the accents right without being asked.
ENCODING = "utf-8-sig"


def write_csv(dataset: Dataset, handle) -> int:
    """Write the header and every row to a text handle; the rows are streamed, never held. Returns the row count."""
    writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
    writer.writerow(dataset.header)
    count = 0
    for row in dataset.rows():
        writer.writerow(row)
        count += 1
    return count


def generate_file(slug: str) -> PublishedFile:
    """Write the dataset to a temporary file, store it under a new name, then point the page at it.

    A new name per generation: a download in progress keeps reading the previous file, never half of each.
    """
    dataset = DATASETS[slug]
    with tempfile.TemporaryFile("w+b") as raw:
        with open(raw.fileno(), "w", encoding=ENCODING, newline="", closefd=False) as text:
            row_count = write_csv(dataset, text)
        size, sha256 = _measure(raw)
        path = default_storage.save(f"{STORAGE_FOLDER}/{slug}-{secrets.token_hex(6)}.csv", File(raw))
    values = {"path": path, "generated_at": timezone.now(), "row_count": row_count, "size": size, "sha256": sha256}
    with transaction.atomic():
        previous = PublishedFile.objects.select_for_update().filter(slug=slug).first()
        published, _ = PublishedFile.objects.update_or_create(slug=slug, defaults=values)
    if previous and previous.path and previous.path != path:
        transaction.on_commit(lambda: default_storage.delete(previous.path))
    return published


def generate_all(slugs: list[str] | None = None) -> list[PublishedFile]:
    return [generate_file(slug) for slug in DATASETS if slugs is None or slug in slugs]


def _measure(raw) -> tuple[int, str]:
    raw.seek(0)
    digest, size = hashlib.sha256(), 0
    while block := raw.read(1 << 20):
        digest.update(block)
        size += len(block)
    raw.seek(0)
    return size, digest.hexdigest()
