"""Public search and browse over published experiences: filters, French full-text search, capped counts."""

import datetime
import enum
import zoneinfo
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Exists, Expression, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from experiences import sqlite_search
from experiences.models import Assignment, Experience, ExperienceTypology
from structures.models import Structure

PAGE_SIZE = 20
# Counts and pages stop here: past it the page says « plus de 1 000 résultats » and the visitor
# refines the search. An exact count of a common word visits every match (DESIGN.md: 344 ms vs 36 ms).
RESULT_CAP = 1000
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# The columns a card shows; the author's e-mail is never loaded for a public page.
CARD_FIELDS = (
    "public_id",
    "title",
    "description",
    "feeling",
    "pseudonym",
    "published_at",
    "status",
    "department__code",
    "department__name",
)

# `search_vector` is a generated column only PostgreSQL has (migration 0006). Left unqualified on
# purpose: inside a subquery Django renames the table's alias, and only this table has the column.
MATCH_SQL = "search_vector @@ websearch_to_tsquery('public.french_unaccent', %s)"
# The same test in a form the GIN index cannot serve. With a department the planner ANDs the GIN
# bitmap with experience_dept_feeling_date; for a common word that bitmap costs 150+ ms, where
# checking the stored vector of the department's few thousand rows costs ~35 ms (EXPLAIN ANALYZE, 1 M rows).
MATCH_WITHOUT_INDEX_SQL = "(search_vector || ''::tsvector) @@ websearch_to_tsquery('public.french_unaccent', %s)"
RANK_SQL = "ts_rank_cd(search_vector, websearch_to_tsquery('public.french_unaccent', %s))"


class Sort(enum.StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"


@dataclass(frozen=True)
class ExperienceSearch:
    """What a visitor asks for; every criterion is optional."""

    text: str = ""
    sort: Sort | None = None
    network_id: int | None = None
    typology_id: int | None = None
    structure: Structure | None = None
    feeling: str = ""
    status: str = ""
    region_code: str = ""
    department_code: str = ""
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None

    @property
    def effective_sort(self) -> Sort:
        """Relevance when there is a word to rank by, else date, unless the visitor chose."""
        if not self.text:
            return Sort.DATE
        return self.sort or Sort.RELEVANCE


def matching_experiences(search: ExperienceSearch) -> QuerySet[Experience]:
    """Published experiences matching every criterion, newest first (the partial index's order)."""
    experiences = Experience.objects.published()
    if search.text:
        experiences = experiences.filter(text_condition(search.text, use_index=not search.department_code))
    experiences = experiences.filter(_attribute_conditions(search))
    for condition in _routing_conditions(search):
        experiences = experiences.filter(condition)
    return experiences.order_by("-published_at", "-pk")


def search_experiences(search: ExperienceSearch) -> QuerySet[Experience]:
    """The list to show: matches in the chosen order, with what a card needs in one query."""
    experiences = matching_experiences(search)
    rank = relevance(search.text) if search.effective_sort == Sort.RELEVANCE else None
    if rank is not None:
        # Ranking visits every match (DESIGN.md: 600 ms for a common word): rank the newest
        # RESULT_CAP matches only — all of them whenever the count is exact.
        newest = experiences.values("pk")[:RESULT_CAP]
        experiences = (
            Experience.objects.filter(pk__in=newest).annotate(rank=rank).order_by("-rank", "-published_at", "-pk")
        )
    return experiences.select_related("department").only(*CARD_FIELDS)


def capped_count(experiences: QuerySet, cap: int = RESULT_CAP) -> int:
    """The number of matches up to cap + 1 (SELECT count(*) FROM (… LIMIT cap + 1)), never more."""
    return experiences.order_by().values("pk")[: cap + 1].count()


class CappedPaginator(Paginator):
    """Page numbers over at most RESULT_CAP results: the last page's OFFSET stays small.

    `counted` is what to count (capped), or the number of results when the page already knows it.
    """

    def __init__(self, object_list: QuerySet, counted: QuerySet | int, per_page: int = PAGE_SIZE):
        super().__init__(object_list, per_page)
        self.counted = counted

    @cached_property
    def capped_total(self) -> int:
        if isinstance(self.counted, int):
            return self.counted
        return capped_count(self.counted)

    @cached_property
    def count(self) -> int:
        return min(self.capped_total, RESULT_CAP)

    @property
    def is_capped(self) -> bool:
        return self.capped_total > RESULT_CAP


def text_condition(text: str, use_index: bool) -> Q | RawSQL:
    """French full-text match of title and description: PostgreSQL's text search, or SQLite's FTS5 index."""
    if connection.vendor == "sqlite":
        return sqlite_search.match_condition(text)
    return RawSQL(MATCH_SQL if use_index else MATCH_WITHOUT_INDEX_SQL, [text], output_field=BooleanField())


def relevance(text: str) -> Expression | None:
    """Each match's relevance, title before description; None when the words give nothing to rank by."""
    if connection.vendor == "sqlite":
        return sqlite_search.rank(text)
    return RawSQL(RANK_SQL, [text], output_field=FloatField())


def _attribute_conditions(search: ExperienceSearch) -> Q:
    condition = Q()
    if search.feeling:
        condition &= Q(feeling=search.feeling)
    if search.status:
        condition &= Q(status=search.status)
    if search.region_code:
        condition &= Q(region_id=search.region_code)
    if search.department_code:
        condition &= Q(department_id=search.department_code)
    if search.published_from:
        condition &= Q(published_at__gte=paris_midnight(search.published_from))
    if search.published_to:
        condition &= Q(published_at__lt=paris_midnight(search.published_to + datetime.timedelta(days=1)))
    return condition


def _routing_conditions(search: ExperienceSearch) -> list[Exists]:
    """Network, organism and structure as EXISTS on the routing tables, not JOIN + DISTINCT."""
    conditions = []
    if search.network_id:
        conditions.append(
            Exists(Assignment.objects.filter(experience=OuterRef("pk"), structure__network_id=search.network_id))
        )
    if search.typology_id:
        conditions.append(
            Exists(ExperienceTypology.objects.filter(experience=OuterRef("pk"), typology_id=search.typology_id))
        )
    if search.structure is not None:
        # The structure and all its descendants: its tree's bounds (structure_tree_bounds index).
        subtree = Structure.objects.filter(
            tree_id=search.structure.tree_id, lft__gte=search.structure.lft, rght__lte=search.structure.rght
        )
        conditions.append(
            Exists(Assignment.objects.filter(experience=OuterRef("pk"), structure__in=subtree.values("pk")))
        )
    return conditions


def paris_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)
