"""Thin Celery tasks of the tester panel: the two retention purges."""

from celery import shared_task

from panel import services


@shared_task(name="panel.purge_unconfirmed")
def purge_unconfirmed_task() -> int:
    return services.purge_unconfirmed()


@shared_task(name="panel.purge_inactive")
def purge_inactive_task() -> int:
    return services.purge_inactive()
