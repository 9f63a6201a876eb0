"""The clock of a routing against its response-time target, as the agents' list shows it (issue 20)."""

import datetime

from django import template

from experiences.models import UNANSWERED_STATUSES

register = template.Library()
HOUR = datetime.timedelta(hours=1)


def _span(delta: datetime.timedelta) -> str:
    hours = int(delta / HOUR)
    if hours < 1:
        return "moins d'une heure"
    if hours < 48:
        return f"{hours} heure{'s' if hours > 1 else ''}"
    days = hours // 24
    return f"{days} jours"


@register.simple_tag
def due_clock(assignment, now: datetime.datetime) -> dict | None:
    """{"late": bool, "text": …} for a routing still waiting for its answer, None otherwise."""
    if assignment.due_at is None or assignment.response_status not in UNANSWERED_STATUSES:
        return None
    if assignment.due_at <= now:
        return {"late": True, "text": f"délai cible dépassé de {_span(now - assignment.due_at)}"}
    return {"late": False, "text": f"{_span(assignment.due_at - now)} restantes avant le délai cible"}
