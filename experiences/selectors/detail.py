"""Read queries of one experience's public page: the experience, its structures, published responses and actions."""

from dataclasses import dataclass

from experiences.models import Assignment, Experience, ExperienceQuerySet, ImprovementAction, Response, ResponseState
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
