"""Counting visits of the share form per tracking source and day, for the dashboard's conversion rate."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from experiences.models import ShareVisit
from experiences.sources import DIRECT, canonical_source
from structures.models import Structure


def is_counted_source(source: str) -> bool:
    """Direct visits and the structures' tracking sources (their key, else their code): a made-up source in a
    link would otherwise add a row per request to the counter table."""
    return source == DIRECT or Structure.objects.filter(Q(tracking_key=source) | Q(code=source)).exists()


def record_share_visit(*, source: str, day: datetime.date | None = None) -> bool:
    """One more visit for `source` today; nothing about the visitor is read or kept. False when not counted."""
    source = canonical_source(source)
    if not is_counted_source(source):
        return False
    day = day or timezone.localdate()
    if ShareVisit.objects.filter(source=source, day=day).update(visits=F("visits") + 1):
        return True
    try:
        with transaction.atomic():
            ShareVisit.objects.create(source=source, day=day, visits=1)
    except IntegrityError:  # another request created today's row first
        ShareVisit.objects.filter(source=source, day=day).update(visits=F("visits") + 1)
    return True
