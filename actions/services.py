"""Improvement actions (seed 003 « les actions d'amélioration »): create, edit, publish.

Each step is one transaction: it checks that the actor manages the action's structure and keeps the
dates consistent. Linking experiences is the experiences' side (experiences.services.actions); a change
of status or publication is announced by actions.signals.action_changed for it to follow.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from common.exceptions import Refused
from structures.commitments import COMMITMENTS
from structures.models import Structure
from structures.permissions import Action, can

from .models import ImprovementAction, ImprovementActionStatus
from .signals import action_changed

TITLE_MAX_LENGTH = ImprovementAction._meta.get_field("title").max_length
COMMITMENT_NUMBERS = frozenset(c.number for c in COMMITMENTS)


class ActionRefused(Refused):
    """An improvement action step cannot be done; `field` names the form field the message belongs to."""


def require_manager(by, structure: Structure) -> None:
    if not can(by, Action.MANAGE_ACTIONS, structure):
        raise ActionRefused(
            "Votre rôle ne vous permet pas de gérer les actions d'amélioration de cette structure.", field="structure"
        )


def locked_for_manager(action: ImprovementAction, by) -> ImprovementAction:
    """The action's row, locked for the rest of the transaction, once `by` is known to manage it."""
    action = ImprovementAction.objects.select_for_update().select_related("structure").get(pk=action.pk)
    require_manager(by, action.structure)
    return action


def _checked_content(
    *,
    title: str,
    description: str,
    status: str,
    engaged_on: datetime.date | None,
    done_on: datetime.date | None = None,
    commitment: int | None = None,
    general_tags: list[str] | tuple = (),
) -> dict:
    """The action's editable fields, checked and trimmed: what create and update both write."""
    if not title.strip():
        raise ActionRefused("Indiquez le titre de l'action.", field="title")
    if len(title.strip()) > TITLE_MAX_LENGTH:
        raise ActionRefused(f"Le titre compte {TITLE_MAX_LENGTH} caractères au plus.", field="title")
    if not description.strip():
        raise ActionRefused("Décrivez l'action.", field="description")
    if status not in ImprovementActionStatus.values:
        raise ActionRefused("Choisissez l'état de l'action : engagée ou réalisée.", field="status")
    if engaged_on is None:
        raise ActionRefused("Indiquez la date à laquelle l'action a été engagée.", field="engaged_on")
    _check_done_on(status, engaged_on, done_on)
    if commitment is not None and commitment not in COMMITMENT_NUMBERS:
        raise ActionRefused("Choisissez l'un des 9 engagements Services Publics+.", field="commitment")
    return {
        "title": title.strip(),
        "description": description.strip(),
        "status": status,
        "engaged_on": engaged_on,
        "done_on": done_on,
        "commitment": commitment,
        "general_tags": sorted(set(general_tags)),
    }


def _check_done_on(status: str, engaged_on: datetime.date, done_on: datetime.date | None) -> None:
    if status == ImprovementActionStatus.DONE and done_on is None:
        raise ActionRefused("Indiquez la date à laquelle l'action a été réalisée.", field="done_on")
    if status == ImprovementActionStatus.ENGAGED and done_on is not None:
        raise ActionRefused(
            "Une action engagée n'a pas encore de date de réalisation : "
            "videz ce champ ou choisissez « Action réalisée ».",
            field="done_on",
        )
    if done_on is not None and done_on < engaged_on:
        raise ActionRefused("La date de réalisation ne peut pas précéder la date d'engagement.", field="done_on")
    if done_on is not None and done_on > timezone.localdate():
        raise ActionRefused("Une action ne peut pas avoir été réalisée à une date future.", field="done_on")


@transaction.atomic
def create_action(*, by, structure: Structure, **content) -> ImprovementAction:
    """A new, unpublished action of a structure `by` manages; `content` as _checked_content takes it."""
    require_manager(by, structure)
    return ImprovementAction.objects.create(structure=structure, created_by=by, **_checked_content(**content))


@transaction.atomic
def update_action(*, action: ImprovementAction, by, structure: Structure, **content) -> ImprovementAction:
    """Edit an action, possibly moving it to another structure the actor manages."""
    action = locked_for_manager(action, by)
    if structure.pk != action.structure_id:
        require_manager(by, structure)
    fields = _checked_content(**content)
    status_changed = fields["status"] != action.status
    action.structure = structure
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    if status_changed:
        action_changed.send(sender=ImprovementAction, action=action, changes=frozenset({"status"}))
    return action


@transaction.atomic
def publish_action(*, action: ImprovementAction, by) -> ImprovementAction:
    """Show the action to everyone; a second click is a no-op."""
    action = locked_for_manager(action, by)
    if action.is_public:
        return action
    action.is_public = True
    action.published_at = timezone.now()
    action.save(update_fields=["is_public", "published_at", "updated_at"])
    action_changed.send(sender=ImprovementAction, action=action, changes=frozenset({"is_public"}))
    return action
