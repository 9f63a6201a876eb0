"""The promotion kit's conversion: share-form visits per tracking source next to the experiences shared from it."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from experiences.models import Experience, ShareVisit
from experiences.selectors.search import paris_midnight
from experiences.sources import DIRECT, source_label

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class SourceConversion:
    source: str
    visits: int
    shared: int

    @property
    def label(self) -> str:
        return source_label(self.source)

    @property
    def rate(self) -> float | None:
        """Experiences shared per 100 visits of the form; None without a visit."""
        return round(100 * self.shared / self.visits, 1) if self.visits else None


def conversion(*, start: datetime.date, end: datetime.date, structures=None) -> list[SourceConversion]:
    """Per source visited in the period: visits and experiences shared (submitted, whatever their moderation).

    `structures`, a Structure queryset, keeps the sources that are their tracking keys (or codes, for a structure
    without a key); direct visits belong to no structure and only the whole country's dashboard shows them.
    None means every source.
    """
    visits = ShareVisit.objects.filter(day__gte=start, day__lte=end)
    if structures is not None:
        keys = Q(source__in=structures.exclude(tracking_key="").values("tracking_key"))
        codes = Q(source__in=structures.filter(tracking_key="").values("code"))
        visits = visits.filter(keys | codes)
    submitted = Q(submitted_at__gte=paris_midnight(start)) & Q(submitted_at__lt=paris_midnight(end + ONE_DAY))
    # One query: each visited source's experiences are counted in a subquery (the index on Experience.source).
    shared = (
        Experience.objects.filter(submitted, source=OuterRef("source"))
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counted = visits.values("source").annotate(n=Sum("visits"), shared=Coalesce(Subquery(shared), 0)).order_by()
    rows = [SourceConversion(row["source"], row["n"], row["shared"]) for row in counted]
    # Tracked sources first, most visited first; direct last, as the reference the links compare with.
    return sorted(rows, key=lambda row: (row.source == DIRECT, -row.visits, row.source))
