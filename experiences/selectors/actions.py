"""Read queries of the agents' improvement actions: scoping, the list and its counts, linkable experiences."""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from actions.models import ImprovementAction, ImprovementActionQuerySet, ImprovementActionStatus
from experiences.models import Assignment, Experience, ExperienceQuerySet
from experiences.selectors.public_pages import ActionStructureFilterSet
from structures.models import Structure
from structures.permissions import Action, structures_visible_to

# Past this many structures a <select> is unusable (a referent on a network root manages thousands):
# the form asks for the structure's code instead.
STRUCTURE_SELECT_MAX = 100


def manageable_structures(user) -> QuerySet[Structure]:
    """Structures whose improvement actions `user` may create, edit and publish."""
    return structures_visible_to(user, Action.MANAGE_ACTIONS)


def structure_choices(user) -> list[Structure] | None:
    """The structures to offer in a <select>, or None when there are too many for one."""
    structures = list(manageable_structures(user).only("pk", "code", "name").order_by("name", "code"))
    return None if len(structures) > STRUCTURE_SELECT_MAX else structures


def actions_for_agent(user) -> ImprovementActionQuerySet:
    """Actions of the structures `user` sees, each with its structure, its number of linked
    experiences and whether `user` may manage it, newest first; a constant number of queries."""
    managed = manageable_structures(user).filter(pk=OuterRef("structure_id"))
    # Subqueries, not JOIN + GROUP BY: count() and aggregate() over the list then leave them out.
    links = (
        ImprovementAction.experiences.through.objects.filter(improvementaction=OuterRef("pk"))
        .order_by()
        .values("improvementaction")
        .annotate(count=Count("*"))
        .values("count")
    )
    return (
        ImprovementAction.objects.visible_to(user)
        .select_related("structure")
        .annotate(experience_count=Coalesce(Subquery(links), 0), can_manage=Exists(managed))
        .order_by("-engaged_on", "-pk")
    )


def action_for_agent(user) -> ImprovementActionQuerySet:
    """One action's page: its structure, whether `user` may manage it, and its linked experiences
    (what the page shows of them only: never the author's e-mail)."""
    managed = manageable_structures(user).filter(pk=OuterRef("structure_id"))
    linked = Experience.objects.only("pk", "public_id", "title", "status", "moderation_state").order_by("public_id")
    return (
        ImprovementAction.objects.visible_to(user)
        .select_related("structure")
        .annotate(can_manage=Exists(managed))
        .prefetch_related(Prefetch("experiences", queryset=linked, to_attr="linked_experiences"))
    )


def linkable_experiences(user) -> ExperienceQuerySet:
    """Published experiences `user` sees that are routed to a structure whose actions they manage."""
    routed = Assignment.objects.filter(
        experience=OuterRef("pk"), structure__in=manageable_structures(user).values("pk")
    )
    return Experience.objects.visible_to(user).published().filter(Exists(routed))


@dataclass(frozen=True)
class ActionCounts:
    total: int
    engaged: int
    done: int
    public: int


def action_counts(actions: QuerySet[ImprovementAction]) -> ActionCounts:
    """What the list's heading sums up, in one aggregate query."""
    totals = actions.order_by().aggregate(
        total=Count("pk"),
        engaged=Count("pk", filter=Q(status=ImprovementActionStatus.ENGAGED)),
        done=Count("pk", filter=Q(status=ImprovementActionStatus.DONE)),
        public=Count("pk", filter=Q(is_public=True)),
    )
    return ActionCounts(**totals)


PUBLICATION_CHOICES = [("oui", "Publiées"), ("non", "Non publiées")]


class AgentActionFilter(ActionStructureFilterSet):
    """The filters of /agents/actions/, with French GET parameters; the queryset is already scoped."""

    etat = django_filters.ChoiceFilter(
        label="État",
        field_name="status",
        choices=ImprovementActionStatus.choices,
        empty_label="Tous les états",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    publication = django_filters.ChoiceFilter(
        label="Publication",
        method="filter_publication",
        choices=PUBLICATION_CHOICES,
        empty_label="Publiées ou non",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    class Meta:
        model = ImprovementAction
        fields: list[str] = []

    def filter_publication(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_public=value == "oui")
