"""The experiences' side of improvement actions: create or edit an action with its linked experiences,
link and unlink one, and keep each linked experience's status following its actions.

An experience's status says « avec action engagée / réalisée » (seed 000) from its published actions, so
every step that changes a link, and every action_changed signal (a status changed, an action published),
refreshes the statuses concerned. Each new link is recorded in the experience's activity log, and the
author of a published experience learns by e-mail that a public action follows it (once per action and
experience, see emails.action_linked).
"""

from collections.abc import Iterable

from django.db import transaction

from actions import services as action_services
from actions.models import ImprovementAction
from actions.services import ActionRefused
from experiences import emails
from experiences.models import Activity, ActivityVerb, Experience
from experiences.selectors.actions import linkable_experiences

NOT_LINKABLE = "introuvable dans vos expériences"


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
def create_linked_action(*, by, experiences: Iterable[Experience] = (), **content) -> ImprovementAction:
    """A new, unpublished action (actions.services.create_action takes `content`: structure, title,
    description, status, dates); its linked experiences turn « avec action engagée / réalisée »."""
    action = action_services.create_action(by=by, **content)
    _refresh(_set_links(action, experiences, by))
    return action


@transaction.atomic
def update_linked_action(
    *, action: ImprovementAction, by, experiences: Iterable[Experience] | None = None, **content
) -> ImprovementAction:
    """Edit an action (actions.services.update_action takes `content`); `experiences`, when given, replaces
    its linked experiences, and a public action's new links are announced to their authors."""
    action = action_services.update_action(action=action, by=by, **content)
    if experiences is not None:
        _refresh(_set_links(action, experiences, by))
    return action


@transaction.atomic
def link_experience(*, action: ImprovementAction, experience: Experience, by) -> bool:
    """Link one experience (the agents' experience page calls this too); False if it already was."""
    action = action_services.locked_for_manager(action, by)
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
    action = action_services.locked_for_manager(action, by)
    if not action.experiences.filter(pk=experience.pk).exists():
        return False
    action.experiences.remove(experience)
    experience.refresh_status()
    return True


def follow_action_change(sender, *, action: ImprovementAction, changes: frozenset[str], **kwargs) -> None:
    """Receiver of actions.signals.action_changed (connected in ExperiencesConfig.ready), inside the step's
    transaction: the linked experiences' status follows the action, and once the action is published their
    authors learn of it."""
    linked = list(action.experiences.all())
    _refresh(linked)
    if "is_public" in changes:
        _tell_authors(action, linked)
