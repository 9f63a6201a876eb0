"""Counting visits of the share form per tracking source and day, for the dashboard's conversion rate."""

import datetime

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from experiences.models import ShareVisit
from experiences.sources import DIRECT, canonical_source
from structures.models import Structure

TABLE = ShareVisit._meta.db_table
UPSERT = (
    f"INSERT INTO {TABLE} (source, day, visits) VALUES (%s, %s, 1) "
    f"ON CONFLICT (source, day) DO UPDATE SET visits = {TABLE}.visits + 1"
)


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
    # One statement, on PostgreSQL and SQLite alike: two replicas counting the same first visit cannot collide.
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [source, day])
    return True
