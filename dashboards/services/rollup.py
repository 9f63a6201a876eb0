"""Building the dashboard's daily rollup: per scope and day of publication, the figures of seed 003.

Scopes are every structure's subtree (a routing counts for its structure and each ancestor), every structure
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

from dashboards.models import DashboardDay, DashboardRollupState, RollupKind
from experiences.models import Assignment, Feeling, ResponseState
from experiences.selectors.search import PARIS, paris_midnight

logger = logging.getLogger(__name__)

RECENT_DAYS = 35
CHUNK_DAYS = 31
REFRESH_LOCK = 20261123  # a PostgreSQL advisory lock key of its own

# The routings published in [start, end), each with what the figures need of its response and actions:
# looked up once per routing here rather than once per scope below.
ROUTINGS_SQL = """
CREATE TEMP TABLE rollup_routing ON COMMIT DROP AS
SELECT a.id AS assignment_id, a.experience_id, a.structure_id, a.published_at, a.first_response_at, a.feeling, a.due_at,
       (a.published_at AT TIME ZONE 'Europe/Paris')::date AS day, s.network_id, s.rght > s.lft + 1 AS has_children,
       COALESCE(r.state = %(published)s, false) AS responded,
       CASE WHEN r.state = %(published)s THEN v.is_useful END AS verdict,
       CASE WHEN r.state = %(published)s THEN r.visitor_useful_count ELSE 0 END AS visitor_useful,
       CASE WHEN r.state = %(published)s THEN r.visitor_not_useful_count ELSE 0 END AS visitor_not_useful,
       a.needs_improvement AND NOT EXISTS (
           SELECT 1 FROM experiences_improvementaction_experiences l WHERE l.experience_id = a.experience_id
       ) AS flagged_without_action
FROM experiences_assignment a
JOIN structures_structure s ON s.id = a.structure_id
LEFT JOIN experiences_response r ON r.assignment_id = a.id
LEFT JOIN experiences_authorevaluation v ON v.response_id = r.id
WHERE a.published_at >= %(start)s AND a.published_at < %(end)s
"""
# Each structure's ancestors-or-self, by parent links: at most the tree's depth of index lookups, where
# the bounds would scan much of a wide tree (France services: 2,192 children) for each structure.
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
# Each routing once per scope that holds its structure: its structure's subtree and each ancestor's, the
# structure alone when it has children, its network, everything.
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
SELECT DISTINCT kind, target_id, day, experience_id FROM rollup_member
"""
# What each experience of the chunk counts for, by section: read once per experience from the big tables.
# Channels are mentions, general tags one per (tag, value), business tags one per experience.
KEYS_SQL = """
CREATE TEMP TABLE rollup_key ON COMMIT DROP AS
WITH chunk AS (SELECT DISTINCT experience_id, feeling FROM rollup_routing)
SELECT experience_id, 'feelings' AS section, feeling AS key, 1 AS n FROM chunk
UNION ALL
SELECT e.id, 'sources', COALESCE(e.source, ''), 1
FROM experiences_experience e WHERE e.id IN (SELECT experience_id FROM chunk)
UNION ALL
SELECT t.experience_id, 'channels', c.channel || '|' || c.feeling, COUNT(*)
FROM experiences_experiencetypology t JOIN experiences_experiencechannel c ON c.experience_typology_id = t.id
WHERE t.experience_id IN (SELECT experience_id FROM chunk) GROUP BY 1, 3
UNION ALL
SELECT g.experience_id, 'general_tags', g.tag || '|' || g.value, COUNT(*)
FROM experiences_generaltagvalue g WHERE g.experience_id IN (SELECT experience_id FROM chunk) GROUP BY 1, 3
UNION ALL
SELECT DISTINCT t.experience_id, 'business_tags', b.name, 1
FROM experiences_experiencetypology t
JOIN experiences_experiencetypology_business_tags tb ON tb.experiencetypology_id = t.id
JOIN structures_businesstag b ON b.id = tb.businesstag_id
WHERE t.experience_id IN (SELECT experience_id FROM chunk)
"""
# Per scope and day, every section as one JSON object: {"channels": {"desk|negative": 3, …}, "hours": {…}}.
BREAKDOWN_SQL = """
CREATE TEMP TABLE rollup_breakdown ON COMMIT DROP AS
SELECT kind, target_id, day, jsonb_object_agg(section, counts) AS breakdown
FROM (
    SELECT kind, target_id, day, section, jsonb_object_agg(key, n) AS counts
    FROM (
        SELECT m.kind, m.target_id, m.day, k.section, k.key, SUM(k.n) AS n
        FROM rollup_experience m JOIN rollup_key k USING (experience_id)
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        SELECT kind, target_id, day, 'hours',
               FLOOR(EXTRACT(EPOCH FROM (first_response_at - published_at)) / 3600)::integer::text, COUNT(*)
        FROM rollup_member WHERE first_response_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
    ) AS counted
    GROUP BY 1, 2, 3, 4
) AS sections
GROUP BY 1, 2, 3
"""
INSERT_SQL = """
INSERT INTO dashboards_dashboardday (
    kind, target_id, parent_id, day, published, routings, answered, total_delay_us, under_48h, under_72h, under_7d,
    within_target, breached, responses, author_useful, author_not_useful, visitor_useful, visitor_not_useful,
    negative_evaluated, negative_useful, flagged_without_action, breakdown)
SELECT r.kind, r.target_id, parent.parent_id, r.day, p.published, r.routings, r.answered, r.total_delay_us, r.under_48h,
       r.under_72h, r.under_7d, r.within_target, r.breached, r.responses, r.author_useful, r.author_not_useful,
       r.visitor_useful, r.visitor_not_useful, r.negative_evaluated, r.negative_useful, r.flagged_without_action,
       COALESCE(b.breakdown, '{}'::jsonb)
FROM (
    SELECT kind, target_id, day,
        COUNT(*) AS routings,
        COUNT(first_response_at) AS answered,
        COALESCE(SUM(EXTRACT(EPOCH FROM (first_response_at - published_at)) * 1000000), 0)::bigint
            AS total_delay_us,
        COUNT(*) FILTER (WHERE first_response_at < published_at + interval '48 hours') AS under_48h,
        COUNT(*) FILTER (WHERE first_response_at < published_at + interval '72 hours') AS under_72h,
        COUNT(*) FILTER (WHERE first_response_at < published_at + interval '168 hours') AS under_7d,
        COUNT(*) FILTER (WHERE first_response_at <= due_at) AS within_target,
        COUNT(*) FILTER (WHERE first_response_at > due_at OR (first_response_at IS NULL AND due_at <= now()))
            AS breached,
        COUNT(*) FILTER (WHERE responded) AS responses,
        COUNT(*) FILTER (WHERE verdict) AS author_useful,
        COUNT(*) FILTER (WHERE NOT verdict) AS author_not_useful,
        SUM(visitor_useful) AS visitor_useful,
        SUM(visitor_not_useful) AS visitor_not_useful,
        COUNT(*) FILTER (WHERE feeling = %(negative)s AND verdict IS NOT NULL) AS negative_evaluated,
        COUNT(*) FILTER (WHERE feeling = %(negative)s AND verdict) AS negative_useful,
        COUNT(*) FILTER (WHERE flagged_without_action) AS flagged_without_action
    FROM rollup_member
    GROUP BY kind, target_id, day
) AS r
JOIN (SELECT kind, target_id, day, COUNT(*) AS published FROM rollup_experience GROUP BY 1, 2, 3) AS p
  USING (kind, target_id, day)
LEFT JOIN rollup_breakdown AS b USING (kind, target_id, day)
LEFT JOIN structures_structure AS parent ON r.kind = %(subtree)s AND parent.id = r.target_id
"""
STEPS = [ROUTINGS_SQL, "ANALYZE rollup_routing", ANCESTORS_SQL, MEMBERS_SQL, EXPERIENCES_SQL, KEYS_SQL]
# Temporary tables have no statistics until analysed: without them the joins below plan badly.
STEPS += ["ANALYZE rollup_member, rollup_experience, rollup_key", BREAKDOWN_SQL, INSERT_SQL]
TEMP_TABLES = [
    "rollup_routing",
    "rollup_ancestor",
    "rollup_member",
    "rollup_experience",
    "rollup_key",
    "rollup_breakdown",
]


def rollup_available() -> bool:
    return connection.vendor == "postgresql"


def rebuild_days(first: datetime.date, last: datetime.date) -> int:
    """Replace the rollup's rows of days `first`..`last` (Paris) in one transaction; the rows written."""
    params = {
        "start": paris_midnight(first),
        "end": paris_midnight(last + datetime.timedelta(days=1)),
        "subtree": RollupKind.SUBTREE,
        "own": RollupKind.OWN,
        "network": RollupKind.NETWORK,
        "all": RollupKind.ALL,
        "published": ResponseState.PUBLISHED,
        "negative": Feeling.NEGATIVE,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # One rebuild at a time: a second waits here, then rebuilds the same days from fresh rows.
        DashboardRollupState.objects.select_for_update().get_or_create(pk=1)
        cursor.execute("SET LOCAL work_mem = '64MB'")
        DashboardDay.objects.filter(day__gte=first, day__lte=last).delete()
        for statement in STEPS:
            cursor.execute(statement, params)
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
    with connection.cursor() as cursor:
        # One refresh at a time: a tick that finds one running (a full rebuild takes minutes) skips.
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [REFRESH_LOCK])
        if not cursor.fetchone()[0]:
            logger.info("Dashboard rollup: a refresh is already running, this one skips")
            return 0
    try:
        return _refresh(full=full, today=today or timezone.localdate())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REFRESH_LOCK])


def _refresh(*, full: bool, today: datetime.date) -> int:
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
    if not connection.in_atomic_block:
        # Rebuilt rows are not all-visible until vacuumed, and the ranking's index-only reads need them to
        # be; autovacuum may be off, and would leave the deleted rows' space unused meanwhile.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {DashboardDay._meta.db_table}")
    logger.info("Dashboard rollup: %s rows over %s → %s", written, first, yesterday)
    return written
