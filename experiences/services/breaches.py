"""Alerts at the moment a routing passes its response-time target (issue 20, seed 001 q24).

Beat runs `send_breach_alerts` every few minutes. It reads what is due and not yet signalled
(`due_at <= now`, `breach_notified_at IS NULL`), never « the last five minutes », so a beat stopped for an
hour catches up on its next run. A structure's agents get at most one e-mail per clock hour, grouping what
breached; what breaches later in that hour waits for the next. At twice the target the parent structure's
super agents are told too, grouped per parent and hour. The outbox's dedupe key makes a second run a no-op.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from experiences.emails import agent_url, members_to_notify
from experiences.models import UNANSWERED_STATUSES, Assignment
from experiences.services.targets import span_text
from notifications.services import queue_email
from structures.models import Role, Structure

LISTED = 20


@dataclass(frozen=True)
class Alert:
    """One kind of alert: which routings it is about, the field it stamps, who hears of it."""

    kind: str
    due_field: str
    stamp_field: str
    template: str


BREACH = Alert("breach", "due_at", "breach_notified_at", "agents_target_breach")
ESCALATION = Alert("escalation", "escalate_at", "escalation_notified_at", "agents_target_escalation")


def pending(alert: Alert, now: datetime.datetime):
    """Routings waiting for an answer, past the alert's time and not yet signalled (a partial index each)."""
    return Assignment.objects.filter(
        response_status__in=UNANSWERED_STATUSES,
        **{f"{alert.due_field}__lte": now, f"{alert.stamp_field}__isnull": True},
    )


def send_breach_alerts(now: datetime.datetime | None = None) -> int:
    """Signal every routing past its target, then every one past twice its target; the e-mails queued."""
    now = now or timezone.now()
    queued = 0
    structures = pending(BREACH, now).values_list("structure_id", flat=True).distinct().order_by()
    for structure_id in list(structures):
        queued += _signal(BREACH, Structure.objects.get(pk=structure_id), now)
    parents = pending(ESCALATION, now).values_list("structure__parent_id", flat=True).distinct().order_by()
    for parent_id in list(parents):
        queued += _escalate(parent_id, now)
    return queued


def _hour(now: datetime.datetime) -> datetime.datetime:
    return now.replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def _signal(alert: Alert, structure: Structure, now: datetime.datetime) -> int:
    """One e-mail per agent of the structure for this hour, unless the structure already had one this hour."""
    hour = _hour(now)
    already = Assignment.objects.filter(structure=structure, **{f"{alert.stamp_field}__gte": hour})
    if already.exists():
        return 0
    routings = list(pending(alert, now).filter(structure=structure).select_for_update(of=("self",)))
    if not routings:
        return 0  # another run signalled them meanwhile
    recipients = [user for user in members_to_notify(structure) if user.receives_target_alerts]
    return _send(alert, routings, structure, recipients, hour, now)


@transaction.atomic
def _escalate(parent_id: int | None, now: datetime.datetime) -> int:
    """The parent's super agents hear of its children's routings at twice their target, once an hour."""
    hour = _hour(now)
    children = pending(ESCALATION, now).filter(structure__parent_id=parent_id)
    if parent_id is None:
        # A root has no parent to tell: its routings are stamped so they are not read again at every run.
        children.update(escalation_notified_at=now)
        return 0
    already = Assignment.objects.filter(structure__parent_id=parent_id, escalation_notified_at__gte=hour)
    if already.exists():
        return 0
    routings = list(children.select_for_update(of=("self",)))
    if not routings:
        return 0
    parent = Structure.objects.get(pk=parent_id)
    recipients = [user for user in members_to_notify(parent, roles=(Role.SUPER_AGENT,)) if user.receives_target_alerts]
    return _send(ESCALATION, routings, parent, recipients, hour, now)


def _send(alert: Alert, routings: list, structure: Structure, recipients: list, hour, now) -> int:
    Assignment.objects.filter(pk__in=[a.pk for a in routings]).update(**{alert.stamp_field: now})
    rows = (
        Assignment.objects.filter(pk__in=[a.pk for a in routings])
        .select_related("experience", "structure")
        .order_by("published_at", "pk")[:LISTED]
    )
    context = {
        "structure": structure,
        "count": len(routings),
        "rows": [
            {
                "experience": a.experience,
                "structure": a.structure,
                "late": span_text(now - a.due_at),
                "url": agent_url(a.experience),
            }
            for a in rows
        ],
    }
    queued = 0
    for user in recipients:
        email = queue_email(
            template=alert.template,
            to=user.email,
            context={"user": user, **context},
            reference=f"délai cible — {structure.name}"[:100],
            dedupe_key=f"target-{alert.kind}:{structure.pk}:{hour:%Y%m%d%H}:{user.pk}",
        )
        queued += email is not None
    return queued
