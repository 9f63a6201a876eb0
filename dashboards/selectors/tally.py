"""The dashboard's raw counts before presentation: what live aggregates and the daily rollup both produce.

Everything here adds up: two tallies over two disjoint sets of days merge into the tally of their union,
which is how the rollup's past days and the live current day make one dashboard. So the tally keeps
full counters (no « top 10 » yet) and the delays as sums and a histogram, never as means or medians.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field, fields

ZERO = datetime.timedelta()
HOUR = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Delays:
    routings: int
    answered: int
    under_48h: int
    under_72h: int
    under_7d: int
    mean: datetime.timedelta | None
    median: datetime.timedelta | None
    # Against each routing's response-time target (issue 20): answered by its due time; past it unanswered,
    # or answered after it.
    within_target: int = 0
    breached: int = 0

    @property
    def unanswered(self) -> int:
        return self.routings - self.answered

    def share(self, count: int) -> float | None:
        return None if not self.routings else count / self.routings


@dataclass
class DelayTally:
    routings: int = 0
    answered: int = 0
    total: datetime.timedelta = ZERO
    under_48h: int = 0
    under_72h: int = 0
    under_7d: int = 0
    within_target: int = 0
    breached: int = 0
    # Whole hours of delay (rounded down) → answered routings: the median's histogram.
    hours: Counter = field(default_factory=Counter)

    def merge(self, other: "DelayTally") -> None:
        for name in (
            "routings",
            "answered",
            "total",
            "under_48h",
            "under_72h",
            "under_7d",
            "within_target",
            "breached",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.hours.update(other.hours)

    def delays(self) -> Delays:
        """The mean divides the exact sum of delays by their number (PostgreSQL's interval average
        divides days in floating point and ends 1 µs off); the median is in whole hours."""
        return Delays(
            routings=self.routings,
            answered=self.answered,
            under_48h=self.under_48h,
            under_72h=self.under_72h,
            under_7d=self.under_7d,
            within_target=self.within_target,
            breached=self.breached,
            mean=self.total / self.answered if self.answered else None,
            median=median_hours(self.hours),
        )


def median_hours(histogram: Counter) -> datetime.timedelta | None:
    """The median of a histogram of whole hours: the middle value, or the mean of the two middle ones."""
    count = sum(histogram.values())
    if not count:
        return None
    wanted, found, seen = [(count - 1) // 2, count // 2], [], 0
    for hours in sorted(histogram):
        seen += histogram[hours]
        while wanted and wanted[0] < seen:
            found.append(hours)
            wanted.pop(0)
    return (found[0] + found[1]) * HOUR / 2


@dataclass
class EvaluationTally:
    responses: int = 0
    author_useful: int = 0
    author_not_useful: int = 0
    visitor_useful: int = 0
    visitor_not_useful: int = 0
    negative_evaluated: int = 0
    negative_useful: int = 0

    def merge(self, other: "EvaluationTally") -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


@dataclass
class Tally:
    months: Counter = field(default_factory=Counter)  # first day of the month → experiences published
    delays: DelayTally = field(default_factory=DelayTally)
    ranking: dict = field(default_factory=dict)  # line key (structure or network pk) → DelayTally
    sources: Counter = field(default_factory=Counter)  # "" when the citizen came directly
    feelings: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)  # (channel, feeling or "") → mentions
    general_tags: Counter = field(default_factory=Counter)  # (tag, value) → experiences
    business_tags: Counter = field(default_factory=Counter)  # name → experiences
    evaluations: EvaluationTally = field(default_factory=EvaluationTally)
    flagged_without_action: int = 0

    @property
    def delay_hours(self) -> Counter:
        return self.delays.hours

    def merge(self, other: "Tally") -> None:
        for name in ("months", "sources", "feelings", "channels", "general_tags", "business_tags"):
            getattr(self, name).update(getattr(other, name))
        self.delays.merge(other.delays)
        for key, line in other.ranking.items():
            self.ranking.setdefault(key, DelayTally()).merge(line)
        self.evaluations.merge(other.evaluations)
        self.flagged_without_action += other.flagged_without_action
