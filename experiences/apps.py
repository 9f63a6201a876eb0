from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from experiences import sqlite_search


def restore_sqlite_search_triggers(sender, using, **kwargs):
    """After every migrate on SQLite: a table rebuild by a later migration drops the index's triggers."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        sqlite_search.restore_triggers(connection)


class ExperiencesConfig(AppConfig):
    name = "experiences"
    verbose_name = "Expériences"

    def ready(self):
        post_migrate.connect(restore_sqlite_search_triggers, sender=self)
        # An experience's status follows the actions linked to it (seed 000: « avec action engagée / réalisée »).
        from actions.models import ImprovementAction
        from actions.signals import action_changed
        from experiences.services.actions import follow_action_change

        action_changed.connect(follow_action_change, sender=ImprovementAction, dispatch_uid="experiences-follow-action")
