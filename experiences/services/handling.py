"""What an agent changes on an experience besides the answer (seed 001 q21–22): qualification, routing, comments."""

from django.db import IntegrityError, transaction

from common.exceptions import Refused
from experiences import emails
from experiences.models import (
    Activity,
    ActivityVerb,
    Assignment,
    Channel,
    Comment,
    Experience,
    ExperienceChannel,
    ExperienceTypology,
    Feeling,
    TransferRequest,
)
from experiences.services.moderation import set_general_tags
from experiences.services.targets import reset_due_times
from structures.models import BusinessTag, Structure
from structures.permissions import Action, can, sees_everything

COMMENT_MAX_LENGTH = 4000


def _log(assignment: Assignment, by, verb: str, detail: str = "") -> None:
    Activity.objects.create(
        experience_id=assignment.experience_id, structure_id=assignment.structure_id, verb=verb, detail=detail, actor=by
    )


def _locked(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().select_related("structure", "experience").get(pk=assignment.pk)


def editable_typologies(assignment: Assignment) -> list[ExperienceTypology]:
    """The organisms whose channels and business tags this structure qualifies: its network's, else all."""
    rows = list(
        ExperienceTypology.objects.filter(experience_id=assignment.experience_id)
        .select_related("typology")
        .order_by("position")
    )
    own = [row for row in rows if row.typology and row.typology.network_id == assignment.structure.network_id]
    return own or rows


@transaction.atomic
def update_qualification(
    *,
    assignment: Assignment,
    by,
    general_tags: dict[str, str],
    needs_improvement: bool,
    channels: dict[int, dict[str, str]],
    business_tags: dict[int, list[int]],
) -> None:
    """Tags, channels with their feeling, and « amélioration de service à considérer».

    `channels` and `business_tags` are keyed by ExperienceTypology id; only the organisms of the
    structure's network can be changed, and only its network's business tags are touched.
    """
    assignment = _locked(assignment)
    if not can(by, Action.ANSWER, assignment.structure):
        raise Refused("Seuls les répondants de la structure peuvent qualifier l'expérience.")
    editable = {row.pk: row for row in editable_typologies(assignment)}
    if set(channels) - set(editable) or set(business_tags) - set(editable):
        raise Refused("Ces canaux ou tags concernent un organisme d'un autre réseau.")
    for row_id, chosen in channels.items():
        _set_channels(editable[row_id], chosen)
    network_tags = BusinessTag.objects.filter(network_id=assignment.structure.network_id)
    for row_id, tag_ids in business_tags.items():
        row = editable[row_id]
        wanted = list(network_tags.filter(pk__in=tag_ids))
        row.business_tags.remove(*row.business_tags.filter(network_id=assignment.structure.network_id))
        row.business_tags.add(*wanted)
    set_general_tags(assignment.experience, general_tags)
    if assignment.needs_improvement != needs_improvement:
        assignment.needs_improvement = needs_improvement
        assignment.save(update_fields=["needs_improvement"])
    _log(assignment, by, ActivityVerb.QUALIFIED)


def _set_channels(row: ExperienceTypology, chosen: dict[str, str]) -> None:
    if set(chosen) - set(Channel.values) or set(chosen.values()) - {*Feeling.values, ""}:
        raise Refused("Canal ou ressenti inconnu.")
    row.channels.exclude(channel__in=chosen).delete()
    for channel, feeling in chosen.items():
        ExperienceChannel.objects.update_or_create(
            experience_typology=row, channel=channel, defaults={"feeling": feeling}
        )


@transaction.atomic
def move_to_child(*, assignment: Assignment, by, child: Structure) -> Assignment:
    """Hand the experience down to a child structure (N-1), whose agents are told (seed 001 q22, case 1)."""
    assignment = _locked(assignment)
    if not can(by, Action.ANSWER, assignment.structure):
        raise Refused("Seuls les répondants de la structure peuvent réorienter l'expérience.")
    if child.parent_id != assignment.structure_id or not child.is_active:
        raise Refused("Choisissez une structure fille active de votre structure.")
    if Assignment.objects.filter(experience_id=assignment.experience_id, structure=child).exists():
        raise Refused("L'expérience est déjà orientée vers cette structure.")
    previous = assignment.structure
    assignment.structure = child
    assignment.save(update_fields=["structure"])
    reset_due_times(assignment)
    _log(assignment, by, ActivityVerb.MOVED, f"{previous.name} → {child.name}")
    emails.new_experience(assignment)
    return assignment


@transaction.atomic
def request_transfer(*, assignment: Assignment, by, to_structure: Structure, reason: str) -> TransferRequest:
    """Ask the DITP to move the experience to a structure outside the subtree (seed 001 q22, cases 2–3)."""
    assignment = _locked(assignment)
    if not can(by, Action.REQUEST_TRANSFER, assignment.structure):
        raise Refused("Seuls les répondants de la structure peuvent demander un transfert.")
    reason = reason.strip()
    if not reason:
        raise Refused("Expliquez pourquoi l'expérience doit être transférée.")
    if to_structure.pk == assignment.structure_id or not to_structure.is_active:
        raise Refused("Choisissez une autre structure, active.")
    if Assignment.objects.filter(experience_id=assignment.experience_id, structure=to_structure).exists():
        raise Refused("L'expérience est déjà orientée vers cette structure.")
    try:
        with transaction.atomic():
            transfer = TransferRequest.objects.create(
                experience_id=assignment.experience_id,
                from_structure=assignment.structure,
                to_structure=to_structure,
                reason=reason,
                requested_by=by,
            )
    except IntegrityError as error:
        raise Refused("Une demande de transfert de votre structure attend déjà la décision de la DITP.") from error
    _log(assignment, by, ActivityVerb.TRANSFER_REQUESTED, f"→ {to_structure.name} : {reason}")
    return transfer


@transaction.atomic
def add_comment(*, experience: Experience, by, body: str) -> Comment:
    """An internal note, read by the agents of every structure concerned and the DITP (seed 001 q21)."""
    body = body.strip()
    if not body:
        raise Refused("Écrivez votre commentaire.")
    if len(body) > COMMENT_MAX_LENGTH:
        raise Refused(f"Un commentaire compte au plus {COMMENT_MAX_LENGTH} caractères.")
    assignments = Assignment.objects.filter(experience=experience).select_related("structure").order_by("position")
    speaking_for = next((a.structure for a in assignments if can(by, Action.COMMENT, a.structure)), None)
    if speaking_for is None and not sees_everything(by):
        raise Refused("Seuls les agents des structures concernées peuvent commenter.")
    structure = None if sees_everything(by) and not by.memberships.exists() else speaking_for
    return Comment.objects.create(experience=experience, author=by, structure=structure, body=body)
