"""Celery application: tasks are autodiscovered in each app's tasks.py; beat reads django-celery-beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

app = Celery("spplus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
