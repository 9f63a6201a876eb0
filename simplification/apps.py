from django.apps import AppConfig


class SimplificationConfig(AppConfig):
    name = "simplification"
    verbose_name = "Documents complexes"
