"""Reading the dashboard's daily rollup (`DashboardDay`): one scope's rows over a range of days, summed."""

import datetime

from django.db import connection
from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth

from dashboards.models import DELAY_COLUMNS, DashboardDay, DashboardRollupState, RollupKind
from dashboards.selectors.tally import DelayTally, EvaluationTally, Tally

EVALUATION_COLUMNS = tuple(EvaluationTally.__dataclass_fields__)
# A breakdown's name in `DashboardDay.breakdown` → the tally's counter (the delay hours go to the delays').
BREAKDOWN_SECTIONS = {
    "feelings": "feelings",
    "sources": "sources",
    "channels": "channels",
    "general_tags": "general_tags",
    "business_tags": "business_tags",
    "hours": "delay_hours",
}
BREAKDOWN_SQL = """
SELECT part.key, item.key, SUM(item.value::bigint)::bigint
FROM dashboards_dashboardday AS day
CROSS JOIN LATERAL jsonb_each(day.breakdown) AS part
CROSS JOIN LATERAL jsonb_each_text(part.value) AS item
WHERE day.kind = %s AND day.target_id = %s AND day.day >= %s AND day.day <= %s
GROUP BY 1, 2
"""


def rolled_up_through() -> datetime.date | None:
    """The last day the rollup holds, None before its first build (then everything is live)."""
    return DashboardRollupState.objects.filter(pk=1).values_list("complete_through", flat=True).first()


def rollup_tally(scope, plan) -> Tally:
    """The tally of `scope` (a `DashboardScope`) from the rollup, for days the rollup holds.

    The database adds the days up: the scalar columns by month, the breakdowns key by key, so a year
    of the whole country is three queries and a few thousand rows whatever the number of experiences.
    """
    kind, target = scope.rollup_key
    days = DashboardDay.objects.filter(kind=kind, target_id=target, day__gte=scope.start, day__lte=scope.end)
    tally = Tally()
    columns = ("published", *DELAY_COLUMNS, *EVALUATION_COLUMNS, "flagged_without_action")
    months = days.annotate(month=TruncMonth("day")).values("month").annotate(**{c: Sum(c) for c in columns})
    for row in months.order_by():
        tally.months[row["month"]] += row["published"]
        tally.delays.merge(_delay_tally(row))
        tally.evaluations.merge(EvaluationTally(**{name: row[name] for name in EVALUATION_COLUMNS}))
        tally.flagged_without_action += row["flagged_without_action"]
    with connection.cursor() as cursor:
        cursor.execute(BREAKDOWN_SQL, [kind, target, scope.start, scope.end])
        for section, key, n in cursor.fetchall():
            counter = getattr(tally, BREAKDOWN_SECTIONS[section])
            if section == "hours":
                counter[int(key)] += n
            elif section in ("channels", "general_tags"):
                counter[tuple(key.split("|", 1))] += n  # the builder joins the two with a « | »
            else:
                counter[key] += n
    tally.ranking = _rollup_ranking(scope, plan)
    return tally


def _delay_tally(row: dict) -> DelayTally:
    return DelayTally(
        routings=row["routings"],
        answered=row["answered"],
        total=datetime.timedelta(microseconds=row["total_delay_us"]),
        under_48h=row["under_48h"],
        under_72h=row["under_72h"],
        under_7d=row["under_7d"],
        within_target=row["within_target"],
        breached=row["breached"],
    )


def _rollup_ranking(scope, plan) -> dict[int, DelayTally]:
    """The plan's lines: each child's subtree rows and the parent's own rows, each tree's, or each network's."""
    if plan is None:
        return {}

    def summed(**lines) -> QuerySet:
        rows = DashboardDay.objects.filter(day__gte=scope.start, day__lte=scope.end, **lines)
        return rows.values("target_id").annotate(**{name: Sum(name) for name in DELAY_COLUMNS}).order_by()

    if plan.kind == "networks":
        rows = summed(kind=RollupKind.NETWORK)
    elif plan.kind == "roots":
        rows = summed(kind=RollupKind.SUBTREE, target_id__in=[root.pk for root in plan.lines])
    else:
        parent = plan.parent
        own = RollupKind.SUBTREE if parent.rght == parent.lft + 1 else RollupKind.OWN  # a leaf's rows are its own
        # A UNION, not an OR: each side reads its covering index alone (the OR made it 5 to 10 times slower).
        children = summed(kind=RollupKind.SUBTREE, parent_id=parent.pk)
        rows = children.union(summed(kind=own, target_id=parent.pk), all=True)
    return {row["target_id"]: _delay_tally(row) for row in rows}
