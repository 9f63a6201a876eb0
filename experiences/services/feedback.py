"""Citizens' feedback on the public site: « moi aussi », visitors' votes on responses, the author's evaluation.

Each counts once: a row per visitor (unique in the database) and the counter moved by F() in
the same transaction, so two replicas or a double click never count twice.
"""

from django.db import transaction
from django.db.models import F

from common.exceptions import Refused
from experiences.models import AuthorEvaluation, Experience, MeToo, Response, ResponseVote


def _ensure_public(response: Response) -> None:
    if not (response.is_published and response.assignment.experience.is_published):
        raise Refused("Cette réponse n'est pas publiée.")


@transaction.atomic
def add_me_too(*, experience: Experience, visitor_key: str) -> bool:
    """Count the visitor's « moi aussi »; False (and nothing changes) when they already said it."""
    if not experience.is_published:
        raise Refused("Cette expérience n'est pas publiée.")
    _, created = MeToo.objects.get_or_create(experience=experience, visitor_key=visitor_key)
    if created:
        Experience.objects.filter(pk=experience.pk).update(me_too_count=F("me_too_count") + 1)
    return created


@transaction.atomic
def vote_on_response(*, response: Response, visitor_key: str, is_useful: bool) -> bool:
    """Count the visitor's « utile / pas utile »; False when they already voted on this response."""
    _ensure_public(response)
    _, created = ResponseVote.objects.get_or_create(
        response=response, visitor_key=visitor_key, defaults={"is_useful": is_useful}
    )
    if created:
        counter = "visitor_useful_count" if is_useful else "visitor_not_useful_count"
        Response.objects.filter(pk=response.pk).update(**{counter: F(counter) + 1})
    return created


@transaction.atomic
def evaluate_response(*, response: Response, is_useful: bool) -> AuthorEvaluation:
    """Record the author's verdict once; a second call returns the first verdict unchanged."""
    _ensure_public(response)
    evaluation, _ = AuthorEvaluation.objects.get_or_create(response=response, defaults={"is_useful": is_useful})
    return evaluation
