"""Read queries of the public pages: improvement actions, a structure's page and its figures."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet

from actions.models import ImprovementAction
from actions.selectors import published_actions
from experiences.models import ANSWERED_STATUSES, Assignment, Experience
from structures.models import Structure

# A structure's page lists its children as links; a national root can have hundreds of them.
MAX_CHILDREN_SHOWN = 50
MAX_ACTIONS_ON_STRUCTURE_PAGE = 10
# Up to this many structures, a subtree's routings are filtered on its ids written out, not a subquery:
# PostgreSQL then estimates each structure's routings from its statistics. Behind a subquery it assumes an
# average structure's, and on a small network with 45,000 routings it hashed them all to keep the ten newest
# (440 ms instead of 2, bench/scorecards.py).
INLINE_SUBTREE_IDS = 200


def subtree(structure: Structure) -> QuerySet[Structure]:
    """The structure and all its descendants, on the tree's bounds (structure_tree_bounds index)."""
    return Structure.objects.filter(tree_id=structure.tree_id, lft__gte=structure.lft, rght__lte=structure.rght)


def subtree_ids(structure: Structure) -> QuerySet | list[int]:
    """The subtree's ids to filter routings on: written out for a small subtree, a subquery for a large one."""
    ids = subtree(structure).values_list("pk", flat=True)
    return list(ids) if structure.get_descendant_count() < INLINE_SUBTREE_IDS else ids


def _published_experiences() -> QuerySet[Experience]:
    return Experience.objects.published().order_by("-published_at", "-pk")


def public_actions() -> QuerySet[ImprovementAction]:
    """Published improvement actions, newest first, each with its structure and its published experiences."""
    linked = _published_experiences().only("public_id", "title", "published_at")
    return published_actions().prefetch_related(
        Prefetch("experiences", queryset=linked, to_attr="published_experiences")
    )


def structure_by_code(code: str) -> QuerySet[Structure]:
    return Structure.objects.select_related("network", "typology", "parent").filter(code=code)


def structure_children(structure: Structure) -> tuple[list[Structure], int]:
    """At most MAX_CHILDREN_SHOWN children, and how many there are in all."""
    children = list(structure.get_children().order_by("name", "code")[: MAX_CHILDREN_SHOWN + 1])
    if len(children) <= MAX_CHILDREN_SHOWN:
        return children, len(children)
    return children[:MAX_CHILDREN_SHOWN], structure.get_children().count()


def structure_experiences(structure: Structure) -> QuerySet[Experience]:
    """Published experiences routed to the structure or one of its descendants, newest first."""
    routed = Assignment.objects.filter(experience=OuterRef("pk"), structure__in=subtree_ids(structure))
    # EXISTS rather than JOIN + DISTINCT: an experience routed to a parent and its child shows once.
    return _published_experiences().filter(Exists(routed))


def structure_actions(structure: Structure) -> QuerySet[ImprovementAction]:
    return public_actions().filter(structure__in=subtree(structure).values("pk"))


@dataclass(frozen=True)
class StructureFigures:
    experience_count: int
    assignment_count: int
    answered_count: int
    mean_first_response_delay: datetime.timedelta | None

    @property
    def answer_rate(self) -> float | None:
        """Share of the routings that received a public answer, in percent."""
        if not self.assignment_count:
            return None
        return 100 * self.answered_count / self.assignment_count


STRUCTURE_FIGURES_SECONDS = 600


def figures_cache_key(structure_pk: int) -> str:
    return f"structure-figures:v1:{structure_pk}"


def structure_figures(structure: Structure) -> StructureFigures:
    """Counts, answer rate and mean first-response delay over the subtree's published experiences.

    On a public page anyone could make the database aggregate a network's routings on every request:
    the figures are cached STRUCTURE_FIGURES_SECONDS (the page says so). Large subtrees (a network
    root: 193,000 routings, 0.2 s) are refreshed by beat before they expire
    (experiences.services.public_figures), so no visitor waits for them; an empty cache is filled here.
    """
    key = figures_cache_key(structure.pk)
    return cache.get_or_set(key, lambda: compute_structure_figures(structure), STRUCTURE_FIGURES_SECONDS)


def compute_structure_figures(structure: Structure) -> StructureFigures:
    # One aggregate over the assignments table, no join: publication and first-response dates are copied
    # on each routing (DESIGN.md performance facts), and a routing exists only once its experience is
    # published (moderation.route), with its publication date, as the dashboards rely on. The subtree goes
    # as a list of ids: from the tree's bounds the planner hash-joined a sequential scan of every routing
    # (113 ms for a 10,000-routing department, 14 ms with the ids; bench/README.md).
    structure_ids = list(subtree(structure).values_list("pk", flat=True))
    answered = Q(response_status__in=ANSWERED_STATUSES)
    delay = ExpressionWrapper(F("first_response_at") - F("published_at"), output_field=DurationField())
    figures = Assignment.objects.filter(structure__in=structure_ids, published_at__isnull=False).aggregate(
        experience_count=Count("experience", distinct=True),
        assignment_count=Count("pk"),
        answered_count=Count("pk", filter=answered),
        mean_first_response_delay=Avg(delay, filter=answered & Q(first_response_at__isnull=False)),
    )
    return StructureFigures(**figures)
