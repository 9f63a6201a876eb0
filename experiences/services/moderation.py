"""The DITP's moderation steps (seed 000 « parcours type », step 2): edit, publish and route, reject, ask to modify.

Each step is one transaction: it checks who acts and the experience's state, records who and when,
and queues the e-mails it causes in the same transaction (see notifications.services).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from common.exceptions import Refused
from common.personal_data import count_flags, detect
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
from experiences.services.targets import set_due_times
from structures.models import Structure
from structures.permissions import sees_everything

# An author may correct a text the DITP sent back; these states await a moderator.
DECIDABLE_STATES = (ModerationState.SUBMITTED, ModerationState.TO_MODIFY)

# The decisions a moderator takes on the moderation page, and the state each one leaves.
PUBLISH, REJECT, TO_MODIFY = "publish", "reject", "to_modify"
DECISION_STATES = {
    PUBLISH: ModerationState.PUBLISHED,
    REJECT: ModerationState.REJECTED,
    TO_MODIFY: ModerationState.TO_MODIFY,
}


class ModerationRefused(Refused):
    """A moderation step cannot be taken: who asks, the experience's state, or a missing choice."""


@dataclass(frozen=True)
class Moderated:
    """What the moderation page did: `decided` when the decision asked for now holds; `message` tells the
    moderator, in French, what was done or why the decision was not (empty when none was asked for)."""

    experience: Experience
    decided: bool
    message: str


def require_moderator(user) -> None:
    if not sees_everything(user):
        raise ModerationRefused("Seuls les modérateurs de la DITP peuvent modérer une expérience.")


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
        experience.personal_data_flags = count_flags(title, description)
        experience.save(update_fields=["title", "description", "personal_data_flags", "updated_at"])
    return edits


# What a removed personal datum leaves in the text.
REMOVED = "[supprimé]"
FLAGGED_FIELDS = ("title", "description")


@transaction.atomic
def remove_personal_data(*, experience: Experience, by, field: str, start: int, end: int) -> list[ExperienceEdit]:
    """Replace one flagged span by « [supprimé] », through the text edit (the original stays in the history).

    The offsets come from the page: they are checked against what the detector finds in the stored text
    now, so a text changed meanwhile, or offsets made up, remove nothing.
    """
    require_moderator(by)
    if field not in FLAGGED_FIELDS:
        raise ModerationRefused("Ce champ ne contient pas de donnée personnelle repérée.")
    experience = _locked(experience)
    text = getattr(experience, field)
    if not any(span.start == start and span.end == end for span in detect(text)):
        raise ModerationRefused("Cette donnée personnelle n'est plus dans le texte : rechargez la page.")
    values = {name: getattr(experience, name) for name in FLAGGED_FIELDS}
    values[field] = text[:start] + REMOVED + text[end:]
    return edit_experience_text(experience=experience, by=by, **values)


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
        raise ModerationRefused("Cette expérience a été rejetée : elle ne peut plus être publiée.")
    structures = list(dict.fromkeys(structures))
    if not 1 <= len(structures) <= MAX_STRUCTURES:
        raise ModerationRefused("Choisissez entre une et trois structures pour orienter l'expérience.")
    if not experience.typologies.filter(typology__isnull=False).exists():
        raise ModerationRefused("Choisissez au moins une typologie avant de publier.")
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
    assignments = [
        Assignment(
            experience=experience,
            structure=structure,
            position=position,
            published_at=experience.published_at,
            feeling=experience.feeling,
        )
        for position, structure in enumerate(structures, start=1)
    ]
    for assignment in assignments:
        set_due_times(assignment)
    return Assignment.objects.bulk_create(assignments)


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
        raise ModerationRefused("Choisissez le motif du rejet dans la liste.")
    experience = _locked(experience)
    if experience.moderation_state == ModerationState.REJECTED:
        return experience
    if experience.moderation_state not in DECIDABLE_STATES:
        raise ModerationRefused("Cette expérience est publiée : elle ne peut plus être rejetée.")
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
        raise ModerationRefused("Expliquez à l'auteur ce qu'il doit modifier.")
    experience = _locked(experience)
    if experience.moderation_state != ModerationState.SUBMITTED:
        raise ModerationRefused("Seule une expérience en attente de modération peut être renvoyée à son auteur.")
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
        raise ModerationRefused("Cette expérience n'attend plus de modification de votre part.")
    edit_experience_text(experience=experience, by=None, title=title, description=description)
    experience.refresh_from_db()
    experience.moderation_state = ModerationState.SUBMITTED
    experience.save(update_fields=["moderation_state", "updated_at"])
    _record(experience, ModerationAction.RESUBMITTED, None)
    return experience


@transaction.atomic
def moderate_experience(
    *,
    experience: Experience,
    by,
    title: str,
    description: str,
    general_tags: dict[str, str],
    decision: str = "",
    structures: Sequence[Structure] = (),
    reason: str = "",
    message: str = "",
) -> Moderated:
    """The moderation page's one step: the moderator's corrections (text, general tags), then their decision.

    A decision refused here (most often: another moderator decided first) is rolled back alone, in its own
    savepoint; the corrections are kept and the outcome says why the decision was not recorded.
    """
    require_moderator(by)
    if decision and decision not in DECISION_STATES:
        raise ModerationRefused("Choisissez une décision dans la liste.")
    edit_experience_text(experience=experience, by=by, title=title, description=description)
    set_general_tags(experience, general_tags)
    if not decision:
        return Moderated(experience=experience, decided=False, message="")
    try:
        experience = _decide(experience, by, decision, structures=structures, reason=reason, message=message)
    except ModerationRefused as refusal:
        return Moderated(experience=experience, decided=False, message=f"Décision non enregistrée : {refusal}")
    return Moderated(experience=experience, decided=True, message=_decided_message(experience, decision, structures))


def _decide(experience: Experience, by, decision: str, *, structures, reason: str, message: str) -> Experience:
    if decision == PUBLISH:
        return publish_experience(experience=experience, by=by, structures=list(structures))
    if decision == REJECT:
        return reject_experience(experience=experience, by=by, reason=reason, message=message.strip())
    return request_modification(experience=experience, by=by, message=message)


def _decided_message(experience: Experience, decision: str, structures) -> str:
    if decision == PUBLISH:
        names = ", ".join(str(structure) for structure in structures)
        return (
            f"Expérience {experience.public_id} publiée et orientée vers : {names}. "
            "L'auteur et les agents sont prévenus."
        )
    if decision == REJECT:
        return f"Expérience {experience.public_id} rejetée. L'auteur est prévenu du motif."
    return f"Expérience {experience.public_id} renvoyée à son auteur pour modification."
