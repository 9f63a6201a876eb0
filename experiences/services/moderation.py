"""The DITP's moderation steps (seed 000 « parcours type », step 2): edit, publish and route, reject, ask to modify.

Each step is one transaction: it checks who acts and the experience's state, records who and when,
and queues the e-mails it causes in the same transaction (see notifications.services).
"""

from django.db import transaction
from django.utils import timezone

from common.exceptions import Refused
from experiences import emails
from experiences.author_links import author_edit_url
from experiences.models import (
    MAX_STRUCTURES,
    Assignment,
    Experience,
    ExperienceEdit,
    GeneralTag,
    GeneralTagValue,
    ModerationAction,
    ModerationDecision,
    ModerationState,
    RejectionReason,
)
from structures.models import Structure
from structures.permissions import sees_everything

# An author may correct a text the DITP sent back; these states await a moderator.
DECIDABLE_STATES = (ModerationState.SUBMITTED, ModerationState.TO_MODIFY)


def require_moderator(user) -> None:
    if not sees_everything(user):
        raise Refused("Seuls les modérateurs de la DITP peuvent modérer une expérience.")


def _locked(experience: Experience) -> Experience:
    return Experience.objects.select_for_update().get(pk=experience.pk)


def _record(experience: Experience, action: str, by, *, reason: str = "", message: str = "") -> None:
    ModerationDecision.objects.create(
        experience=experience, action=action, reason=reason, message=message, decided_by=by
    )


@transaction.atomic
def edit_experience_text(*, experience: Experience, by, title: str, description: str) -> list[ExperienceEdit]:
    """Correct the citizen's text (personal data, insults); every change keeps what it replaced."""
    if by is not None:
        require_moderator(by)
    experience = _locked(experience)
    edits = [
        ExperienceEdit(experience=experience, field=field, before=getattr(experience, field), after=value, edited_by=by)
        for field, value in (("title", title), ("description", description))
        if value != getattr(experience, field)
    ]
    if edits:
        ExperienceEdit.objects.bulk_create(edits)
        experience.title, experience.description = title, description
        experience.save(update_fields=["title", "description", "updated_at"])
    return edits


@transaction.atomic
def publish_experience(
    *, experience: Experience, by, structures: list[Structure], general_tags: dict[str, str] | None = None
) -> Experience:
    """Publish and route to 1–3 structures; the author and each structure's agents are told."""
    require_moderator(by)
    experience = _locked(experience)
    if experience.moderation_state == ModerationState.PUBLISHED:
        return experience  # a second click
    if experience.moderation_state not in DECIDABLE_STATES:
        raise Refused("Cette expérience a été rejetée : elle ne peut plus être publiée.")
    structures = list(dict.fromkeys(structures))
    if not 1 <= len(structures) <= MAX_STRUCTURES:
        raise Refused("Choisissez entre une et trois structures pour orienter l'expérience.")
    if not experience.typologies.filter(typology__isnull=False).exists():
        raise Refused("Choisissez au moins une typologie avant de publier.")
    now = timezone.now()
    experience.moderation_state = ModerationState.PUBLISHED
    experience.published_at = experience.published_at or now
    experience.moderated_by, experience.moderated_at = by, now
    experience.rejection_reason = ""
    experience.save()
    if general_tags is not None:
        set_general_tags(experience, general_tags)
    assignments = route(experience, structures)
    _record(experience, ModerationAction.PUBLISHED, by)
    emails.experience_published(experience)
    for assignment in assignments:
        emails.new_experience(assignment)
    return experience


def route(experience: Experience, structures: list[Structure]) -> list[Assignment]:
    """Route an experience being published: before publication nothing can have been answered."""
    experience.assignments.all().delete()
    return Assignment.objects.bulk_create(
        Assignment(
            experience=experience,
            structure=structure,
            position=position,
            published_at=experience.published_at,
            feeling=experience.feeling,
        )
        for position, structure in enumerate(structures, start=1)
    )


def set_general_tags(experience: Experience, values: dict[str, str]) -> None:
    """Each general tag Positif / Neutre / Négatif; an empty value removes the tag."""
    for tag in GeneralTag.values:
        value = values.get(tag, "")
        if value:
            GeneralTagValue.objects.update_or_create(experience=experience, tag=tag, defaults={"value": value})
        else:
            GeneralTagValue.objects.filter(experience=experience, tag=tag).delete()


@transaction.atomic
def reject_experience(*, experience: Experience, by, reason: str, message: str = "") -> Experience:
    """Reject with a reason from the charter's list; the author is told why."""
    require_moderator(by)
    if reason not in RejectionReason.values:
        raise Refused("Choisissez le motif du rejet dans la liste.")
    experience = _locked(experience)
    if experience.moderation_state == ModerationState.REJECTED:
        return experience
    if experience.moderation_state not in DECIDABLE_STATES:
        raise Refused("Cette expérience est publiée : elle ne peut plus être rejetée.")
    label = RejectionReason(reason).label
    experience.moderation_state = ModerationState.REJECTED
    experience.rejection_reason = f"{label}. {message}".strip() if message else label
    experience.moderated_by, experience.moderated_at = by, timezone.now()
    experience.save()
    _record(experience, ModerationAction.REJECTED, by, reason=reason, message=message)
    emails.experience_rejected(experience, reason=label, message=message)
    return experience


@transaction.atomic
def request_modification(*, experience: Experience, by, message: str) -> Experience:
    """Send the text back to its author with what to change, and a link to change it."""
    require_moderator(by)
    message = message.strip()
    if not message:
        raise Refused("Expliquez à l'auteur ce qu'il doit modifier.")
    experience = _locked(experience)
    if experience.moderation_state != ModerationState.SUBMITTED:
        raise Refused("Seule une expérience en attente de modération peut être renvoyée à son auteur.")
    experience.moderation_state = ModerationState.TO_MODIFY
    experience.moderated_by, experience.moderated_at = by, timezone.now()
    experience.save()
    _record(experience, ModerationAction.TO_MODIFY, by, message=message)
    emails.experience_to_modify(experience, message=message, edit_url=author_edit_url(experience))
    return experience


@transaction.atomic
def resubmit_experience(*, experience: Experience, title: str, description: str) -> Experience:
    """The author corrected the text from the link: it goes back to the moderation queue."""
    experience = _locked(experience)
    if experience.moderation_state != ModerationState.TO_MODIFY:
        raise Refused("Cette expérience n'attend plus de modification de votre part.")
    edit_experience_text(experience=experience, by=None, title=title, description=description)
    experience.refresh_from_db()
    experience.moderation_state = ModerationState.SUBMITTED
    experience.save(update_fields=["moderation_state", "updated_at"])
    _record(experience, ModerationAction.RESUBMITTED, None)
    return experience
