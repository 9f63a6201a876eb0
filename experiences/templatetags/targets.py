"""The clock of a routing against its response-time target, as the agents' list shows it (issue 20)."""

import datetime

from django import template

from experiences.models import UNANSWERED_STATUSES
from experiences.services.targets import span_text

register = template.Library()


@register.simple_tag
def due_clock(assignment, now: datetime.datetime) -> dict | None:
    """{"late": bool, "text": …} for a routing still waiting for its answer, None otherwise."""
    if assignment.due_at is None or assignment.response_status not in UNANSWERED_STATUSES:
        return None
    if assignment.due_at <= now:
        return {"late": True, "text": f"délai cible dépassé de {span_text(now - assignment.due_at)}"}
    return {"late": False, "text": f"{span_text(assignment.due_at - now)} restantes avant le délai cible"}
