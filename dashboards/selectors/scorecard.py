"""Public scorecards (issue 20): a structure's or a network's last 12 months beside its siblings'.

Figures come from the dashboard's daily rollup (`DashboardDay`, one definition of a delay: publication to
first published answer) for the days it holds, and from the routing table for the later days, or for every
day where there is no rollup (SQLite, a fresh database), as the dashboard does. A line is a structure with
its whole subtree (the rollup's « S » rows) or a network (« N »). Per month: experiences published, routings,
those answered, the delays' histogram in whole hours (the median) and the experiences' feelings.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from dashboards.models import DashboardDay, RollupKind
from dashboards.selectors.rollup import rolled_up_through
from dashboards.selectors.tally import median_hours
from experiences.models import Assignment, Feeling
from experiences.selectors.search import PARIS, paris_midnight
from structures.models import Network, Structure

MONTHS = 12
ONE_DAY = datetime.timedelta(days=1)
BREAKDOWN_SQL = """
SELECT day.target_id, date_trunc('month', day.day)::date, part.key, item.key, SUM(item.value::bigint)::bigint
FROM dashboards_dashboardday AS day
CROSS JOIN LATERAL jsonb_each(day.breakdown) AS part
CROSS JOIN LATERAL jsonb_each_text(part.value) AS item
WHERE day.kind = %s AND day.target_id = ANY(%s) AND day.day >= %s AND day.day <= %s
  AND part.key IN ('feelings', 'hours')
GROUP BY 1, 2, 3, 4
"""


@dataclass
class MonthTally:
    """What adds up over days: counts and the delays' histogram."""

    published: int = 0
    routings: int = 0
    answered: int = 0
    hours: Counter = field(default_factory=Counter)
    feelings: Counter = field(default_factory=Counter)

    def merge(self, other: "MonthTally") -> None:
        self.published += other.published
        self.routings += other.routings
        self.answered += other.answered
        self.hours.update(other.hours)
        self.feelings.update(other.feelings)


@dataclass(frozen=True)
class Figures:
    """One line's figures for one month (or the 12 months): shares in percent, None when nothing to divide."""

    published: int
    routings: int
    answered: int
    median_delay: datetime.timedelta | None
    positive: int
    negative: int

    @classmethod
    def of(cls, tally: MonthTally) -> "Figures":
        return cls(
            published=tally.published,
            routings=tally.routings,
            answered=tally.answered,
            median_delay=median_hours(tally.hours),
            positive=tally.feelings[Feeling.POSITIVE],
            negative=tally.feelings[Feeling.NEGATIVE],
        )

    @property
    def answer_rate(self) -> float | None:
        return 100 * self.answered / self.routings if self.routings else None

    @property
    def positive_share(self) -> float | None:
        return 100 * self.positive / self.published if self.published else None

    @property
    def negative_share(self) -> float | None:
        return 100 * self.negative / self.published if self.published else None

    @property
    def median_hours(self) -> float | None:
        return None if self.median_delay is None else self.median_delay / datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Line:
    """A structure (or network) and its figures month by month, oldest first, and over the 12 months."""

    pk: int
    label: str
    code: str
    months: list  # [(first day of the month, Figures)]
    total: Figures


@dataclass(frozen=True)
class MedianFigures:
    """The median of several lines' figures (each figure on the lines where it is defined)."""

    published: float | None
    answer_rate: float | None
    median_hours: float | None
    positive_share: float | None
    negative_share: float | None

    @classmethod
    def of(cls, figures: list[Figures]) -> "MedianFigures":
        def median(name):
            values = [getattr(item, name) for item in figures if getattr(item, name) is not None]
            return statistics.median(values) if values else None

        return cls(*(median(name) for name in cls.__dataclass_fields__))


@dataclass(frozen=True)
class Scorecard:
    line: Line
    siblings: list  # [Line], by name
    sibling_months: list  # [(month, MedianFigures)], aligned with line.months
    sibling_total: MedianFigures | None
    start: datetime.date
    end: datetime.date
    sibling_count: int = 0  # all of them, where `siblings` holds at most MAX_SIBLINGS


def period(today: datetime.date) -> tuple[datetime.date, datetime.date, list[datetime.date]]:
    """The 12 months up to today's (included): their first days, the first and the last day."""
    month = today.replace(day=1)
    months = [month]
    while len(months) < MONTHS:
        month = (month - ONE_DAY).replace(day=1)
        months.append(month)
    months.reverse()
    return months[0], today, months


def tallies(kind: str, targets: list, start: datetime.date, end: datetime.date, *, breakdowns: bool = True) -> dict:
    """{target: {month: MonthTally}} for the lines, rollup first then live; without `breakdowns`, the rollup's
    days give counts only (no delays' histogram nor feelings: the covering index alone)."""
    result = defaultdict(lambda: defaultdict(MonthTally))
    through = rolled_up_through()
    live_start = start
    if through is not None and through >= start and targets:
        _rollup(result, kind, [t.pk for t in targets], start, min(end, through), breakdowns=breakdowns)
        live_start = through + ONE_DAY
    if live_start <= end and targets:
        _live(result, kind, targets, live_start, end)
    return result


def _rollup(result, kind: str, pks: list[int], start: datetime.date, end: datetime.date, *, breakdowns: bool) -> None:
    rows = (
        DashboardDay.objects.filter(kind=kind, target_id__in=pks, day__gte=start, day__lte=end)
        .annotate(month=TruncMonth("day"))
        .values("target_id", "month")
        .annotate(published=Sum("published"), routings=Sum("routings"), answered=Sum("answered"))
        .order_by()
    )
    for row in rows:
        tally = result[row["target_id"]][_first_day(row["month"])]
        tally.merge(MonthTally(published=row["published"], routings=row["routings"], answered=row["answered"]))
    if not breakdowns:
        return
    with connection.cursor() as cursor:
        cursor.execute(BREAKDOWN_SQL, [kind, pks, start, end])
        for target, month, section, key, n in cursor.fetchall():
            tally = result[target][month]
            if section == "hours":
                tally.hours[int(key)] += n
            else:
                tally.feelings[key] += n


def _live(result, kind: str, targets: list, start: datetime.date, end: datetime.date) -> None:
    """The routings of the lines published in the days the rollup does not hold, counted here.

    In production these are the current day's (the rollup holds up to yesterday): a few rows per line.
    """
    routings = Assignment.objects.filter(
        published_at__gte=paris_midnight(start), published_at__lt=paris_midnight(end + ONE_DAY)
    )
    if kind == RollupKind.NETWORK:
        routings = routings.filter(structure__network__in=[t.pk for t in targets])
        line_of = {t.pk: t.pk for t in targets}
        rows = routings.values_list(
            "experience_id", "structure__network_id", "published_at", "feeling", "first_response_at"
        )
        keyed = ((experience, line_of.get(network), *rest) for experience, network, *rest in rows)
    else:
        trees = {t.tree_id for t in targets}
        rows = routings.filter(structure__tree_id__in=trees).values_list(
            "experience_id", "structure__tree_id", "structure__lft", "published_at", "feeling", "first_response_at"
        )
        keyed = ((experience, _holder(targets, tree, lft), *rest) for experience, tree, lft, *rest in rows)
    seen = set()
    for experience, line, published_at, feeling, first_response_at in keyed:
        if line is None:
            continue
        tally = result[line][published_at.astimezone(PARIS).date().replace(day=1)]
        tally.routings += 1
        if first_response_at is not None:
            tally.answered += 1
            tally.hours[int((first_response_at - published_at) / datetime.timedelta(hours=1))] += 1
        # An experience routed twice in one line counts once, as in the rollup.
        if (line, experience) not in seen:
            seen.add((line, experience))
            tally.published += 1
            tally.feelings[feeling] += 1


def _holder(targets: list, tree_id: int, lft: int) -> int | None:
    for target in targets:
        if target.tree_id == tree_id and target.lft <= lft <= target.rght:
            return target.pk
    return None


def _first_day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def lines(kind: str, targets: list, today: datetime.date) -> list[Line]:
    start, end, months = period(today)
    counted = tallies(kind, targets, start, end)
    result = []
    for target in targets:
        by_month = counted.get(target.pk, {})
        total = MonthTally()
        for month in months:
            total.merge(by_month.get(month, MonthTally()))
        label = target.name if kind == RollupKind.NETWORK else target.display_name
        result.append(
            Line(
                pk=target.pk,
                label=label,
                code=getattr(target, "code", ""),
                months=[(month, Figures.of(by_month.get(month, MonthTally()))) for month in months],
                total=Figures.of(total),
            )
        )
    return result


# A parent can have thousands of children of one typology (France services: 2,192): the page compares
# with the first MAX_SIBLINGS by name, and says so.
MAX_SIBLINGS = 30
# Structures of a network ranked on its page; the median delay is read for them only.
MAX_RANKED = 50
SCORECARD_SECONDS = 600


def structure_cache_key(pk: int, today: datetime.date) -> str:
    return f"scorecard:v1:structure:{pk}:{today.isoformat()}"


def network_cache_key(pk: int, today: datetime.date) -> str:
    return f"scorecard:v1:network:{pk}:{today.isoformat()}"


def siblings_of(structure: Structure) -> tuple[list[Structure], int]:
    """Structures of the same parent and typology, by name: at most MAX_SIBLINGS, and how many there are."""
    if structure.parent_id is None:
        return [], 0
    same = Structure.objects.filter(parent_id=structure.parent_id, typology_id=structure.typology_id).exclude(
        pk=structure.pk
    )
    shown = list(same.order_by("name", "code")[: MAX_SIBLINGS + 1])
    if len(shown) <= MAX_SIBLINGS:
        return shown, len(shown)
    return shown[:MAX_SIBLINGS], same.count()


def structure_scorecard(structure: Structure, today: datetime.date) -> Scorecard:
    siblings, count = siblings_of(structure)
    own, *others = lines(RollupKind.SUBTREE, [structure, *siblings], today)
    return replace(_scorecard(own, others, today), sibling_count=count)


def network_scorecard(network: Network, today: datetime.date) -> Scorecard:
    (own,) = lines(RollupKind.NETWORK, [network], today)
    return _scorecard(own, [], today)


def _scorecard(own: Line, others: list[Line], today: datetime.date) -> Scorecard:
    start, end, _ = period(today)
    sibling_months = [
        (month, MedianFigures.of([line.months[index][1] for line in others]))
        for index, (month, _) in enumerate(own.months)
    ]
    return Scorecard(
        line=own,
        siblings=others,
        sibling_months=sibling_months if others else [],
        sibling_total=MedianFigures.of([line.total for line in others]) if others else None,
        start=start,
        end=end,
    )


def network_figures(network: Network, today: datetime.date) -> tuple[Scorecard, tuple[list[Line], int]]:
    """What a network's page shows: its scorecard and its structures' ranking."""
    return network_scorecard(network, today), network_ranking(network, today)


def network_ranking(network: Network, today: datetime.date) -> tuple[list[Line], int]:
    """The network's structures below its root (or its roots, when it has several trees), the best answer rate
    first then the shortest median delay; at most MAX_RANKED, and how many there are.

    A root can have 2,192 children: their answer rates come from the rollup's counts, then only the
    MAX_RANKED best are read again with their delays' histograms for the median (the tie-break).
    """
    roots = list(Structure.objects.filter(network=network, level=0).order_by("tree_id"))
    if len(roots) == 1:
        candidates = Structure.objects.filter(parent=roots[0], network=network)
    else:
        candidates = Structure.objects.filter(pk__in=[root.pk for root in roots])
    start, end, _ = period(today)
    structures = list(candidates.order_by("name", "code"))
    rates = _totals(tallies(RollupKind.SUBTREE, structures, start, end, breakdowns=False), structures)
    ranked = sorted((s for s in structures if rates[s.pk].routings), key=lambda s: -(rates[s.pk].answer_rate or 0))
    best = ranked[:MAX_RANKED]
    totals = _totals(tallies(RollupKind.SUBTREE, best, start, end), best)
    best.sort(key=lambda s: (-(totals[s.pk].answer_rate or 0), totals[s.pk].median_hours or float("inf"), s.name))
    shown = [Line(pk=s.pk, label=s.display_name, code=s.code, months=[], total=totals[s.pk]) for s in best]
    return shown, len(ranked)


def _totals(counted: dict, structures: list) -> dict[int, Figures]:
    totals = {}
    for structure in structures:
        total = MonthTally()
        for tally in counted.get(structure.pk, {}).values():
            total.merge(tally)
        totals[structure.pk] = Figures.of(total)
    return totals
