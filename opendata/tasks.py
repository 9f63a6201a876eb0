"""Thin Celery tasks of open data."""

from celery import shared_task

from . import services


@shared_task(name="opendata.generate_files", soft_time_limit=1800, time_limit=1900)
def generate_files_task(slugs: list[str] | None = None) -> int:
    """Every night (CELERY_BEAT_SCHEDULE) and on demand from the admin; safe to run twice."""
    return len(services.generate_all(slugs))
