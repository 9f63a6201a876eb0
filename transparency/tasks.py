"""Thin Celery task of the transparency import."""

from celery import shared_task

from . import services


@shared_task(name="transparency.run_import", acks_late=True, soft_time_limit=1800, time_limit=1900)
def run_import_task(pk: int) -> str:
    return services.run_import(pk)
