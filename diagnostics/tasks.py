"""Thin Celery tasks of diagnostics."""

from celery import shared_task

from diagnostics import services


@shared_task(
    name="diagnostics.compute_results", acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def compute_results_task(pk: int) -> bool:
    """Idempotent: computing twice stores the same results."""
    return services.compute_results(pk)
