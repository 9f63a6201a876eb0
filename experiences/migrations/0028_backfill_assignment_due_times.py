"""Give every published routing its due times at the default target (no target exists yet).

Routings already past due or escalation are marked as signalled: the daily digest already tells of them, and
a deployment must not send every structure an alert for years of history. Batched by id and re-runnable
(only routings without a due time are touched).
"""

import datetime

from django.db import migrations
from django.db.models import F, Max
from django.utils import timezone

BATCH = 20_000
DEFAULT_TARGET = datetime.timedelta(hours=72)  # structures.models.DEFAULT_TARGET_HOURS at this migration


def backfill(apps, schema_editor):
    Assignment = apps.get_model("experiences", "Assignment")
    now = timezone.now()
    last = Assignment.objects.aggregate(last=Max("pk"))["last"] or 0
    for start in range(0, last + 1, BATCH):
        batch = Assignment.objects.filter(
            pk__gte=start, pk__lt=start + BATCH, published_at__isnull=False, due_at__isnull=True
        )
        batch.update(due_at=F("published_at") + DEFAULT_TARGET, escalate_at=F("published_at") + 2 * DEFAULT_TARGET)
        Assignment.objects.filter(pk__gte=start, pk__lt=start + BATCH, due_at__lte=now, breach_notified_at=None).update(
            breach_notified_at=now
        )
        Assignment.objects.filter(
            pk__gte=start, pk__lt=start + BATCH, escalate_at__lte=now, escalation_notified_at=None
        ).update(escalation_notified_at=now)


def forget(apps, schema_editor):
    Assignment = apps.get_model("experiences", "Assignment")
    Assignment.objects.update(due_at=None, escalate_at=None, breach_notified_at=None, escalation_notified_at=None)


class Migration(migrations.Migration):
    dependencies = [("experiences", "0027_assignment_due_times")]

    operations = [migrations.RunPython(backfill, forget)]
