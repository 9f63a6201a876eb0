"""Response-time targets (issue 20): each routing's due time, and the referents' changes that move it.

A routing is due `hours` after its publication, `hours` being the smallest of its network's target (72 h
unless changed, seed 001 q24) and those set on its structure or an ancestor; at twice that, the parent
structure hears of it. The times are stored on the routing so the agents' list sorts and filters on an
index; a changed target recomputes them for the routings still waiting, in one UPDATE per distinct target.
"""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from common.exceptions import Refused
from experiences.models import UNANSWERED_STATUSES, Assignment
from structures.models import DEFAULT_TARGET_HOURS, MAX_TARGET_HOURS, Network, ResponseTarget, Structure
from structures.permissions import Action, can, networks_targeted_by

UPDATE_BATCH = 500
HOUR = datetime.timedelta(hours=1)


def span_text(delta: datetime.timedelta) -> str:
    """« moins d'une heure », « 5 heures », « 3 jours »: how long past or before a due time, in French."""
    hours = int(delta / HOUR)
    if hours < 1:
        return "moins d'une heure"
    if hours < 48:
        return f"{hours} heure{'s' if hours > 1 else ''}"
    return f"{hours // 24} jours"


def target_hours(structure: Structure) -> int:
    """The target of a routing to `structure`: one query over the network's and the lineage's targets."""
    lineage = Q(
        structure__tree_id=structure.tree_id, structure__lft__lte=structure.lft, structure__rght__gte=structure.rght
    )
    network = Q(network_id=structure.network_id, structure__isnull=True)
    hours = ResponseTarget.objects.filter(lineage | network).values_list("hours", flat=True)
    return min(hours, default=DEFAULT_TARGET_HOURS)


def inherited_hours(network: Network, structure: Structure | None) -> int:
    """What a new target at `structure` (or the network) would tighten: its parent's, or the default."""
    if structure is None:
        return DEFAULT_TARGET_HOURS
    if structure.parent_id is None:
        own = ResponseTarget.objects.filter(network=network, structure__isnull=True).values_list("hours", flat=True)
        return min(own, default=DEFAULT_TARGET_HOURS)
    return target_hours(structure.parent)


def set_due_times(assignment: Assignment, hours: int | None = None) -> None:
    """Fill the routing's due and escalation times in memory, from its publication (nothing when unpublished)."""
    if assignment.published_at is None:
        return
    target = datetime.timedelta(hours=hours if hours is not None else target_hours(assignment.structure))
    assignment.due_at = assignment.published_at + target
    assignment.escalate_at = assignment.published_at + 2 * target


def reset_due_times(assignment: Assignment) -> None:
    """A routing moved to another structure takes that structure's target; its alerts start over."""
    set_due_times(assignment)
    assignment.breach_notified_at = assignment.escalation_notified_at = None
    assignment.save(update_fields=["due_at", "escalate_at", "breach_notified_at", "escalation_notified_at"])


def may_set_target(user, network: Network, structure: Structure | None) -> bool:
    if structure is None:
        return networks_targeted_by(user).filter(pk=network.pk).exists()
    return structure.network_id == network.pk and can(user, Action.SET_TARGETS, structure)


@transaction.atomic
def set_response_target(*, network: Network, structure: Structure | None = None, hours: int, by) -> ResponseTarget:
    """Set the target of a network or a subtree; a referent may only tighten what it inherits."""
    if not may_set_target(by, network, structure):
        raise Refused("Vous ne pouvez fixer un délai cible que dans votre réseau, pour vos structures.")
    if not 1 <= hours <= MAX_TARGET_HOURS:
        raise Refused(f"Le délai cible est compris entre 1 et {MAX_TARGET_HOURS} heures.", field="hours")
    inherited = inherited_hours(network, structure)
    if hours > inherited and not by.is_superuser:
        raise Refused(
            f"Le délai cible ne peut que resserrer celui qui s'applique déjà ({inherited} heures).", field="hours"
        )
    target, _ = ResponseTarget.objects.update_or_create(
        network=network, structure=structure, defaults={"hours": hours, "set_by": by}
    )
    recompute_due_times(_trees_of(network, structure))
    return target


@transaction.atomic
def remove_response_target(*, target: ResponseTarget, by) -> None:
    if not may_set_target(by, target.network, target.structure):
        raise Refused("Vous ne pouvez retirer un délai cible que dans votre réseau, pour vos structures.")
    trees = _trees_of(target.network, target.structure)
    target.delete()
    recompute_due_times(trees)


def _trees_of(network: Network, structure: Structure | None) -> set[int]:
    if structure is not None:
        return {structure.tree_id}
    return set(Structure.objects.filter(network=network).values_list("tree_id", flat=True).distinct())


def effective_hours(tree_ids: set[int]) -> dict[int, int]:
    """Each structure of the trees → its target, walking each tree once in order with a stack of ancestors."""
    own = dict(ResponseTarget.objects.filter(structure__tree_id__in=tree_ids).values_list("structure_id", "hours"))
    networks = dict(ResponseTarget.objects.filter(structure__isnull=True).values_list("network_id", "hours"))
    rows = Structure.objects.filter(tree_id__in=tree_ids).order_by("tree_id", "lft")
    hours, stack = {}, []  # stack: (tree_id, rght, hours) of the open ancestors
    for pk, tree_id, lft, rght, network_id in rows.values_list("pk", "tree_id", "lft", "rght", "network_id"):
        while stack and (stack[-1][0] != tree_id or stack[-1][1] < lft):
            stack.pop()
        inherited = stack[-1][2] if stack else networks.get(network_id, DEFAULT_TARGET_HOURS)
        value = min(inherited, own.get(pk, MAX_TARGET_HOURS))
        hours[pk] = value
        stack.append((tree_id, rght, value))
    return hours


def recompute_due_times(tree_ids: set[int], now: datetime.datetime | None = None) -> int:
    """Move the due times of the trees' waiting routings to their targets; an alert not yet due is re-armed."""
    now = now or timezone.now()
    by_hours: dict[int, list[int]] = {}
    for pk, value in effective_hours(tree_ids).items():
        by_hours.setdefault(value, []).append(pk)
    changed = 0
    for value, pks in by_hours.items():
        target = datetime.timedelta(hours=value)
        for start in range(0, len(pks), UPDATE_BATCH):
            waiting = Assignment.objects.filter(
                structure_id__in=pks[start : start + UPDATE_BATCH],
                response_status__in=UNANSWERED_STATUSES,
                published_at__isnull=False,
            )
            changed += waiting.update(due_at=F("published_at") + target, escalate_at=F("published_at") + 2 * target)
            waiting.filter(due_at__gt=now).update(breach_notified_at=None)
            waiting.filter(escalate_at__gt=now).update(escalation_notified_at=None)
    return changed
