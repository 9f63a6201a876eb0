"""The moderation queue's index covers both states the queue lists (submitted, to_modify), state first.

The old one held submitted rows only: the queue's `moderation_state IN ('submitted', 'to_modify')` and its
count scanned the whole table (four parallel sequential scans, 0.5 s each on a million experiences).
CONCURRENTLY keeps the table writable while the index builds, hence a non-atomic migration.
"""

from django.db import migrations, models

OLD_INDEX = models.Index(
    fields=["submitted_at"], name="experience_moderation_queue", condition=models.Q(moderation_state="submitted")
)
NEW_INDEX = models.Index(
    fields=["moderation_state", "submitted_at", "id"],
    name="experience_to_moderate",
    condition=models.Q(moderation_state__in=["submitted", "to_modify"]),
)


def _options(schema_editor) -> dict:
    # Not inside a transaction (a test migrating back and forth in its own): PostgreSQL refuses CONCURRENTLY there.
    connection = schema_editor.connection
    return {"concurrently": True} if connection.vendor == "postgresql" and not connection.in_atomic_block else {}


def replace_index(apps, schema_editor):
    experience = apps.get_model("experiences", "Experience")
    schema_editor.add_index(experience, NEW_INDEX, **_options(schema_editor))
    schema_editor.remove_index(experience, OLD_INDEX, **_options(schema_editor))


def restore_index(apps, schema_editor):
    experience = apps.get_model("experiences", "Experience")
    schema_editor.add_index(experience, OLD_INDEX, **_options(schema_editor))
    schema_editor.remove_index(experience, NEW_INDEX, **_options(schema_editor))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("experiences", "0021_improvement_action_link")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="experience", name="experience_moderation_queue"),
                migrations.AddIndex(model_name="experience", index=NEW_INDEX),
            ],
            database_operations=[migrations.RunPython(replace_index, restore_index, elidable=False)],
        )
    ]
