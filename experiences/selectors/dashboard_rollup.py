"""Reading the dashboard's daily rollup (`DashboardDay`): one scope's rows over a range of days, summed."""

import datetime
from collections import Counter

from django.db.models import Q, Sum

from experiences.models import DashboardDay, DashboardRollupState, RollupKind
from experiences.selectors.dashboard_tally import DelayTally, EvaluationTally, Tally

DELAY_COLUMNS = ("routings", "answered", "total_delay_us", "under_48h", "under_72h", "under_7d")
EVALUATION_COLUMNS = tuple(EvaluationTally.__dataclass_fields__)


def rolled_up_through() -> datetime.date | None:
    """The last day the rollup holds, None before its first build (then everything is live)."""
    return DashboardRollupState.objects.filter(pk=1).values_list("complete_through", flat=True).first()


def rollup_tally(scope, plan) -> Tally:
    """The tally of `scope` (a `DashboardScope`) from the rollup, for days the rollup holds."""
    kind, target = scope.rollup_key
    rows = DashboardDay.objects.filter(kind=kind, target_id=target, day__gte=scope.start, day__lte=scope.end)
    tally = Tally()
    columns = ("day", "published", *DELAY_COLUMNS, *EVALUATION_COLUMNS, "flagged_without_action", "breakdown")
    for row in rows.values(*columns):
        tally.months[row["day"].replace(day=1)] += row["published"]
        tally.delays.merge(_delay_tally(row))
        breakdown = row["breakdown"]
        tally.delays.hours.update({int(hours): n for hours, n in breakdown.get("hours", {}).items()})
        tally.sources.update(breakdown.get("sources", {}))
        tally.feelings.update(breakdown.get("feelings", {}))
        tally.channels.update(_pairs(breakdown.get("channels", {})))
        tally.general_tags.update(_pairs(breakdown.get("general_tags", {})))
        tally.business_tags.update(breakdown.get("business_tags", {}))
        tally.evaluations.merge(EvaluationTally(**{name: row[name] for name in EVALUATION_COLUMNS}))
        tally.flagged_without_action += row["flagged_without_action"]
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
    )


def _pairs(counts: dict) -> Counter:
    """{"tag|value": n} as {(tag, value): n}; the builder joins the two with a « | »."""
    return Counter({tuple(key.split("|", 1)): n for key, n in counts.items()})


def _rollup_ranking(scope, plan) -> dict[int, DelayTally]:
    """The plan's lines: each child's subtree rows and the parent's own rows, each tree's, or each network's."""
    if plan is None:
        return {}
    if plan.kind == "networks":
        lines = Q(kind=RollupKind.NETWORK)
    elif plan.kind == "roots":
        lines = Q(kind=RollupKind.SUBTREE, target_id__in=[root.pk for root in plan.lines])
    else:
        parent = plan.parent
        own = RollupKind.SUBTREE if parent.is_leaf_node() else RollupKind.OWN
        lines = Q(kind=RollupKind.SUBTREE, target_id__in=[child.pk for child in plan.lines])
        lines |= Q(kind=own, target_id=parent.pk)
    rows = (
        DashboardDay.objects.filter(lines, day__gte=scope.start, day__lte=scope.end)
        .values("target_id")
        .annotate(**{name: Sum(name) for name in DELAY_COLUMNS})
        .order_by()
    )
    return {row["target_id"]: _delay_tally(row) for row in rows}
