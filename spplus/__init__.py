"""spplus: the Services Publics+ platform (Django project configuration)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
