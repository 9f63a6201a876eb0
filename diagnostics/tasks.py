"""Thin Celery tasks of diagnostics."""

from celery import shared_task

from diagnostics import exports, services


@shared_task(
    name="diagnostics.compute_results", acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def compute_results_task(pk: int) -> bool:
    """Idempotent: computing twice stores the same results."""
    return services.compute_results(pk)


@shared_task(name="diagnostics.generate_export", acks_late=True, soft_time_limit=300, time_limit=360)
def generate_export_task(pk: int) -> str | None:
    """No automatic retry: a failure is shown on the export's page, where the user asks again."""
    return exports.generate_export(pk)


@shared_task(name="diagnostics.purge_exports")
def purge_exports_task() -> int:
    return exports.purge_expired_exports()
