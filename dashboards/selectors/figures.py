"""The « Je donne mon avis » dashboard (seed 003): every figure is an aggregate computed by the database.

The scope is a structure alone, or with its whole subtree (the tree's bounds), or a network, or
everything; the period is two dates in Europe/Paris, on the publication date. Figures read the
routing table (`Assignment`), which carries copies of the publication date, the feeling and the
first response of each (experience, structure) pair.

Days up to the rollup's watermark are read from `DashboardDay` (one row per scope and day, rebuilt by
Celery beat, `services/dashboard_rollup.py`); later days, and every day when there is no rollup
(SQLite, a fresh database), are aggregated live here. Both give a `Tally`, merged, then presented.
"""

import bisect
import datetime
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import timezone

from actions.models import ImprovementAction, ImprovementActionStatus
from dashboards.models import RollupKind
from dashboards.selectors.conversion import conversion
from dashboards.selectors.rollup import rolled_up_through, rollup_tally
from dashboards.selectors.tally import HOUR, ZERO, Delays, DelayTally, EvaluationTally, Tally
from experiences.models import (
    Assignment,
    ExperienceChannel,
    ExperienceTypology,
    Feeling,
    GeneralTagValue,
    ResponseState,
)
from experiences.selectors.search import PARIS, paris_midnight
from experiences.sources import canonical_source
from structures.models import Network, Structure

__all__ = ["Dashboard", "DashboardScope", "Delays", "Evaluations", "StructureRow", "dashboard"]

DELAY_THRESHOLDS = {
    "under_48h": datetime.timedelta(hours=48),
    "under_72h": datetime.timedelta(hours=72),
    "under_7d": datetime.timedelta(days=7),
}
TOP_SOURCES = 10
TOP_BUSINESS_TAGS = 15
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DashboardScope:
    """What a dashboard covers: `structure` (alone or with its subtree), else `network`, else everything."""

    start: datetime.date
    end: datetime.date  # included
    structure: Structure | None = None
    include_children: bool = True
    network: Network | None = None

    @property
    def label(self) -> str:
        if self.structure is not None:
            suffix = " et ses structures filles" if self.include_children else " (seule)"
            return f"{self.structure.display_name}{suffix}"
        if self.network is not None:
            return f"Réseau {self.network.name}"
        return "Toutes les structures"

    @property
    def rollup_key(self) -> tuple[str, int]:
        """The `DashboardDay` rows of this scope; a leaf alone and with its (no) children are the same rows."""
        if self.structure is not None:
            alone = not self.include_children and not self.structure.is_leaf_node()
            return (RollupKind.OWN if alone else RollupKind.SUBTREE, self.structure.pk)
        if self.network is not None:
            return (RollupKind.NETWORK, self.network.pk)
        return (RollupKind.ALL, 0)


def scope_structures(scope: DashboardScope) -> QuerySet[Structure]:
    if scope.structure is not None:
        if not scope.include_children:
            return Structure.objects.filter(pk=scope.structure.pk)
        return Structure.objects.filter(
            tree_id=scope.structure.tree_id, lft__gte=scope.structure.lft, rght__lte=scope.structure.rght
        )
    if scope.network is not None:
        return Structure.objects.filter(network=scope.network)
    return Structure.objects.all()


def routings(scope: DashboardScope) -> QuerySet[Assignment]:
    """The routings of the scope whose experience was published in the period."""
    published = Q(published_at__gte=paris_midnight(scope.start)) & Q(
        published_at__lt=paris_midnight(scope.end + ONE_DAY)
    )
    queryset = Assignment.objects.filter(published)
    if scope.structure is None and scope.network is None:
        return queryset
    return queryset.filter(structure__in=scope_structures(scope).values("pk"))


# --- What the ranking's lines are --------------------------------------------------------------


class Line(NamedTuple):
    """A ranking line's structure: what the buckets and labels need, without a model instance each
    (a root can have thousands of children)."""

    pk: int
    label: str
    code: str
    lft: int
    rght: int
    tree_id: int


def _lines(structures: QuerySet[Structure]) -> tuple[Line, ...]:
    rows = structures.annotate(label=Coalesce(NullIf("public_name", Value("")), "name"))
    return tuple(Line(*row) for row in rows.values_list("pk", "label", "code", "lft", "rght", "tree_id"))


@dataclass(frozen=True)
class RankingPlan:
    """Child structures of a structure (each with its subtree, plus the structure's own routings),
    the trees of a network, or the networks."""

    kind: str  # « children », « roots » or « networks »
    labels: dict
    parent: Line | None = None
    lines: tuple = ()  # the children or roots, in tree order


def ranking_plan(scope: DashboardScope) -> RankingPlan | None:
    if scope.structure is not None:
        if not scope.include_children:
            return None
        structure = scope.structure
        return _children_plan(
            Line(structure.pk, structure.display_name, structure.code, structure.lft, structure.rght, structure.tree_id)
        )
    if scope.network is not None:
        roots = _lines(Structure.objects.filter(network=scope.network, level=0).order_by("tree_id"))
        if len(roots) == 1:
            return _children_plan(roots[0])
        if not roots:
            return None
        return RankingPlan(kind="roots", labels={r.pk: (r.label, r.code) for r in roots}, lines=roots)
    return RankingPlan(kind="networks", labels={n.pk: (n.name, "") for n in Network.objects.all()})


def _children_plan(parent: Line) -> RankingPlan:
    children = _lines(Structure.objects.filter(parent_id=parent.pk).order_by("lft"))
    labels = {child.pk: (child.label, child.code) for child in children}
    labels[parent.pk] = (f"{parent.label} (en propre)", parent.code)
    return RankingPlan(kind="children", labels=labels, parent=parent, lines=children)


# --- Live aggregates ---------------------------------------------------------------------------


class DelayHours(Func):
    """Whole hours from publication to first response, rounded down: the median's unit, as in the rollup."""

    output_field = IntegerField()

    def __init__(self):
        super().__init__(F("first_response_at"), F("published_at"))

    def as_postgresql(self, compiler, connection, **extra):
        template = "FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600)::integer"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django's own SQLite function for a datetime difference, in microseconds.
        template = "(django_timestamp_diff(%(expressions)s) / 3600000000)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=", ", **extra)


def delay_aggregates() -> dict:
    answered = Q(first_response_at__isnull=False)
    aggregates = {
        "routings": Count("pk"),
        "answered": Count("pk", filter=answered),
        "total": Sum(F("first_response_at") - F("published_at"), filter=answered),
    }
    for name, threshold in DELAY_THRESHOLDS.items():
        aggregates[name] = Count("pk", filter=answered & Q(first_response_at__lt=F("published_at") + threshold))
    aggregates["within_target"] = Count("pk", filter=answered & Q(first_response_at__lte=F("due_at")))
    late = Q(first_response_at__gt=F("due_at")) | Q(first_response_at__isnull=True, due_at__lte=timezone.now())
    aggregates["breached"] = Count("pk", filter=late)
    return aggregates


def _delay_tally(row: dict) -> DelayTally:
    return DelayTally(
        routings=row["routings"],
        answered=row["answered"],
        total=row["total"] or ZERO,
        within_target=row["within_target"],
        breached=row["breached"],
        **{name: row[name] for name in DELAY_THRESHOLDS},
    )


def live_tally(scope: DashboardScope, plan: RankingPlan | None) -> Tally:
    """Every figure but the actions engaged, over live rows: 11 queries whatever the data."""
    queryset = routings(scope)
    in_scope = queryset.values("experience_id")
    tally = Tally()
    months = (
        queryset.annotate(month=TruncMonth("published_at", tzinfo=PARIS))
        .values("month")
        .annotate(n=Count("experience_id", distinct=True))
        .order_by()
    )
    for row in months:
        tally.months[_month_start(row["month"])] += row["n"]

    tally.delays = _delay_tally(queryset.aggregate(**delay_aggregates()))
    hours = (
        queryset.filter(first_response_at__isnull=False)
        .annotate(hours=DelayHours())
        .values("hours")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally.delays.hours.update({row["hours"]: row["n"] for row in hours})
    tally.ranking = _live_ranking(_ranking_routings(scope, plan), plan)

    rows = queryset.values("experience__source").annotate(n=Count("experience_id", distinct=True)).order_by()
    tally.sources.update({row["experience__source"] or "": row["n"] for row in rows})
    rows = queryset.values("feeling").annotate(n=Count("experience_id", distinct=True)).order_by()
    tally.feelings.update({row["feeling"]: row["n"] for row in rows})
    rows = (
        ExperienceChannel.objects.filter(experience_typology__experience__in=in_scope)
        .values("channel", "feeling")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally.channels.update({(row["channel"], row["feeling"]): row["n"] for row in rows})
    rows = GeneralTagValue.objects.filter(experience__in=in_scope).values("tag", "value").annotate(n=Count("pk"))
    tally.general_tags.update({(row["tag"], row["value"]): row["n"] for row in rows.order_by()})
    through = ExperienceTypology.business_tags.through
    rows = (
        through.objects.filter(experiencetypology__experience__in=in_scope)
        .values("businesstag__name")
        .annotate(n=Count("experiencetypology__experience_id", distinct=True))
        .order_by()
    )
    tally.business_tags.update({row["businesstag__name"]: row["n"] for row in rows})

    tally.evaluations = _live_evaluations(queryset)
    linked = ImprovementAction.experiences.through.objects.filter(experience_id=OuterRef("experience_id"))
    tally.flagged_without_action = queryset.filter(needs_improvement=True).exclude(Exists(linked)).count()
    return tally


def _month_start(value) -> datetime.date:
    """TruncMonth gives a datetime (aware on PostgreSQL, naive on SQLite) or a date: the month's first day."""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(PARIS) if value.tzinfo else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _ranking_routings(scope: DashboardScope, plan: RankingPlan | None) -> QuerySet[Assignment]:
    """What the ranking's lines add up: the parent's whole subtree, the network's whole trees, or everything.

    The same as the rollup's subtree rows, even where a network and its trees differ (a network's
    structure placed in another network's tree, or the reverse).
    """
    published = routings(DashboardScope(start=scope.start, end=scope.end))
    if plan is not None and plan.kind == "children":
        parent = plan.parent
        return published.filter(
            structure__tree_id=parent.tree_id, structure__lft__gte=parent.lft, structure__lft__lte=parent.rght
        )
    if plan is not None and plan.kind == "roots":
        return published.filter(structure__tree_id__in=[root.tree_id for root in plan.lines])
    return published


def _live_ranking(queryset: QuerySet[Assignment], plan: RankingPlan | None) -> dict[int, DelayTally]:
    """Delay sums per structure (or network, or tree), bucketed into the plan's lines by the tree's bounds."""
    if plan is None:
        return {}
    group = {"networks": "structure__network_id", "roots": "structure__tree_id", "children": "structure__lft"}
    rows = queryset.values(group=F(group[plan.kind])).annotate(**delay_aggregates()).order_by()
    if plan.kind == "networks":
        line_of = {row["group"]: row["group"] for row in rows}.get
    elif plan.kind == "roots":
        line_of = {root.tree_id: root.pk for root in plan.lines}.get
    else:
        starts = [child.lft for child in plan.lines]

        def line_of(lft: int) -> int:
            # The child whose bounds hold this structure, else the structure's own routings.
            index = bisect.bisect_right(starts, lft) - 1
            if index >= 0 and lft <= plan.lines[index].rght:
                return plan.lines[index].pk
            return plan.parent.pk

    lines: dict[int, DelayTally] = {}
    for row in rows:
        lines.setdefault(line_of(row["group"]) or 0, DelayTally()).merge(_delay_tally(row))
    return lines


def _live_evaluations(queryset: QuerySet[Assignment]) -> EvaluationTally:
    """Published responses of the scope's routings, with their authors' and visitors' verdicts."""
    useful = Q(response__author_evaluation__is_useful=True)
    not_useful = Q(response__author_evaluation__is_useful=False)
    negative = Q(feeling=Feeling.NEGATIVE)
    totals = queryset.filter(response__state=ResponseState.PUBLISHED).aggregate(
        responses=Count("pk"),
        author_useful=Count("pk", filter=useful),
        author_not_useful=Count("pk", filter=not_useful),
        visitor_useful=Sum("response__visitor_useful_count", default=0),
        visitor_not_useful=Sum("response__visitor_not_useful_count", default=0),
        negative_evaluated=Count("pk", filter=negative & Q(response__author_evaluation__isnull=False)),
        negative_useful=Count("pk", filter=negative & useful),
    )
    return EvaluationTally(**totals)


# --- Presentation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StructureRow:
    """One line of the ranking: a child structure's subtree (or the structure's own routings), or a network."""

    key: int
    label: str
    code: str
    delays: Delays = field(compare=False)
    # What the lines are: « children » (child structures), « roots » (a network's trees) or « networks ».
    kind: str = field(default="children", compare=False)


@dataclass(frozen=True)
class Evaluations:
    responses: int
    author_useful: int
    author_not_useful: int
    visitor_useful: int
    visitor_not_useful: int
    negative_evaluated: int
    negative_useful: int

    @property
    def author_none(self) -> int:
        return self.responses - self.author_useful - self.author_not_useful

    @property
    def transformation_rate(self) -> float | None:
        return None if not self.negative_evaluated else self.negative_useful / self.negative_evaluated


@dataclass(frozen=True)
class ActionFigures:
    engaged: int
    done: int
    flagged_without_action: int


@dataclass(frozen=True)
class Dashboard:
    scope: DashboardScope
    published: int
    by_month: list
    delays: Delays
    ranking: list
    sources: list
    feelings: dict
    channels: list
    general_tags: list
    business_tags: list
    evaluations: Evaluations
    actions: ActionFigures
    # The last day read from the daily rollup (later days are live), None when all of it is live.
    consolidated_through: datetime.date | None = None
    conversion: list = field(default_factory=list)  # SourceConversion rows, always live (a small table)


def dashboard(scope: DashboardScope) -> Dashboard:
    plan = ranking_plan(scope)
    through = rolled_up_through()
    if through is None or scope.start > through:
        return present(scope, live_tally(scope, plan), plan, consolidated_through=None)
    tally = rollup_tally(replace(scope, end=min(scope.end, through)), plan)
    if scope.end > through:
        tally.merge(live_tally(replace(scope, start=through + ONE_DAY), plan))
    return present(scope, tally, plan, consolidated_through=min(scope.end, through))


def present(
    scope: DashboardScope, tally: Tally, plan: RankingPlan | None, consolidated_through: datetime.date | None
) -> Dashboard:
    months, month = [], scope.start.replace(day=1)
    while month <= scope.end:
        months.append((month, tally.months.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return Dashboard(
        scope=scope,
        published=sum(tally.months.values()),
        by_month=months,
        delays=tally.delays.delays(),
        ranking=_ranking_rows(tally, plan),
        sources=_sources(tally),
        feelings={feeling: tally.feelings.get(feeling, 0) for feeling in Feeling.values},
        channels=_table(tally.channels, [*Feeling.values, ""]),
        general_tags=_table(tally.general_tags, Feeling.values),
        business_tags=sorted(tally.business_tags.items(), key=lambda item: (-item[1], item[0]))[:TOP_BUSINESS_TAGS],
        evaluations=Evaluations(**vars(tally.evaluations)),
        actions=_actions(scope, tally),
        consolidated_through=consolidated_through,
        conversion=conversion(
            start=scope.start,
            end=scope.end,
            structures=None if scope.structure is None and scope.network is None else scope_structures(scope),
        ),
    )


def _ranking_rows(tally: Tally, plan: RankingPlan | None) -> list[StructureRow]:
    if plan is None:
        return []
    rows = []
    for key, line in tally.ranking.items():
        label, code = plan.labels.get(key, ("?", ""))
        delays = replace(line.delays(), median=None)  # no median per line: it would need each line's rows
        rows.append(StructureRow(key=key, label=label, code=code, delays=delays, kind=plan.kind))
    # Who is late first: the lowest answer rate, then the longest mean delay.
    return sorted(rows, key=lambda r: (r.delays.share(r.delays.answered) or 0, -(r.delays.mean or ZERO) / HOUR))


def _sources(tally: Tally) -> list[tuple[str, int]]:
    """Experiences by where the citizen came from (tracking link, banner, QR code, direct), most first."""
    # Merged by canonical value: days consolidated before the sources were normalised keep old spellings.
    counts = Counter()
    for source, n in tally.sources.items():
        counts[canonical_source(source)] += n
    ranked = sorted(((source, n) for source, n in counts.items() if n), key=lambda item: (-item[1], item[0]))
    others = sum(n for _, n in ranked[TOP_SOURCES:])
    top = ranked[:TOP_SOURCES]
    return top + ([("autres sources", others)] if others else [])


def _table(counts, columns: list[str]) -> list[tuple[str, dict[str, int]]]:
    """(row, column) counts as rows of a table, the most cited row first."""
    table: dict[str, dict[str, int]] = {}
    for (row, column), n in counts.items():
        table.setdefault(row, dict.fromkeys(columns, 0))[column] = n
    return sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))


def _actions(scope: DashboardScope, tally: Tally) -> ActionFigures:
    """Actions of the scope's structures engaged in the period (a small table, always live)."""
    actions = ImprovementAction.objects.filter(engaged_on__gte=scope.start, engaged_on__lte=scope.end)
    if scope.structure is not None or scope.network is not None:
        actions = actions.filter(structure__in=scope_structures(scope).values("pk"))
    engaged_in_period = actions.aggregate(
        engaged=Count("pk", filter=Q(status=ImprovementActionStatus.ENGAGED)),
        done=Count("pk", filter=Q(status=ImprovementActionStatus.DONE)),
    )
    return ActionFigures(**engaged_in_period, flagged_without_action=tally.flagged_without_action)
