"""Thin Celery tasks of the experiences domain."""

from celery import shared_task

from experiences.services import public_figures
from experiences.services.breaches import send_breach_alerts
from experiences.services.digest import send_unanswered_digests


@shared_task(name="experiences.send_unanswered_digests")
def send_unanswered_digests_task() -> int:
    return send_unanswered_digests()


@shared_task(name="experiences.send_breach_alerts")
def send_breach_alerts_task() -> int:
    return send_breach_alerts()


@shared_task(name="experiences.refresh_large_structure_figures", soft_time_limit=240, time_limit=280)
def refresh_large_structure_figures_task() -> int:
    return public_figures.refresh_large_structure_figures()
