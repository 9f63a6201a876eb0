"""Read queries of one experience's public page: the experience, its structures, published responses and actions."""

from dataclasses import dataclass

from actions.models import ImprovementAction
from experiences.models import Assignment, Experience, ExperienceQuerySet, MeToo, Response, ResponseState, ResponseVote
from structures.models import Structure


@dataclass(frozen=True)
class StructureAnswer:
    """A structure concerned and, if it is public, its response.

    `shown` is the response whose text is displayed: the response itself, or the one it adopts.
    """

    structure: Structure
    response: Response | None = None
    shown: Response | None = None

    @property
    def adopted_from_structure(self) -> Structure | None:
        if self.response is None or self.response.adopted_from_id is None:
            return None
        return self.response.adopted_from.assignment.structure


@dataclass(frozen=True)
class ExperiencePage:
    experience: Experience
    answers: list[StructureAnswer]
    actions: list[ImprovementAction]


def public_experiences() -> ExperienceQuerySet:
    """Experiences anyone may read; every other state answers the same 404 as an unknown id."""
    return Experience.objects.published().select_related("department")


def public_experience_page(experience: Experience) -> ExperiencePage:
    """Everything the page shows, in three queries whatever the number of structures and responses."""
    assignments = (
        Assignment.objects.filter(experience=experience)
        .select_related("structure", "response__adopted_from__assignment__structure")
        .order_by("position")
    )
    actions = ImprovementAction.objects.public().filter(experiences=experience).order_by("engaged_on", "pk")
    return ExperiencePage(
        experience=experience,
        answers=[_answer(assignment) for assignment in assignments],
        actions=list(actions),
    )


def _answer(assignment: Assignment) -> StructureAnswer:
    response = getattr(assignment, "response", None)
    if response is None or not response.is_published:
        # Drafts, responses awaiting validation and unpublished ones are never shown (seed 000).
        return StructureAnswer(structure=assignment.structure)
    shown = response.adopted_from or response
    if not shown.is_published:
        # An adopted answer its own structure withdrew is withdrawn here too.
        return StructureAnswer(structure=assignment.structure)
    return StructureAnswer(structure=assignment.structure, response=response, shown=shown)


def published_response_of(experience: Experience, response_pk: int) -> Response | None:
    """A published response to this (published) experience, or None: votes accept nothing else."""
    return (
        Response.objects.filter(pk=response_pk, assignment__experience=experience, state=ResponseState.PUBLISHED)
        .select_related("assignment__experience")
        .first()
    )


@dataclass(frozen=True)
class VisitorFeedback:
    """What this visitor already said on the page, so its buttons show it is done."""

    said_me_too: bool = False
    useful: frozenset[int] = frozenset()
    not_useful: frozenset[int] = frozenset()


def visitor_feedback(experience: Experience, visitor_key: str | None) -> VisitorFeedback:
    """Two queries, only for a visitor who has a session (a first visit has nothing to show)."""
    if visitor_key is None:
        return VisitorFeedback()
    votes = ResponseVote.objects.filter(response__assignment__experience=experience, visitor_key=visitor_key)
    pairs = list(votes.values_list("response_id", "is_useful"))
    return VisitorFeedback(
        said_me_too=MeToo.objects.filter(experience=experience, visitor_key=visitor_key).exists(),
        useful=frozenset(pk for pk, is_useful in pairs if is_useful),
        not_useful=frozenset(pk for pk, is_useful in pairs if not is_useful),
    )
