from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data generator and `manage.py seed_demo`: above every app, imported by none."""

    name = "demo"
    verbose_name = "Démonstration"
