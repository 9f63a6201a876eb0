"""Improvement actions (seed 003 « les actions d'amélioration »): create, edit, publish, link experiences.

Each step is one transaction: it checks that the actor manages the action's structure, keeps the
dates consistent, refreshes the status of the experiences whose links changed (« avec action
engagée / réalisée »), records each new link in the experience's activity log and queues the
e-mail that tells an author a public action follows their experience (once per action and
experience, see emails.action_linked).
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from actions.models import ImprovementAction, ImprovementActionStatus
from common.exceptions import Refused
from experiences import emails
from experiences.models import Activity, ActivityVerb, Experience
from experiences.selectors.actions import linkable_experiences
from structures.models import Structure
from structures.permissions import Action, can

NOT_LINKABLE = "introuvable dans vos expériences"
TITLE_MAX_LENGTH = ImprovementAction._meta.get_field("title").max_length


class ActionRefused(Refused):
    """An improvement action step cannot be done; `field` names the form field the message belongs to."""


def _require_manager(by, structure: Structure) -> None:
    if not can(by, Action.MANAGE_ACTIONS, structure):
        raise ActionRefused(
            "Votre rôle ne vous permet pas de gérer les actions d'amélioration de cette structure.", field="structure"
        )


def _check_content(status: str, title: str, description: str, engaged_on, done_on) -> None:
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


def _require_linkable(by, experiences: Iterable[Experience]) -> None:
    """The same refusal for an experience that does not exist and one outside the actor's scope."""
    wanted = {experience.pk: experience for experience in experiences}
    if not wanted:
        return
    found = set(linkable_experiences(by).filter(pk__in=wanted).values_list("pk", flat=True))
    missing = sorted(wanted[pk].public_id for pk in wanted.keys() - found)
    if missing:
        ids = ", ".join(str(public_id) for public_id in missing)
        raise ActionRefused(f"Expérience {ids} {NOT_LINKABLE}.", field="experiences")


def _locked(action: ImprovementAction) -> ImprovementAction:
    return ImprovementAction.objects.select_for_update().select_related("structure").get(pk=action.pk)


def _refresh(experiences: Iterable[Experience]) -> None:
    for experience in experiences:
        experience.refresh_status()


def _record_links(action: ImprovementAction, experiences: list[Experience], by) -> None:
    """Each experience's activity log (agents' page) says who linked which action, and when."""
    Activity.objects.bulk_create(
        Activity(
            experience=experience,
            structure_id=action.structure_id,
            verb=ActivityVerb.ACTION_LINKED,
            detail=action.title,
            actor=by,
        )
        for experience in experiences
    )


def _tell_authors(action: ImprovementAction, experiences: Iterable[Experience]) -> None:
    """Only a public action is announced: authors learn of a draft when it is published."""
    if not action.is_public:
        return
    for experience in experiences:
        if experience.is_published:
            emails.action_linked(action, experience)


def _set_links(action: ImprovementAction, experiences: Iterable[Experience], by) -> list[Experience]:
    """Make `experiences` the action's linked experiences; returns those whose link changed."""
    current = {experience.pk: experience for experience in action.experiences.all()}
    wanted = {experience.pk: experience for experience in experiences}
    added = [experience for pk, experience in wanted.items() if pk not in current]
    removed = [experience for pk, experience in current.items() if pk not in wanted]
    # Links made by someone with a wider scope stay; only new ones must be within the actor's.
    _require_linkable(by, added)
    action.experiences.add(*added)
    action.experiences.remove(*removed)
    _record_links(action, added, by)
    _tell_authors(action, added)
    return added + removed


@transaction.atomic
def create_action(
    *,
    by,
    structure: Structure,
    title: str,
    description: str,
    status: str,
    engaged_on: datetime.date,
    done_on: datetime.date | None = None,
    experiences: Iterable[Experience] = (),
) -> ImprovementAction:
    """A new, unpublished action; its linked experiences turn « avec action engagée / réalisée »."""
    _require_manager(by, structure)
    _check_content(status, title, description, engaged_on, done_on)
    action = ImprovementAction.objects.create(
        structure=structure,
        title=title.strip(),
        description=description.strip(),
        status=status,
        engaged_on=engaged_on,
        done_on=done_on,
        created_by=by,
    )
    _refresh(_set_links(action, experiences, by))
    return action


@transaction.atomic
def update_action(
    *,
    action: ImprovementAction,
    by,
    structure: Structure,
    title: str,
    description: str,
    status: str,
    engaged_on: datetime.date,
    done_on: datetime.date | None = None,
    experiences: Iterable[Experience] | None = None,
) -> ImprovementAction:
    """Edit an action, possibly moving it to another structure the actor manages.

    `experiences`, when given, replaces the linked experiences; a public action's new links are
    announced to their authors.
    """
    action = _locked(action)
    _require_manager(by, action.structure)
    if structure.pk != action.structure_id:
        _require_manager(by, structure)
    _check_content(status, title, description, engaged_on, done_on)
    status_changed = status != action.status
    action.structure = structure
    action.title, action.description = title.strip(), description.strip()
    action.status, action.engaged_on, action.done_on = status, engaged_on, done_on
    action.save()
    changed = _set_links(action, experiences, by) if experiences is not None else []
    if status_changed:
        changed += [experience for experience in action.experiences.all() if experience not in changed]
    _refresh(changed)
    return action


@transaction.atomic
def publish_action(*, action: ImprovementAction, by) -> ImprovementAction:
    """Show the action to everyone and tell the authors of its linked experiences; a second click is a no-op."""
    action = _locked(action)
    _require_manager(by, action.structure)
    if action.is_public:
        return action
    action.is_public = True
    action.published_at = timezone.now()
    action.save(update_fields=["is_public", "published_at", "updated_at"])
    _refresh(list(action.experiences.all()))
    _tell_authors(action, action.experiences.published())
    return action


@transaction.atomic
def link_experience(*, action: ImprovementAction, experience: Experience, by) -> bool:
    """Link one experience (the agents' experience page calls this too); False if it already was."""
    action = _locked(action)
    _require_manager(by, action.structure)
    if action.experiences.filter(pk=experience.pk).exists():
        return False
    _require_linkable(by, [experience])
    action.experiences.add(experience)
    _record_links(action, [experience], by)
    _tell_authors(action, [experience])
    experience.refresh_status()
    return True


@transaction.atomic
def unlink_experience(*, action: ImprovementAction, experience: Experience, by) -> bool:
    """Remove one link; the experience falls back to « avec réponse » or « en attente ». False if not linked."""
    action = _locked(action)
    _require_manager(by, action.structure)
    if not action.experiences.filter(pk=experience.pk).exists():
        return False
    action.experiences.remove(experience)
    experience.refresh_status()
    return True
