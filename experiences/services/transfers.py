"""Transfer requests (seed 001 q22): an agent asks, a DITP moderator accepts or refuses."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from common.exceptions import Refused
from experiences import emails
from experiences.models import (
    Assignment,
    ModerationAction,
    ModerationDecision,
    ResponseState,
    ResponseStatus,
    TransferDecision,
    TransferRequest,
)
from experiences.services.moderation import require_moderator
from experiences.services.targets import reset_due_times


class TransferRefused(Refused):
    """A transfer decision cannot be taken: who decides, a missing reason, or the request's state."""


@dataclass(frozen=True)
class TransferDecided:
    """The decided request and what to tell the moderator, in French."""

    transfer: TransferRequest
    message: str


@transaction.atomic
def decide_transfer(*, transfer: TransferRequest, by, decision: str, reason: str = "") -> TransferDecided:
    """Accept or refuse a transfer request, as the moderator chose on its page."""
    if decision == TransferDecision.ACCEPTED:
        transfer = accept_transfer(transfer=transfer, by=by)
    elif decision == TransferDecision.REFUSED:
        transfer = refuse_transfer(transfer=transfer, by=by, reason=reason)
    else:
        raise TransferRefused("Choisissez d'accepter ou de refuser la demande de transfert.")
    return TransferDecided(
        transfer=transfer,
        message=f"Demande de transfert {transfer.get_decision_display().lower()} ; les agents sont prévenus.",
    )


def _locked_pending(transfer: TransferRequest) -> TransferRequest:
    transfer = (
        TransferRequest.objects.select_for_update()
        .select_related("experience", "from_structure", "to_structure", "requested_by")
        .get(pk=transfer.pk)
    )
    return transfer


@transaction.atomic
def accept_transfer(*, transfer: TransferRequest, by) -> TransferRequest:
    """The experience leaves the requesting structure for the requested one; both sides are told."""
    require_moderator(by)
    transfer = _locked_pending(transfer)
    if transfer.decision == TransferDecision.ACCEPTED:
        return transfer
    if transfer.decision != TransferDecision.PENDING:
        raise TransferRefused("Cette demande de transfert a déjà été refusée.")
    experience = transfer.experience
    leaving = (
        Assignment.objects.select_for_update().filter(experience=experience, structure=transfer.from_structure).first()
    )
    if leaving is not None:
        response = getattr(leaving, "response", None)
        if response is not None and response.state == ResponseState.PUBLISHED:
            raise TransferRefused(
                "La structure d'origine a publié une réponse : elle doit la dépublier avant le transfert."
            )
        if response is not None:
            # A draft written for the structure that leaves: the new one writes its own.
            response.delete()
        if Assignment.objects.filter(experience=experience, structure=transfer.to_structure).exists():
            leaving.delete()
        else:
            leaving.structure = transfer.to_structure
            leaving.response_status = ResponseStatus.AWAITING
            leaving.first_response_at = None
            leaving.save(update_fields=["structure", "response_status", "first_response_at"])
            reset_due_times(leaving)
    elif not Assignment.objects.filter(experience=experience, structure=transfer.to_structure).exists():
        raise TransferRefused("L'expérience n'est plus orientée vers la structure qui demande le transfert.")
    _decide(transfer, by, TransferDecision.ACCEPTED, "")
    experience.refresh_status()
    ModerationDecision.objects.create(
        experience=experience,
        action=ModerationAction.TRANSFER_ACCEPTED,
        message=f"{transfer.from_structure.name} → {transfer.to_structure.name}",
        decided_by=by,
    )
    emails.transfer_decided(transfer)
    return transfer


@transaction.atomic
def refuse_transfer(*, transfer: TransferRequest, by, reason: str) -> TransferRequest:
    require_moderator(by)
    reason = reason.strip()
    if not reason:
        raise TransferRefused("Indiquez le motif du refus : il est transmis à l'agent qui a fait la demande.")
    transfer = _locked_pending(transfer)
    if transfer.decision == TransferDecision.REFUSED:
        return transfer
    if transfer.decision != TransferDecision.PENDING:
        raise TransferRefused("Cette demande de transfert a déjà été acceptée.")
    _decide(transfer, by, TransferDecision.REFUSED, reason)
    ModerationDecision.objects.create(
        experience=transfer.experience, action=ModerationAction.TRANSFER_REFUSED, message=reason, decided_by=by
    )
    emails.transfer_decided(transfer)
    return transfer


def _decide(transfer: TransferRequest, by, decision: str, reason: str) -> None:
    transfer.decision = decision
    transfer.decision_reason = reason
    transfer.decided_by = by
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
