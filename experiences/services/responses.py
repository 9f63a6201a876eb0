"""A structure answers an experience (seed 001 q21, q23; seed 003 « Répondre aux expériences »).

Draft → pending validation → published, by the roles `structures/permissions.py` allows; a super
agent validates or sends back; a published answer can be unpublished or corrected (a significant
correction tells the author); a structure can adopt another's published answer. The routing's
response status, the first-response dates and the experience's status follow every step.
"""

from django.db import transaction
from django.utils import timezone

from common.exceptions import Refused
from experiences import emails
from experiences.models import (
    Activity,
    ActivityVerb,
    Assignment,
    Experience,
    Response,
    ResponseState,
    ResponseStatus,
)
from structures.permissions import Action, can

BODY_MAX_LENGTH = 5000


def _require(by, action: Action, assignment: Assignment, message: str) -> None:
    if not can(by, action, assignment.structure):
        raise Refused(message)


def _log(assignment: Assignment, by, verb: str, detail: str = "") -> None:
    Activity.objects.create(
        experience_id=assignment.experience_id, structure_id=assignment.structure_id, verb=verb, detail=detail, actor=by
    )


def _locked_assignment(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().select_related("experience", "structure").get(pk=assignment.pk)


def _current_response(assignment: Assignment) -> Response | None:
    return Response.objects.select_for_update().filter(assignment=assignment).first()


def _locked_for(response: Response, by, action: Action, refusal: str) -> tuple[Assignment, Response]:
    """The answer's routing and its current state, both locked, once `by` may do `action` on the structure."""
    assignment = _locked_assignment(response.assignment)
    _require(by, action, assignment, refusal)
    return assignment, _current_response(assignment)


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise Refused("Écrivez le texte de la réponse.")
    if len(body) > BODY_MAX_LENGTH:
        raise Refused(f"La réponse compte au plus {BODY_MAX_LENGTH} caractères.")
    return body


def _set_status(assignment: Assignment, status: str) -> None:
    assignment.response_status = status
    assignment.save(update_fields=["response_status", "first_response_at"])


@transaction.atomic
def save_draft(*, assignment: Assignment, by, body: str, formula: str = "", signature: str = "") -> Response:
    """Write or rewrite the structure's answer, kept as a draft (not public)."""
    assignment = _locked_assignment(assignment)
    _require(by, Action.ANSWER, assignment, "Seuls les répondants de la structure peuvent rédiger sa réponse.")
    response = _current_response(assignment)
    if response is not None and response.state == ResponseState.PUBLISHED:
        raise Refused("La réponse est publiée : modifiez-la ou dépubliez-la d'abord.")
    response = response or Response(assignment=assignment)
    response.body, response.formula, response.signature = _clean_body(body), formula.strip(), signature.strip()
    response.adopted_from = None
    response.author = by
    response.state = ResponseState.DRAFT
    response.save()
    if assignment.response_status != ResponseStatus.UNPUBLISHED:
        _set_status(assignment, ResponseStatus.AWAITING)
    _log(assignment, by, ActivityVerb.DRAFT_SAVED)
    return response


@transaction.atomic
def submit_for_validation(*, response: Response, by) -> Response:
    """The draft goes to the structure's super agents, who are told by e-mail."""
    assignment, response = _locked_for(
        response, by, Action.ANSWER, "Seuls les répondants de la structure peuvent soumettre sa réponse."
    )
    if response.state == ResponseState.PENDING_VALIDATION:
        return response
    if response.state not in (ResponseState.DRAFT, ResponseState.UNPUBLISHED):
        raise Refused("Seul un brouillon peut être soumis à validation.")
    response.state = ResponseState.PENDING_VALIDATION
    response.submitted_at = timezone.now()
    response.save(update_fields=["state", "submitted_at", "updated_at"])
    _set_status(assignment, ResponseStatus.PENDING_VALIDATION)
    _log(assignment, by, ActivityVerb.SUBMITTED)
    emails.response_awaits_validation(response)
    return response


@transaction.atomic
def save_and_submit(*, assignment: Assignment, by, body: str, formula: str = "", signature: str = "") -> Response:
    """« Soumettre à validation » on the answer form: save the text and send it to the super agents at once."""
    response = save_draft(assignment=assignment, by=by, body=body, formula=formula, signature=signature)
    return submit_for_validation(response=response, by=by)


@transaction.atomic
def save_and_publish(*, assignment: Assignment, by, body: str, formula: str = "", signature: str = "") -> Response:
    """« Publier la réponse » on the answer form: save the text and publish it, or, refused, save nothing."""
    response = save_draft(assignment=assignment, by=by, body=body, formula=formula, signature=signature)
    return publish_response(response=response, by=by)


@transaction.atomic
def publish_response(*, response: Response, by) -> Response:
    """Publish the answer: it becomes public and the author is invited to evaluate it."""
    assignment, response = _locked_for(
        response, by, Action.PUBLISH_RESPONSE, "Seul un super répondant de la structure peut publier."
    )
    if response.state == ResponseState.PUBLISHED:
        return response
    return _publish(assignment, response, by, ActivityVerb.PUBLISHED)


@transaction.atomic
def validate_response(*, response: Response, by) -> Response:
    """A super agent publishes, as it is, the draft submitted to them; its writer stays its author."""
    assignment, response = _awaiting_validation(response, by)
    if response.state == ResponseState.PUBLISHED:
        return response
    return _publish(assignment, response, by, ActivityVerb.VALIDATED)


@transaction.atomic
def validate_with_corrections(*, response: Response, by, body: str, formula: str = "", signature: str = "") -> Response:
    """A super agent corrects the draft submitted to them, then publishes it; its writer stays its author."""
    assignment, response = _awaiting_validation(response, by)
    if response.state == ResponseState.PUBLISHED:
        return response
    response.body, response.formula, response.signature = _clean_body(body), formula.strip(), signature.strip()
    response.save(update_fields=["body", "formula", "signature", "updated_at"])
    return _publish(assignment, response, by, ActivityVerb.VALIDATED_WITH_CORRECTIONS)


def _awaiting_validation(response: Response, by) -> tuple[Assignment, Response]:
    """The locked routing and answer, refused unless the answer awaits validation (or was just validated)."""
    assignment, response = _locked_for(
        response, by, Action.PUBLISH_RESPONSE, "Seul un super répondant de la structure peut valider."
    )
    if response.state not in (ResponseState.PENDING_VALIDATION, ResponseState.PUBLISHED):
        raise Refused("Seule une réponse soumise à validation peut être validée.")
    return assignment, response


def _publish(assignment: Assignment, response: Response, by, verb: str) -> Response:
    now = timezone.now()
    response.state = ResponseState.PUBLISHED
    response.published_at, response.published_by = now, by
    response.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    _mark_answered(assignment, ResponseStatus.ADOPTED if response.adopted_from_id else ResponseStatus.ANSWERED, now)
    # The history names the writer beside the validator (seed 003: a super agent validates an agent's text).
    written_by = f"rédigée par {response.author.get_full_name() or response.author.email}" if response.author else ""
    _log(assignment, by, verb, written_by)
    emails.response_published(response)
    return response


def _mark_answered(assignment: Assignment, status: str, now) -> None:
    assignment.first_response_at = assignment.first_response_at or now
    _set_status(assignment, status)
    experience = Experience.objects.select_for_update().get(pk=assignment.experience_id)
    if experience.first_response_at is None:
        experience.first_response_at = now
        experience.save(update_fields=["first_response_at", "updated_at"])
    experience.refresh_status()


@transaction.atomic
def send_back(*, response: Response, by, reason: str = "") -> Response:
    """A super agent returns a draft awaiting validation to its writers."""
    assignment, response = _locked_for(
        response, by, Action.PUBLISH_RESPONSE, "Seul un super répondant peut renvoyer une réponse."
    )
    if response.state == ResponseState.DRAFT:
        return response
    if response.state != ResponseState.PENDING_VALIDATION:
        raise Refused("Seule une réponse en attente de validation peut être renvoyée en rédaction.")
    response.state = ResponseState.DRAFT
    response.save(update_fields=["state", "updated_at"])
    _set_status(assignment, ResponseStatus.AWAITING)
    _log(assignment, by, ActivityVerb.SENT_BACK, reason.strip())
    return response


@transaction.atomic
def unpublish_response(*, response: Response, by) -> Response:
    """Withdraw a published answer from the public page; the routing shows « Réponse dépubliée »."""
    assignment, response = _locked_for(
        response, by, Action.PUBLISH_RESPONSE, "Seul un super répondant de la structure peut dépublier."
    )
    if response.state == ResponseState.UNPUBLISHED:
        return response
    if response.state != ResponseState.PUBLISHED:
        raise Refused("Seule une réponse publiée peut être dépubliée.")
    response.state = ResponseState.UNPUBLISHED
    response.unpublished_at = timezone.now()
    response.save(update_fields=["state", "unpublished_at", "updated_at"])
    _set_status(assignment, ResponseStatus.UNPUBLISHED)
    Experience.objects.get(pk=assignment.experience_id).refresh_status()
    _log(assignment, by, ActivityVerb.UNPUBLISHED)
    return response


@transaction.atomic
def modify_response(
    *, response: Response, by, body: str, formula: str = "", signature: str = "", notify_author: bool = False
) -> Response:
    """Correct a published answer; a significant change is flagged and the author is told (seed 000)."""
    assignment, response = _locked_for(
        response, by, Action.PUBLISH_RESPONSE, "Seul un super répondant peut modifier une réponse publiée."
    )
    if response.state != ResponseState.PUBLISHED or response.adopted_from_id:
        raise Refused("Seule une réponse publiée rédigée par la structure peut être modifiée.")
    response.body, response.formula, response.signature = _clean_body(body), formula.strip(), signature.strip()
    if notify_author:
        response.modified_at = timezone.now()
    response.save()
    if notify_author:
        _set_status(assignment, ResponseStatus.MODIFIED_NOTIFIED)
        emails.response_modified(response)
    _log(assignment, by, ActivityVerb.MODIFIED_NOTIFIED if notify_author else ActivityVerb.MODIFIED)
    return response


def adoption_refusal(assignment: Assignment, source: Response, own: Response | None = None) -> str:
    """Why `assignment`'s structure may not adopt `source`, or "" if it may (seed 001 q23).

    The one rule of which answers are adoptable: the agents' page offers those this accepts, and
    adopt_response refuses the others. `own` is the structure's current answer, if any: once published,
    nothing is adoptable until it is unpublished. `source.assignment` is read, so load or prefetch it.
    """
    if source.assignment.experience_id != assignment.experience_id or source.assignment_id == assignment.pk:
        return "Seule la réponse d'une autre structure à la même expérience peut être adoptée."
    if source.state != ResponseState.PUBLISHED or source.adopted_from_id:
        return "Seule une réponse publiée, rédigée par une autre structure, peut être adoptée."
    if own is not None and own.state == ResponseState.PUBLISHED:
        return "Votre structure a déjà publié une réponse : dépubliez-la avant d'en adopter une autre."
    return ""


def may_adopt(assignment: Assignment, source: Response, own: Response | None = None) -> bool:
    return not adoption_refusal(assignment, source, own)


@transaction.atomic
def adopt_response(*, assignment: Assignment, by, source: Response) -> Response:
    """Answer with another structure's published answer to the same experience (seed 001 q23)."""
    assignment = _locked_assignment(assignment)
    _require(
        by, Action.PUBLISH_RESPONSE, assignment, "Seul un super répondant de la structure peut adopter une réponse."
    )
    source = Response.objects.select_related("assignment").get(pk=source.pk)
    response = _current_response(assignment)
    if response is not None and response.state == ResponseState.PUBLISHED and response.adopted_from_id == source.pk:
        return response  # a second click
    if refusal := adoption_refusal(assignment, source, response):
        raise Refused(refusal)
    now = timezone.now()
    response = response or Response(assignment=assignment)
    response.adopted_from, response.body = source, ""
    response.author, response.published_by = by, by
    response.state, response.published_at = ResponseState.PUBLISHED, now
    response.save()
    _mark_answered(assignment, ResponseStatus.ADOPTED, now)
    _log(assignment, by, ActivityVerb.ADOPTED, str(source.assignment.structure_id))
    return response
