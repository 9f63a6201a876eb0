"""The daily digest (seed 001 q24): each agent hears of what their structures still leave unanswered."""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from experiences.emails import agent_url
from experiences.models import UNANSWERED_STATUSES, Assignment
from notifications.services import queue_email
from structures.models import Role, Structure
from structures.permissions import ROLES_ALLOWED, Action, membership_scope

# seed 001 q24: an answer within 48 to 72 hours is wished; past a week the citizen has waited too long.
THRESHOLDS = {
    "h48": datetime.timedelta(hours=48),
    "h72": datetime.timedelta(hours=72),
    "d7": datetime.timedelta(days=7),
}
LISTED = 20


def late_assignments(user, now: datetime.datetime):
    # The user's own answering memberships, even for a superuser: the digest is about their structures.
    scope = Structure.objects.filter(membership_scope(user, ROLES_ALLOWED[Action.ANSWER])).values("pk")
    return Assignment.objects.filter(
        structure__in=scope, response_status__in=UNANSWERED_STATUSES, published_at__lte=now - THRESHOLDS["h48"]
    )


def digest_for(user, now: datetime.datetime) -> dict | None:
    """Counts past 48 h / 72 h / 7 days and the oldest waiting experiences, or None when nothing is late."""
    late = late_assignments(user, now)
    counts = late.aggregate(
        total=Count("pk"),
        over_7_days=Count("pk", filter=Q(published_at__lte=now - THRESHOLDS["d7"])),
        over_72_hours=Count("pk", filter=Q(published_at__lte=now - THRESHOLDS["h72"])),
    )
    if not counts["total"]:
        return None
    oldest = late.select_related("experience", "structure").order_by("published_at", "pk")[:LISTED]
    rows = [
        {
            "experience": a.experience,
            "structure": a.structure,
            "days": (now - a.published_at).days,
            "url": agent_url(a.experience),
        }
        for a in oldest
    ]
    return {**counts, "rows": rows}


def recipients():
    return User.objects.filter(
        is_active=True,
        receives_digest=True,
        memberships__role__in=[Role.AGENT, Role.SUPER_AGENT],
    ).distinct()


def send_unanswered_digests(now: datetime.datetime | None = None) -> int:
    """One e-mail per agent and per day, whatever the number of runs (the outbox's unique key)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    queued = 0
    for user in recipients().iterator():
        digest = digest_for(user, now)
        if digest is None:
            continue
        with transaction.atomic():
            email = queue_email(
                template="agents_digest",
                to=user.email,
                context={"user": user, "day": day, **digest},
                reference=f"récapitulatif du {day:%d/%m/%Y}",
                dedupe_key=f"digest:{day.isoformat()}:{user.pk}",
            )
        queued += email is not None
    return queued
