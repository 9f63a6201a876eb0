"""Building the dashboard's daily rollup: per scope and day of publication, the figures of seed 003.

Scopes are every structure's subtree (its ancestors-or-self via the tree's bounds), every structure
with children on its own, every network and the whole country. An experience counts once per scope
and day, so any range of days adds up exactly; a routing counts in each scope holding its structure.
PostgreSQL only: on SQLite (`make run`) the dashboard stays live, which the demo's size allows.

Celery beat rebuilds the last `RECENT_DAYS` days every 10 minutes and everything each night: answers,
evaluations, tags and actions keep changing the figures of older days. A chunk of days is deleted and
rebuilt in one transaction, so readers never see half a day.
"""

import datetime
import logging

from django.db import connection, transaction
from django.utils import timezone

from experiences.models import Assignment, DashboardDay, DashboardRollupState, ResponseState, RollupKind
from experiences.selectors.search import PARIS, paris_midnight

logger = logging.getLogger(__name__)

RECENT_DAYS = 35
CHUNK_DAYS = 31

# The routings published in [start, end), then once per scope that holds their structure: its ancestors
# (by parent links, at most the tree's depth of index lookups, where the bounds would scan a wide tree's
# nodes for each routing), the structure alone when it has children, its network, everything.
ROUTINGS_SQL = """
CREATE TEMP TABLE rollup_routing ON COMMIT DROP AS
SELECT a.id AS assignment_id, a.experience_id, a.structure_id, a.published_at, a.first_response_at,
       a.needs_improvement, a.feeling, (a.published_at AT TIME ZONE 'Europe/Paris')::date AS day,
       s.network_id, s.rght > s.lft + 1 AS has_children
FROM experiences_assignment a JOIN structures_structure s ON s.id = a.structure_id
WHERE a.published_at >= %(start)s AND a.published_at < %(end)s
"""
ANCESTORS_SQL = """
CREATE TEMP TABLE rollup_ancestor ON COMMIT DROP AS
WITH RECURSIVE chain (structure_id, ancestor_id, parent_id) AS (
    SELECT s.id, s.id, s.parent_id FROM structures_structure s
    WHERE s.id IN (SELECT DISTINCT structure_id FROM rollup_routing)
    UNION ALL
    SELECT chain.structure_id, parent.id, parent.parent_id
    FROM chain JOIN structures_structure parent ON parent.id = chain.parent_id
)
SELECT structure_id, ancestor_id FROM chain
"""
MEMBERS_SQL = """
CREATE TEMP TABLE rollup_member ON COMMIT DROP AS
SELECT %(subtree)s::text AS kind, ancestor.ancestor_id AS target_id, routing.*
FROM rollup_routing routing JOIN rollup_ancestor ancestor USING (structure_id)
UNION ALL SELECT %(own)s, routing.structure_id, routing.* FROM rollup_routing routing WHERE routing.has_children
UNION ALL SELECT %(network)s, routing.network_id, routing.* FROM rollup_routing routing
UNION ALL SELECT %(all)s, 0, routing.* FROM rollup_routing routing
"""

# Each experience once per scope and day.
EXPERIENCES_SQL = """
CREATE TEMP TABLE rollup_experience ON COMMIT DROP AS
SELECT DISTINCT kind, target_id, day, experience_id, feeling FROM rollup_member
"""

# A (scope, day, key) → n breakdown, folded into one JSON object per scope and day.
BREAKDOWN_SQL = """
CREATE TEMP TABLE rollup_{name} ON COMMIT DROP AS
SELECT kind, target_id, day, jsonb_object_agg(key, n) AS counts
FROM ({counts}) AS counted GROUP BY kind, target_id, day
"""
BREAKDOWNS = {
    "feelings": "SELECT kind, target_id, day, feeling AS key, COUNT(*) AS n FROM rollup_experience GROUP BY 1, 2, 3, 4",
    "sources": """
        SELECT m.kind, m.target_id, m.day, COALESCE(e.source, '') AS key, COUNT(*) AS n
        FROM rollup_experience m JOIN experiences_experience e ON e.id = m.experience_id GROUP BY 1, 2, 3, 4""",
    "channels": """
        SELECT m.kind, m.target_id, m.day, c.channel || '|' || c.feeling AS key, COUNT(*) AS n
        FROM rollup_experience m
        JOIN experiences_experiencetypology t ON t.experience_id = m.experience_id
        JOIN experiences_experiencechannel c ON c.experience_typology_id = t.id
        GROUP BY 1, 2, 3, 4""",
    "general_tags": """
        SELECT m.kind, m.target_id, m.day, g.tag || '|' || g.value AS key, COUNT(*) AS n
        FROM rollup_experience m JOIN experiences_generaltagvalue g ON g.experience_id = m.experience_id
        GROUP BY 1, 2, 3, 4""",
    "business_tags": """
        SELECT m.kind, m.target_id, m.day, b.name AS key, COUNT(DISTINCT m.experience_id) AS n
        FROM rollup_experience m
        JOIN experiences_experiencetypology t ON t.experience_id = m.experience_id
        JOIN experiences_experiencetypology_business_tags tb ON tb.experiencetypology_id = t.id
        JOIN structures_businesstag b ON b.id = tb.businesstag_id
        GROUP BY 1, 2, 3, 4""",
    "hours": """
        SELECT kind, target_id, day,
               FLOOR(EXTRACT(EPOCH FROM (first_response_at - published_at)) / 3600)::integer AS key, COUNT(*) AS n
        FROM rollup_member WHERE first_response_at IS NOT NULL GROUP BY 1, 2, 3, 4""",
}

INSERT_SQL = """
INSERT INTO experiences_dashboardday (
    kind, target_id, day, published, routings, answered, total_delay_us, under_48h, under_72h, under_7d,
    responses, author_useful, author_not_useful, visitor_useful, visitor_not_useful, negative_evaluated,
    negative_useful, flagged_without_action, breakdown)
SELECT r.kind, r.target_id, r.day, p.published, r.routings, r.answered, r.total_delay_us, r.under_48h,
       r.under_72h, r.under_7d, r.responses, r.author_useful, r.author_not_useful, r.visitor_useful,
       r.visitor_not_useful, r.negative_evaluated, r.negative_useful, r.flagged_without_action,
       jsonb_strip_nulls(jsonb_build_object({breakdowns}))
FROM (
    SELECT m.kind, m.target_id, m.day,
        COUNT(*) AS routings,
        COUNT(m.first_response_at) AS answered,
        COALESCE(SUM(EXTRACT(EPOCH FROM (m.first_response_at - m.published_at)) * 1000000), 0)::bigint
            AS total_delay_us,
        COUNT(*) FILTER (WHERE m.first_response_at < m.published_at + interval '48 hours') AS under_48h,
        COUNT(*) FILTER (WHERE m.first_response_at < m.published_at + interval '72 hours') AS under_72h,
        COUNT(*) FILTER (WHERE m.first_response_at < m.published_at + interval '168 hours') AS under_7d,
        COUNT(*) FILTER (WHERE r.state = %(published)s) AS responses,
        COUNT(*) FILTER (WHERE r.state = %(published)s AND v.is_useful) AS author_useful,
        COUNT(*) FILTER (WHERE r.state = %(published)s AND NOT v.is_useful) AS author_not_useful,
        COALESCE(SUM(r.visitor_useful_count) FILTER (WHERE r.state = %(published)s), 0) AS visitor_useful,
        COALESCE(SUM(r.visitor_not_useful_count) FILTER (WHERE r.state = %(published)s), 0) AS visitor_not_useful,
        COUNT(*) FILTER (WHERE r.state = %(published)s AND m.feeling = %(negative)s AND v.id IS NOT NULL)
            AS negative_evaluated,
        COUNT(*) FILTER (WHERE r.state = %(published)s AND m.feeling = %(negative)s AND v.is_useful)
            AS negative_useful,
        COUNT(*) FILTER (WHERE m.needs_improvement AND NOT EXISTS (
            SELECT 1 FROM experiences_improvementaction_experiences l WHERE l.experience_id = m.experience_id))
            AS flagged_without_action
    FROM rollup_member m
    LEFT JOIN experiences_response r ON r.assignment_id = m.assignment_id
    LEFT JOIN experiences_authorevaluation v ON v.response_id = r.id
    GROUP BY m.kind, m.target_id, m.day
) AS r
JOIN (SELECT kind, target_id, day, COUNT(*) AS published FROM rollup_experience GROUP BY 1, 2, 3) AS p
  USING (kind, target_id, day)
{joins}
"""


TEMP_TABLES = [
    "rollup_routing",
    "rollup_ancestor",
    "rollup_member",
    "rollup_experience",
    *(f"rollup_{name}" for name in BREAKDOWNS),
]


def rollup_available() -> bool:
    return connection.vendor == "postgresql"


def rebuild_days(first: datetime.date, last: datetime.date) -> int:
    """Replace the rollup's rows of days `first`..`last` (Paris) in one transaction; the rows written."""
    breakdowns = ", ".join(f"'{name}', {name}.counts" for name in BREAKDOWNS)
    joins = "\n".join(f"LEFT JOIN rollup_{name} AS {name} USING (kind, target_id, day)" for name in BREAKDOWNS)
    params = {
        "start": paris_midnight(first),
        "end": paris_midnight(last + datetime.timedelta(days=1)),
        "subtree": RollupKind.SUBTREE,
        "own": RollupKind.OWN,
        "network": RollupKind.NETWORK,
        "all": RollupKind.ALL,
        "published": ResponseState.PUBLISHED,
        "negative": "negative",
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # One rebuild at a time: a second waits here, then rebuilds the same days from fresh rows.
        DashboardRollupState.objects.select_for_update().get_or_create(pk=1)
        cursor.execute("SET LOCAL work_mem = '64MB'")
        DashboardDay.objects.filter(day__gte=first, day__lte=last).delete()
        for statement in (ROUTINGS_SQL, ANCESTORS_SQL, MEMBERS_SQL, EXPERIENCES_SQL):
            cursor.execute(statement, params)
        # Temporary tables have no statistics until analysed: without them the joins below plan badly.
        cursor.execute("ANALYZE rollup_member, rollup_experience")
        for name, counts in BREAKDOWNS.items():
            cursor.execute(BREAKDOWN_SQL.format(name=name, counts=counts))
        cursor.execute(INSERT_SQL.format(breakdowns=breakdowns, joins=joins), params)
        written = cursor.rowcount
        # ON COMMIT DROP is not enough inside an outer transaction (a savepoint commits nothing).
        cursor.execute(f"DROP TABLE {', '.join(TEMP_TABLES)}")
        return written


def refresh_rollup(*, full: bool = False, today: datetime.date | None = None) -> int:
    """Rebuild the recent days (or every day when `full` or never built) and move the watermark to yesterday.

    Today stays live: the dashboard adds it, and any day after the watermark, from the routing table.
    """
    if not rollup_available():
        return 0
    today = today or timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    state, _ = DashboardRollupState.objects.get_or_create(pk=1)
    first = yesterday - datetime.timedelta(days=RECENT_DAYS - 1)
    if full or state.complete_through is None:
        oldest = Assignment.objects.filter(published_at__isnull=False).order_by("published_at").first()
        first = oldest.published_at.astimezone(PARIS).date() if oldest else today
        DashboardDay.objects.filter(day__lt=first).delete()
    elif state.complete_through < first:
        first = state.complete_through + datetime.timedelta(days=1)  # beat was down: catch up
    written, chunk_start = 0, first
    while chunk_start <= yesterday:
        chunk_end = min(chunk_start + datetime.timedelta(days=CHUNK_DAYS - 1), yesterday)
        written += rebuild_days(chunk_start, chunk_end)
        chunk_start = chunk_end + datetime.timedelta(days=1)
    DashboardRollupState.objects.filter(pk=1).update(complete_through=yesterday, refreshed_at=timezone.now())
    logger.info("Dashboard rollup: %s rows over %s → %s", written, first, yesterday)
    return written
