"""What the agents' back-office reads: the experiences routed to a user's scope, filtered, and one experience.

The scope is always `structures.permissions.structure_scope(user)` (their structures and all their
descendants), applied as EXISTS on the routing table: never JOIN + DISTINCT over a million rows.
"""

import datetime
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import Exists, F, FilteredRelation, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from actions.models import ImprovementAction
from experiences.models import (
    UNANSWERED_STATUSES,
    Assignment,
    Comment,
    Experience,
    ExperienceState,
    ExperienceTypology,
    GeneralTagValue,
    ModerationDecision,
    Response,
)
from experiences.selectors.search import paris_midnight, text_condition
from structures.models import BusinessTag, Structure, Typology
from structures.permissions import Action, scoped_structure_ids, sees_everything, structure_scope


@dataclass(frozen=True)
class AgentFilters:
    """What an agent asks the list for; every criterion is optional."""

    state: str = ""  # ExperienceState value
    response_status: str = ""
    structure: Structure | None = None  # within the scope, checked by the form
    typology_id: int | None = None
    general_tag: str = ""
    general_tag_value: str = ""
    business_tag_id: int | None = None
    feeling: str = ""
    needs_improvement: bool = False
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None
    text: str = ""
    oldest_first: bool = False
    by_due_time: bool = False  # the earliest due time of the user's waiting routings first
    late: bool = False  # a routing of the user's scope is past its response-time target, unanswered


def scoped_structures(user, action: Action = Action.VIEW) -> QuerySet[Structure]:
    return Structure.objects.filter(structure_scope(user, action))


# Up to this many structures in scope, the list's structure filter is a select of their names;
# past it (a network's super agent, a moderator: thousands) a text field matches names instead.
STRUCTURE_SELECT_LIMIT = 200


def structure_filter_choices(user) -> list[tuple[str, str]] | None:
    """(code, name) of the structures in the user's scope, by name; None when there are too many for a select."""
    structures = list(scoped_structures(user).select_related("parent")[: STRUCTURE_SELECT_LIMIT + 1])
    if len(structures) > STRUCTURE_SELECT_LIMIT:
        return None
    names = [s.display_name for s in structures]
    choices = [
        # Two structures of one name (an « Accueil » under two offices) are told apart by their parent.
        (s.code, f"{name} ({s.parent.display_name})" if names.count(name) > 1 and s.parent else name)
        for s, name in zip(structures, names, strict=True)
    ]
    return sorted(choices, key=lambda choice: (choice[1].casefold(), choice[0]))


FILTER_CHOICES_CACHE_SECONDS = 600


def typology_and_tag_choices(user) -> dict[str, list[tuple[int, str]]]:
    """(pk, name) of the typologies and business tags of the networks in the user's scope, cached by network.

    The networks are read first as a short list: as a subquery, the planner probed the whole structures
    table once per typology (292 index scans, 50 ms each list, on the real referential).
    """
    if sees_everything(user):
        networks = None
    else:
        networks = sorted(set(scoped_structures(user).order_by().values_list("network_id", flat=True).distinct()))
    key = "agent-filter-choices:v1:" + ("all" if networks is None else ",".join(map(str, networks)))
    return cache.get_or_set(key, lambda: _typology_and_tag_choices(networks), FILTER_CHOICES_CACHE_SECONDS)


def _typology_and_tag_choices(networks: list[int] | None) -> dict[str, list[tuple[int, str]]]:
    typologies, tags = Typology.objects.order_by("name", "pk"), BusinessTag.objects.order_by("name", "pk")
    if networks is not None:
        typologies, tags = typologies.filter(network__in=networks), tags.filter(network__in=networks)
    return {
        "typologies": list(typologies.values_list("pk", "name")),
        "business_tags": list(tags.values_list("pk", "name")),
    }


def structures_named(user, text: str) -> QuerySet[Structure]:
    """The structures of the user's scope whose code is `text` or whose name contains it."""
    named = Q(code__iexact=text) | Q(name__icontains=text) | Q(public_name__icontains=text)
    return scoped_structures(user).filter(named).order_by("name", "pk")


def experiences_for_agent(user) -> QuerySet[Experience]:
    """Published experiences routed to the user's scope (everything published, for a moderator)."""
    return Experience.objects.visible_to(user).published()


def filtered_experiences(user, filters: AgentFilters) -> QuerySet[Experience]:
    experiences = experiences_for_agent(user)
    routing = Q()
    if filters.structure is not None:
        subtree = Structure.objects.filter(
            tree_id=filters.structure.tree_id, lft__gte=filters.structure.lft, rght__lte=filters.structure.rght
        )
        routing &= Q(structure__in=subtree.values("pk"))
    if filters.response_status:
        routing &= Q(response_status=filters.response_status)
    if filters.needs_improvement:
        routing &= Q(needs_improvement=True)
    if filters.late:
        # Read on the assignment_due index: the structure's waiting routings by due time.
        routing &= Q(response_status__in=UNANSWERED_STATUSES, due_at__lte=timezone.now())
    if routing:
        # The condition holds on a routing the user may see, not on another structure's.
        mine = Assignment.objects.visible_to(user).filter(routing, experience=OuterRef("pk"))
        # A late routing the user may see implies the scope: that EXISTS alone (the scope's second EXISTS
        # doubled a referent's « en retard », 65,000 experiences probed twice, bench/agent_pages.py). Not
        # for the other conditions: one EXISTS instead of two made « amélioration » 2–5 times slower.
        base = Experience.objects.published() if filters.late else experiences
        experiences = base.filter(Exists(mine))
    elif filters.state == ExperienceState.TO_PROCESS and not sees_everything(user):
        # « À traiter » implies no routing answered: said on the routing, the scope's EXISTS reads the
        # assignment_unanswered index, a third of a busy office's 36,000 routings (bench/README.md). It
        # replaces the scope's EXISTS only here: with another routing condition, one EXISTS instead of two
        # made « amélioration » 2-5 times slower.
        unanswered = Assignment.objects.visible_to(user).filter(
            response_status__in=UNANSWERED_STATUSES, experience=OuterRef("pk")
        )
        experiences = Experience.objects.published().filter(Exists(unanswered))
    if filters.state:
        experiences = experiences.with_state(filters.state)
    if filters.feeling:
        experiences = experiences.filter(feeling=filters.feeling)
    if filters.typology_id:
        typologies = ExperienceTypology.objects.filter(experience=OuterRef("pk"), typology_id=filters.typology_id)
        experiences = experiences.filter(Exists(typologies))
    if filters.business_tag_id:
        tagged = ExperienceTypology.objects.filter(experience=OuterRef("pk"), business_tags=filters.business_tag_id)
        experiences = experiences.filter(Exists(tagged))
    if filters.general_tag:
        tags = GeneralTagValue.objects.filter(experience=OuterRef("pk"), tag=filters.general_tag)
        if filters.general_tag_value:
            tags = tags.filter(value=filters.general_tag_value)
        experiences = experiences.filter(Exists(tags))
    if filters.published_from:
        experiences = experiences.filter(published_at__gte=paris_midnight(filters.published_from))
    if filters.published_to:
        experiences = experiences.filter(
            published_at__lt=paris_midnight(filters.published_to + datetime.timedelta(days=1))
        )
    if filters.text:
        experiences = experiences.filter(text_condition(filters.text, use_index=True))
    if filters.by_due_time:
        return _by_due_time(experiences, user)
    order = ("published_at", "pk") if filters.oldest_first else ("-published_at", "-pk")
    return experiences.order_by(*order)


def experiences_to_count(user, filters: AgentFilters) -> QuerySet[Experience]:
    """What the list counts: the same experiences without the due-time sort, whose join and grouping the
    count does not need (it doubled the time of « les plus urgentes d'abord »)."""
    return filtered_experiences(user, replace(filters, by_due_time=False))


def _by_due_time(experiences: QuerySet[Experience], user) -> QuerySet[Experience]:
    """The most urgent first: each experience by the earliest due time of the user's routings still waiting;
    answered experiences follow, newest first.

    One join of the listed experiences with the scope's waiting routings, grouped by experience: PostgreSQL
    hashes both sides once. A subquery per experience cost 0.6–1.3 s at a million (12,500 to 54,000
    experiences to sort), and 47 s when its ORDER BY due_at LIMIT 1 sent it down the assignment_due index
    (bench/agent_pages.py)."""
    waiting = Q(assignments__response_status__in=UNANSWERED_STATUSES)
    if not sees_everything(user):
        scope = scoped_structure_ids(user)
        # A join condition takes no subquery: a national scope's ids written out (15,000 at most).
        ids = scope if isinstance(scope, list) else list(scope.values_list("pk", flat=True))
        waiting &= Q(assignments__structure__in=ids)
    return (
        experiences.alias(waiting=FilteredRelation("assignments", condition=waiting))
        .annotate(next_due=Min("waiting__due_at"))
        .order_by(F("next_due").asc(nulls_last=True), "-published_at", "-pk")
    )


class RowsInOrder:
    """A sorted list's page read in two steps: its ids in the list's order, then those rows with what a row
    shows. Sorting by due time groups the listed experiences with their routings: on ids alone the database
    sorts narrow rows in memory; on whole rows a referent's 53,682 went to disk (1 s, bench/agent_pages.py)."""

    def __init__(self, experiences: QuerySet[Experience], user):
        # Not `ordered`: Paginator reads an `ordered` attribute as a QuerySet's, and would evaluate it.
        self.experiences = experiences
        self.user = user

    def __getitem__(self, index: slice) -> list[Experience]:
        ids = list(self.experiences.values_list("pk", flat=True)[index])
        found = {row.pk: row for row in with_list_rows(Experience.objects.filter(pk__in=ids), self.user)}
        return [found[pk] for pk in ids if pk in found]  # one deleted between the two reads is left out


def list_rows(experiences: QuerySet[Experience], user, filters: AgentFilters) -> QuerySet[Experience] | RowsInOrder:
    """What the list pages through: the experiences with their rows' details, in the list's order."""
    if filters.by_due_time:
        return RowsInOrder(experiences, user)
    return with_list_rows(experiences, user)


def with_list_rows(experiences: QuerySet[Experience], user) -> QuerySet[Experience]:
    """What a row of the list shows, in a fixed number of queries: the routings the user may see."""
    return experiences.select_related("department").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.visible_to(user).select_related("structure").order_by("position"),
            to_attr="my_assignments",
        )
    )


def experience_for_agent(user, public_id: int) -> Experience:
    """One experience with everything its page shows; Experience.DoesNotExist outside the scope."""
    responses = Response.objects.select_related("author", "published_by", "adopted_from__assignment__structure")
    return (
        experiences_for_agent(user)
        .select_related("department", "region")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("structure", "structure__network")
                .prefetch_related(Prefetch("response", queryset=responses))
                .order_by("position"),
            ),
            Prefetch(
                "typologies",
                queryset=ExperienceTypology.objects.select_related("typology__network")
                .prefetch_related("channels", "business_tags")
                .order_by("position"),
            ),
            "general_tags",
            Prefetch("comments", queryset=Comment.objects.select_related("author", "structure").order_by("created_at")),
            Prefetch("improvement_actions", queryset=ImprovementAction.objects.select_related("structure")),
            Prefetch(
                "moderation_decisions",
                queryset=ModerationDecision.objects.filter(action__startswith="transfer").select_related("decided_by"),
            ),
        )
        .get(public_id=public_id)
    )
