"""The moderation queue's filter choices, read from the referentials and cached, never from the experiences' rows.

Computing them from the queue (« the typologies, departments and sources of the experiences waiting ») cost
0.5–1 s each on a million experiences (bench/agent_pages.py): a DISTINCT over a join of the big tables.
"""

from django.core.cache import cache
from django.db import connection

from experiences.models import Experience
from experiences.sources import source_label
from structures.models import Department, Typology

CHOICES_CACHE_KEY = "experiences:queue-filter-choices:v1"
CHOICES_CACHE_SECONDS = 600

# The distinct sources by a skip scan of the source index: one probe per value (a handful of campaigns),
# where DISTINCT reads every row. Valid SQL for PostgreSQL and SQLite.
DISTINCT_SOURCES_SQL = """
WITH RECURSIVE sources(source) AS (
    SELECT MIN(source) FROM {table}
    UNION ALL
    SELECT (SELECT MIN(source) FROM {table} WHERE source > sources.source) FROM sources WHERE source IS NOT NULL
)
SELECT source FROM sources WHERE source IS NOT NULL
"""


def queue_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """(value, label) of the typologies, departments and sources a moderator may filter the queue by."""
    return cache.get_or_set(CHOICES_CACHE_KEY, _queue_filter_choices, CHOICES_CACHE_SECONDS)


def _queue_filter_choices() -> dict[str, list[tuple[str, str]]]:
    # Two typologies of one name in two networks are told apart by their network.
    typologies = Typology.objects.select_related("network").order_by("name", "network__name", "pk")
    return {
        "typologies": [(str(t.pk), f"{t.name} ({t.network.name})") for t in typologies],
        "departments": [(d.code, str(d)) for d in Department.objects.order_by("code")],
        "sources": [(source, source_label(source) or "(aucune)") for source in distinct_sources()],
    }


def distinct_sources() -> list[str]:
    """Every source an experience was shared from, in order (all states: a campaign's name is not secret)."""
    with connection.cursor() as cursor:
        cursor.execute(DISTINCT_SOURCES_SQL.format(table=connection.ops.quote_name(Experience._meta.db_table)))
        return [row[0] for row in cursor.fetchall()]
