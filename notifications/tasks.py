"""Thin Celery tasks over the outbox; each is safe to run twice."""

from celery import shared_task

from . import services
from .models import OutboxEmail, OutboxStatus


@shared_task(name="notifications.deliver_email", acks_late=True)
def deliver_email(pk: int) -> str | None:
    status = services.deliver(pk)
    if status == OutboxStatus.PENDING:
        # A failure to retry: come back when its backoff is over (the sweep does it if this is lost).
        due = OutboxEmail.objects.filter(pk=pk).values_list("next_attempt_at", flat=True).first()
        if due is not None:
            deliver_email.apply_async((pk,), eta=due, retry=False)
    return status


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> int:
    return services.sweep()
