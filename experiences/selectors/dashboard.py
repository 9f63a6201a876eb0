"""The « Je donne mon avis » dashboard (seed 003): every figure is an aggregate computed by the database.

The scope is a structure alone, or with its whole subtree (the tree's bounds), or a network, or
everything; the period is two dates in Europe/Paris, on the publication date. Figures read the
routing table (`Assignment`), which carries copies of the publication date, the feeling and the
first response of each (experience, structure) pair, behind a covering index.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth

from experiences.models import (
    Assignment,
    Experience,
    ExperienceChannel,
    ExperienceTypology,
    Feeling,
    GeneralTagValue,
    ImprovementAction,
    ImprovementActionStatus,
    ResponseState,
)
from experiences.selectors.search import PARIS, paris_midnight
from structures.models import Network, Structure

DELAY_THRESHOLDS = {
    "48h": datetime.timedelta(hours=48),
    "72h": datetime.timedelta(hours=72),
    "7j": datetime.timedelta(days=7),
}
ZERO = datetime.timedelta()
TOP_SOURCES = 10
TOP_BUSINESS_TAGS = 15


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
    """The routings of the scope whose experience was published in the period (assignment_structure_date)."""
    published = Q(published_at__gte=paris_midnight(scope.start)) & Q(
        published_at__lt=paris_midnight(scope.end + datetime.timedelta(days=1))
    )
    queryset = Assignment.objects.filter(published)
    if scope.structure is None and scope.network is None:
        return queryset
    return queryset.filter(structure__in=scope_structures(scope).values("pk"))


def scope_experiences(scope: DashboardScope) -> QuerySet[Experience]:
    return Experience.objects.filter(pk__in=routings(scope).values("experience_id"))


# --- Experiences published ---------------------------------------------------------------------


def published_count(scope: DashboardScope) -> int:
    return routings(scope).aggregate(n=Count("experience_id", distinct=True))["n"]


def published_by_month(scope: DashboardScope) -> list[tuple[datetime.date, int]]:
    """(first day of the month in Paris, experiences published that month), months without any included."""
    rows = (
        routings(scope)
        .annotate(month=TruncMonth("published_at", tzinfo=PARIS))
        .values("month")
        .annotate(n=Count("experience_id", distinct=True))
        .order_by("month")
    )
    counts = {_month_start(row["month"]): row["n"] for row in rows}
    months, month = [], scope.start.replace(day=1)
    while month <= scope.end:
        months.append((month, counts.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _month_start(value) -> datetime.date:
    """TruncMonth gives a datetime (aware on PostgreSQL, naive on SQLite) or a date: the month's first day."""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(PARIS) if value.tzinfo else value
        return value.date().replace(day=1)
    return value.replace(day=1)


# --- Response delays (seed 001 q24, seed 003) --------------------------------------------------


@dataclass(frozen=True)
class Delays:
    routings: int
    answered: int
    under_48h: int
    under_72h: int
    under_7d: int
    mean: datetime.timedelta | None
    median: datetime.timedelta | None

    @property
    def unanswered(self) -> int:
        return self.routings - self.answered

    def share(self, count: int) -> float | None:
        return None if not self.routings else count / self.routings


def delay_aggregates(prefix: str = "") -> dict:
    delay = F("first_response_at") - F("published_at")
    answered = Q(first_response_at__isnull=False)
    aggregates = {
        "routings": Count("pk"),
        "answered": Count("pk", filter=answered),
        "total_delay": Sum(delay, filter=answered),
    }
    for key, threshold in DELAY_THRESHOLDS.items():
        name = {"48h": "under_48h", "72h": "under_72h", "7j": "under_7d"}[key]
        aggregates[name] = Count("pk", filter=answered & Q(first_response_at__lt=F("published_at") + threshold))
    return {prefix + name: aggregate for name, aggregate in aggregates.items()}


def response_delays(scope: DashboardScope) -> Delays:
    totals = routings(scope).aggregate(**delay_aggregates())
    return delays_from(totals, median=median_delay(routings(scope)))


def delays_from(row: dict, median: datetime.timedelta | None) -> Delays:
    """The figures of one aggregate row; the mean divides the database's sum of delays by their number
    (PostgreSQL's own interval average divides days in floating point and ends 1 µs off)."""
    total, answered = row["total_delay"], row["answered"]
    mean = total / answered if answered and total is not None else None
    return Delays(
        routings=row["routings"],
        answered=answered,
        under_48h=row["under_48h"],
        under_72h=row["under_72h"],
        under_7d=row["under_7d"],
        mean=mean,
        median=median,
    )


def median_delay(queryset: QuerySet[Assignment]) -> datetime.timedelta | None:
    """The median publication → first response delay, read from the database in delay order (1–2 rows)."""
    answered = queryset.filter(first_response_at__isnull=False).annotate(
        delay=F("first_response_at") - F("published_at")
    )
    count = answered.count()
    if not count:
        return None
    middle = list(answered.order_by("delay").values_list("delay", flat=True)[(count - 1) // 2 : count // 2 + 1])
    return sum(middle, datetime.timedelta()) / len(middle)


@dataclass(frozen=True)
class StructureRow:
    """One line of the ranking: a child structure's subtree (or the structure's own routings), or a network."""

    key: int
    label: str
    code: str
    delays: Delays = field(compare=False)
    # What the lines are: « children » (child structures), « roots » (a network's trees) or « networks ».
    kind: str = field(default="children", compare=False)


def ranking(scope: DashboardScope) -> list[StructureRow]:
    """Delays per child structure (its whole subtree) when children are included, per network nationally."""
    queryset = routings(scope)
    if scope.structure is not None and scope.include_children:
        buckets = [scope.structure, *Structure.objects.filter(parent=scope.structure).order_by("name")]
        # One scan: each routing falls in the child whose bounds hold its structure, else the structure itself.
        bucket = Case(
            *[
                When(structure__lft__gte=child.lft, structure__lft__lte=child.rght, then=Value(child.pk))
                for child in buckets[1:]
            ],
            default=Value(scope.structure.pk),
            output_field=IntegerField(),
        )
        labels = {s.pk: (s.display_name, s.code) for s in buckets}
        labels[scope.structure.pk] = (f"{scope.structure.display_name} (en propre)", scope.structure.code)
        kind = "children"
    elif scope.structure is None and scope.network is None:
        bucket = F("structure__network_id")
        labels = {n.pk: (n.name, "") for n in Network.objects.all()}
        kind = "networks"
    elif scope.network is not None and scope.structure is None:
        # A network: one line per tree of the network (its root structures), by the tree id.
        roots = list(Structure.objects.filter(network=scope.network, level=0).order_by("name"))
        if not roots:
            return []
        if len(roots) == 1:
            return ranking(DashboardScope(start=scope.start, end=scope.end, structure=roots[0]))
        bucket = Case(
            *[When(structure__tree_id=root.tree_id, then=Value(root.pk)) for root in roots],
            default=Value(0),
            output_field=IntegerField(),
        )
        labels = {root.pk: (root.display_name, root.code) for root in roots}
        kind = "roots"
    else:
        return []
    rows = queryset.annotate(bucket=bucket).values("bucket").annotate(**delay_aggregates()).order_by()
    ranked = [
        StructureRow(
            key=row["bucket"],
            label=labels.get(row["bucket"], ("?", ""))[0],
            code=labels.get(row["bucket"], ("?", ""))[1],
            delays=delays_from(row, median=None),
            kind=kind,
        )
        for row in rows
    ]
    # Who is late first: the lowest answer rate, then the longest mean delay.
    return sorted(
        ranked, key=lambda r: (r.delays.share(r.delays.answered) or 0, -(r.delays.mean or ZERO).total_seconds())
    )


# --- Sources, feelings, channels, tags ---------------------------------------------------------


def sources(scope: DashboardScope) -> list[tuple[str, int]]:
    """Experiences by where the citizen came from (tracking link, banner, QR code, direct), most first."""
    # From the routings joined to their experience: a third of the cost of « experience IN (routings) ».
    rows = list(
        routings(scope)
        .values("experience__source")
        .annotate(n=Count("experience_id", distinct=True))
        .order_by("-n", "experience__source")
        .values_list("experience__source", "n")
    )
    top = [(source or "direct", n) for source, n in rows[:TOP_SOURCES]]
    others = sum(n for _, n in rows[TOP_SOURCES:])
    return top + ([("autres sources", others)] if others else [])


def feelings(scope: DashboardScope) -> dict[str, int]:
    rows = routings(scope).values("feeling").annotate(n=Count("experience_id", distinct=True))
    counts = {row["feeling"]: row["n"] for row in rows}
    return {feeling: counts.get(feeling, 0) for feeling in Feeling.values}


def channels(scope: DashboardScope) -> list[tuple[str, dict[str, int]]]:
    """Per channel of contact, how many mentions with each feeling ("" when the citizen gave none)."""
    rows = (
        ExperienceChannel.objects.filter(experience_typology__experience__in=routings(scope).values("experience_id"))
        .values("channel", "feeling")
        .annotate(n=Count("pk"))
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["channel"], {f: 0 for f in [*Feeling.values, ""]})[row["feeling"]] = row["n"]
    return sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))


def general_tags(scope: DashboardScope) -> list[tuple[str, dict[str, int]]]:
    rows = (
        GeneralTagValue.objects.filter(experience__in=routings(scope).values("experience_id"))
        .values("tag", "value")
        .annotate(n=Count("pk"))
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["tag"], {f: 0 for f in Feeling.values})[row["value"]] = row["n"]
    return sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))


def business_tags(scope: DashboardScope) -> list[tuple[str, int]]:
    through = ExperienceTypology.business_tags.through
    rows = (
        through.objects.filter(experiencetypology__experience__in=routings(scope).values("experience_id"))
        .values("businesstag__name")
        .annotate(n=Count("experiencetypology__experience_id", distinct=True))
        .order_by("-n", "businesstag__name")[:TOP_BUSINESS_TAGS]
    )
    return [(row["businesstag__name"], row["n"]) for row in rows]


# --- Evaluations and the transformation rate (seed 003) ----------------------------------------


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


def evaluations(scope: DashboardScope) -> Evaluations:
    """Published responses of the scope's routings, with their authors' and visitors' verdicts."""
    useful = Q(response__author_evaluation__is_useful=True)
    not_useful = Q(response__author_evaluation__is_useful=False)
    negative = Q(feeling=Feeling.NEGATIVE)
    totals = (
        routings(scope)
        .filter(response__state=ResponseState.PUBLISHED)
        .aggregate(
            responses=Count("pk"),
            author_useful=Count("pk", filter=useful),
            author_not_useful=Count("pk", filter=not_useful),
            visitor_useful=Sum("response__visitor_useful_count", default=0),
            visitor_not_useful=Sum("response__visitor_not_useful_count", default=0),
            negative_evaluated=Count("pk", filter=negative & Q(response__author_evaluation__isnull=False)),
            negative_useful=Count("pk", filter=negative & useful),
        )
    )
    return Evaluations(**totals)


# --- Improvement actions -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFigures:
    engaged: int
    done: int
    flagged_without_action: int


def improvement_actions(scope: DashboardScope) -> ActionFigures:
    """Actions of the scope's structures engaged in the period; flagged routings with no action yet."""
    engaged_in_period = ImprovementAction.objects.filter(
        structure__in=scope_structures(scope).values("pk"), engaged_on__gte=scope.start, engaged_on__lte=scope.end
    ).aggregate(
        engaged=Count("pk", filter=Q(status=ImprovementActionStatus.ENGAGED)),
        done=Count("pk", filter=Q(status=ImprovementActionStatus.DONE)),
    )
    linked = ImprovementAction.experiences.through.objects.filter(experience_id=OuterRef("experience_id"))
    flagged = routings(scope).filter(needs_improvement=True).exclude(Exists(linked)).count()
    return ActionFigures(**engaged_in_period, flagged_without_action=flagged)


# --- Everything at once ------------------------------------------------------------------------


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


def dashboard(scope: DashboardScope) -> Dashboard:
    return Dashboard(
        scope=scope,
        published=published_count(scope),
        by_month=published_by_month(scope),
        delays=response_delays(scope),
        ranking=ranking(scope),
        sources=sources(scope),
        feelings=feelings(scope),
        channels=channels(scope),
        general_tags=general_tags(scope),
        business_tags=business_tags(scope),
        evaluations=evaluations(scope),
        actions=improvement_actions(scope),
    )
