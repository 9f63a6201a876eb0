"""Past published answers to similar experiences, offered to an agent who writes a structure's answer.

The structure's own answers first, then its network's; only published answers to published experiences,
which anyone may read, so no draft of another structure ever shows. The similarity is the share form's
(experiences/similar.py); a lower threshold, since the agent reads and adapts what is offered.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from experiences.models import Assignment, Experience, Response, ResponseState
from experiences.similar import best_matches

ANSWER_THRESHOLD = 0.15
SUGGESTED = 3


@dataclass(frozen=True)
class AnswerSuggestion:
    experience: Experience
    response: Response
    score: float

    @property
    def structure(self):
        return self.response.assignment.structure


def answer_suggestions(
    experience: Experience, assignment: Assignment, limit: int = SUGGESTED
) -> list[AnswerSuggestion]:
    """Up to `limit` answers: the routed structure's own, then other structures' of its network."""
    structure = assignment.structure
    found = _answered_by(experience, Q(assignment__structure=structure), limit, exclude=[])
    if len(found) < limit:
        others = Q(assignment__structure__network_id=structure.network_id) & ~Q(assignment__structure=structure)
        found += _answered_by(experience, others, limit - len(found), exclude=[s.experience.pk for s in found])
    return found


def _answered_by(experience: Experience, routings: Q, limit: int, exclude: list[int]) -> list[AnswerSuggestion]:
    published = Response.objects.filter(routings, state=ResponseState.PUBLISHED, adopted_from__isnull=True)
    answered = published.filter(assignment__experience=OuterRef("pk"))
    candidates = Experience.objects.published().exclude(pk__in=[experience.pk, *exclude]).filter(Exists(answered))
    matches = best_matches(
        f"{experience.title}\n{experience.description}", candidates, limit=limit, threshold=ANSWER_THRESHOLD
    )
    if not matches:
        return []
    responses = (
        published.filter(assignment__experience__in=[m.experience.pk for m in matches])
        .select_related("assignment__structure")
        .order_by("-published_at", "-pk")
    )
    first_per_experience: dict[int, Response] = {}
    for response in responses:
        first_per_experience.setdefault(response.assignment.experience_id, response)
    return [
        AnswerSuggestion(m.experience, first_per_experience[m.experience.pk], m.score)
        for m in matches
        if m.experience.pk in first_per_experience
    ]
