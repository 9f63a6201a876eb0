"""Thin Celery tasks of the experiences domain."""

from celery import shared_task

from experiences.services import dashboard_rollup, exports
from experiences.services.digest import send_unanswered_digests


@shared_task(name="experiences.send_unanswered_digests")
def send_unanswered_digests_task() -> int:
    return send_unanswered_digests()


@shared_task(name="experiences.generate_dashboard_pdf", acks_late=True, soft_time_limit=300, time_limit=360)
def generate_dashboard_pdf_task(pk: int) -> str | None:
    """No automatic retry: a failure is shown on the export's page, where the user asks again."""
    return exports.generate_dashboard_pdf(pk)


@shared_task(name="experiences.purge_dashboard_exports")
def purge_dashboard_exports_task() -> int:
    return exports.purge_expired_exports()


@shared_task(name="experiences.refresh_dashboard_rollup", soft_time_limit=1800, time_limit=1900)
def refresh_dashboard_rollup_task(full: bool = False) -> int:
    return dashboard_rollup.refresh_rollup(full=full)
