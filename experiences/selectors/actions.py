"""Read queries of the agents' improvement actions that need their linked experiences: the list with its
link counts, one action's page, and the experiences an agent may link."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from actions.models import ImprovementActionQuerySet
from actions.selectors import actions_for_agent, manageable_structures
from experiences.models import Assignment, Experience, ExperienceQuerySet, ImprovementActionLink


def listed_actions_for_agent(user) -> ImprovementActionQuerySet:
    """/agents/actions/: actions_for_agent with each action's number of linked experiences; a constant
    number of queries."""
    # Subqueries, not JOIN + GROUP BY: count() and aggregate() over the list then leave them out.
    links = (
        ImprovementActionLink.objects.filter(improvementaction=OuterRef("pk"))
        .order_by()
        .values("improvementaction")
        .annotate(count=Count("*"))
        .values("count")
    )
    return actions_for_agent(user).annotate(experience_count=Coalesce(Subquery(links), 0))


def action_for_agent(user) -> ImprovementActionQuerySet:
    """One action's page: its structure, whether `user` may manage it, and its linked experiences
    (what the page shows of them only: never the author's e-mail)."""
    linked = Experience.objects.only("pk", "public_id", "title", "status", "moderation_state").order_by("public_id")
    return actions_for_agent(user).prefetch_related(
        Prefetch("experiences", queryset=linked, to_attr="linked_experiences")
    )


def linkable_experiences(user) -> ExperienceQuerySet:
    """Published experiences `user` sees that are routed to a structure whose actions they manage."""
    routed = Assignment.objects.filter(
        experience=OuterRef("pk"), structure__in=manageable_structures(user).values("pk")
    )
    return Experience.objects.visible_to(user).published().filter(Exists(routed))
