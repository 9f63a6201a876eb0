"""Read queries of the public pages: improvement actions, a structure's page and its figures."""

import datetime
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet

from actions.models import ImprovementAction, ImprovementActionStatus
from experiences.models import ANSWERED_STATUSES, Assignment, Experience, ModerationState
from structures.models import Network, Structure

# A structure's page lists its children as links; a national root can have hundreds of them.
MAX_CHILDREN_SHOWN = 50
MAX_ACTIONS_ON_STRUCTURE_PAGE = 10


def subtree(structure: Structure) -> QuerySet[Structure]:
    """The structure and all its descendants, on the tree's bounds (structure_tree_bounds index)."""
    return Structure.objects.filter(tree_id=structure.tree_id, lft__gte=structure.lft, rght__lte=structure.rght)


def _published_experiences() -> QuerySet[Experience]:
    return Experience.objects.published().order_by("-published_at", "-pk")


def public_actions() -> QuerySet[ImprovementAction]:
    """Published improvement actions, newest first, each with its structure and its published experiences."""
    linked = _published_experiences().only("public_id", "title", "published_at")
    return (
        ImprovementAction.objects.public()
        .select_related("structure__network")
        .prefetch_related(Prefetch("experiences", queryset=linked, to_attr="published_experiences"))
        .order_by(F("published_at").desc(nulls_last=True), "-engaged_on", "-pk")
    )


class ActionStructureFilterSet(django_filters.FilterSet):
    """Improvement actions of a structure and of the structures below it, by its SP+ code."""

    structure = django_filters.CharFilter(
        label="Code SP+ de la structure",
        method="filter_structure",
        help_text="Les actions de ses structures rattachées sont incluses.",
        widget=forms.TextInput(attrs={"class": "fr-input", "maxlength": 10}),
    )

    def filter_structure(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        structure = Structure.objects.filter(code=value.strip()).first()
        if structure is None:
            return queryset.none()
        return queryset.filter(structure__in=subtree(structure).values("pk"))


class PublicActionFilter(ActionStructureFilterSet):
    """The filters of /actions-amelioration/, with the French GET parameters a citizen shares."""

    reseau = django_filters.ModelChoiceFilter(
        label="Réseau",
        queryset=Network.objects.order_by("name"),
        field_name="structure__network",
        empty_label="Tous les réseaux",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    statut = django_filters.ChoiceFilter(
        label="État",
        field_name="status",
        choices=ImprovementActionStatus.choices,
        empty_label="Tous les états",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    class Meta:
        model = ImprovementAction
        fields: list[str] = []


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
    routed = Assignment.objects.filter(experience=OuterRef("pk"), structure__in=subtree(structure).values("pk"))
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


def structure_figures(structure: Structure) -> StructureFigures:
    """Counts, answer rate and mean first-response delay over the subtree's published experiences.

    A network root aggregates up to a few hundred thousand routings (about 1 s on a million
    experiences, bench/public_pages.py): on a public page, anyone could make the database do that on
    every request. Computed once per STRUCTURE_FIGURES_SECONDS per structure; the page says so.
    """
    key = f"structure-figures:v1:{structure.pk}"
    return cache.get_or_set(key, lambda: _structure_figures(structure), STRUCTURE_FIGURES_SECONDS)


def _structure_figures(structure: Structure) -> StructureFigures:
    # One aggregate over the assignments table: publication and first-response dates are copied on each
    # routing (DESIGN.md performance facts), so no join to the experiences beyond the moderation state.
    answered = Q(response_status__in=ANSWERED_STATUSES)
    delay = ExpressionWrapper(F("first_response_at") - F("published_at"), output_field=DurationField())
    figures = Assignment.objects.filter(
        structure__in=subtree(structure).values("pk"),
        experience__moderation_state=ModerationState.PUBLISHED,
    ).aggregate(
        experience_count=Count("experience", distinct=True),
        assignment_count=Count("pk"),
        answered_count=Count("pk", filter=answered),
        mean_first_response_delay=Avg(
            delay, filter=answered & Q(first_response_at__isnull=False, published_at__isnull=False)
        ),
    )
    return StructureFigures(**figures)
