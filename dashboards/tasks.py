"""Thin Celery tasks of the dashboard.

Their names keep the `experiences.` prefix they had before the dashboard became its own app: beat's
database entries, the settings' schedule and messages already queued name them so.
"""

from celery import shared_task

from dashboards.services import pdf_exports, rollup, scorecards


@shared_task(name="experiences.generate_dashboard_pdf", acks_late=True, soft_time_limit=300, time_limit=360)
def generate_dashboard_pdf_task(pk: int) -> str | None:
    """No automatic retry: a failure is shown on the export's page, where the user asks again."""
    return pdf_exports.generate_dashboard_pdf(pk)


@shared_task(name="experiences.purge_dashboard_exports")
def purge_dashboard_exports_task() -> int:
    return pdf_exports.purge_expired_exports()


@shared_task(name="experiences.refresh_dashboard_rollup", soft_time_limit=1800, time_limit=1900)
def refresh_dashboard_rollup_task(full: bool = False) -> int:
    return rollup.refresh_rollup(full=full)


@shared_task(name="dashboards.refresh_public_scorecards", soft_time_limit=540, time_limit=580)
def refresh_public_scorecards_task() -> int:
    return scorecards.refresh_public_scorecards()
