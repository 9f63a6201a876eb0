"""Thin Celery tasks of the experiences domain."""

from celery import shared_task

from experiences.services.digest import send_unanswered_digests


@shared_task(name="experiences.send_unanswered_digests")
def send_unanswered_digests_task() -> int:
    return send_unanswered_digests()
