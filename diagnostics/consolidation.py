"""Consolidated results (seed 003, third case): the distribution of the scores of a parent structure's
descendants, or of a whole network, never a ranking of named structures.

Confidentiality: with fewer than two structures, a consolidation would show one team's answers (the programme's
earlier self-assessment tool did); so anything that leaves fewer than two, a typology filter or a commitment
only two structures could not score, shows nothing but the reason.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from diagnostics.models import Diagnostic, DiagnosticStatus
from structures.commitments import COMMITMENTS, Commitment
from structures.models import Network, Structure, Typology

MIN_STRUCTURES = 2
TOO_FEW = (
    "Moins de deux structures ont un diagnostic enregistré pour ce choix : rien n'est affiché, pour qu'aucune "
    "équipe ne puisse être lue à travers les résultats consolidés."
)


@dataclass(frozen=True)
class Distribution:
    count: int
    minimum: float
    first_quartile: float
    median: float
    third_quartile: float
    maximum: float


@dataclass(frozen=True)
class ConsolidatedRow:
    commitment: Commitment | None  # None: the overall score
    distribution: Distribution | None  # None: fewer than two structures scored it


@dataclass(frozen=True)
class Consolidation:
    label: str
    structures: int
    first_date: datetime.date | None
    last_date: datetime.date | None
    rows: list[ConsolidatedRow]
    refusal: str | None = None


def distribution(values: list[float]) -> Distribution | None:
    if len(values) < MIN_STRUCTURES:
        return None
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Distribution(len(values), min(values), round(q1, 1), round(median, 1), round(q3, 1), max(values))


def member_structures(*, parent: Structure | None = None, network: Network | None = None) -> Q:
    """A parent's descendants (« structures filles », itself excluded) or every structure of a network."""
    if parent is not None:
        return Q(structure__tree_id=parent.tree_id, structure__lft__gt=parent.lft, structure__rght__lt=parent.rght)
    return Q(structure__network=network)


def latest_diagnostics(members: Q, *, year: int | None = None, typology_id: int | None = None) -> QuerySet:
    """Each structure's latest completed diagnostic with its results (in `year` when given)."""
    completed = Diagnostic.objects.filter(status=DiagnosticStatus.COMPLETED, scores__isnull=False)
    if year is not None:
        start = timezone.make_aware(datetime.datetime(year, 1, 1))
        completed = completed.filter(completed_at__gte=start, completed_at__lt=start.replace(year=year + 1))
    latest = completed.filter(structure=OuterRef("structure")).order_by("-completed_at", "-pk").values("pk")[:1]
    diagnostics = completed.filter(members).filter(pk=Subquery(latest))
    if typology_id is not None:
        diagnostics = diagnostics.filter(structure__typology_id=typology_id)
    return diagnostics


def typologies_with_diagnostics(members: Q) -> QuerySet[Typology]:
    """Only the typologies that have diagnostics are offered (issue 14)."""
    structures = Diagnostic.objects.filter(members, status=DiagnosticStatus.COMPLETED).values("structure__typology_id")
    return Typology.objects.filter(pk__in=structures).order_by("name")


def years_with_diagnostics(members: Q) -> list[int]:
    dates = Diagnostic.objects.filter(members, status=DiagnosticStatus.COMPLETED).dates("completed_at", "year")
    return sorted({d.year for d in dates}, reverse=True)


def consolidate(members: Q, *, label: str, year: int | None = None, typology_id: int | None = None) -> Consolidation:
    rows = list(
        latest_diagnostics(members, year=year, typology_id=typology_id)
        .order_by()
        .values_list(TruncDate("completed_at"), "scores")
    )
    if len(rows) < MIN_STRUCTURES:
        return Consolidation(label, len(rows), None, None, [], refusal=TOO_FEW)
    dates = [day for day, _ in rows]
    columns = list(zip(*(scores for _, scores in rows), strict=True))
    consolidated = [
        ConsolidatedRow(commitment, distribution([score for score in column if score is not None]))
        for commitment, column in zip((None, *COMMITMENTS), columns, strict=True)
    ]
    return Consolidation(label, len(rows), min(dates), max(dates), consolidated)
