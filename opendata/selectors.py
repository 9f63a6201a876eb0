"""What the open-data page lists: each dataset with its latest generation."""

from dataclasses import dataclass

from .datasets import DATASETS, Dataset
from .models import PublishedFile


@dataclass
class Entry:
    dataset: Dataset
    file: PublishedFile | None


def published_entries() -> list[Entry]:
    files = {published.slug: published for published in PublishedFile.objects.all()}
    return [Entry(dataset, files.get(slug)) for slug, dataset in DATASETS.items()]
