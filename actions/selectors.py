"""Read queries of improvement actions: who manages which structures, the scoped list and its counts,
the published actions. What an action's linked experiences add to them is read by experiences."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from structures.models import Structure
from structures.permissions import Action, structures_visible_to

from .models import ImprovementAction, ImprovementActionQuerySet, ImprovementActionStatus

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
    """Actions of the structures `user` sees, each with its structure and whether `user` may manage it,
    newest first."""
    managed = manageable_structures(user).filter(pk=OuterRef("structure_id"))
    return (
        ImprovementAction.objects.visible_to(user)
        .select_related("structure")
        .annotate(can_manage=Exists(managed))
        .order_by("-engaged_on", "-pk")
    )


def published_actions() -> ImprovementActionQuerySet:
    """Published actions, the latest published first, each with its structure and network."""
    return (
        ImprovementAction.objects.public()
        .select_related("structure__network")
        .order_by(F("published_at").desc(nulls_last=True), "-engaged_on", "-pk")
    )


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
