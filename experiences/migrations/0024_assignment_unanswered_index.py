"""A partial index on the unanswered routings of each structure, for a local agent's « à traiter » list.

Its capped count hashed all of a busy office's 35,887 routings (8–22 ms on a million experiences); the
unanswered ones are 12,526, read from this index alone in 1 ms. CONCURRENTLY keeps the table writable
while the index builds, hence a non-atomic migration.
"""

from django.db import migrations, models

INDEX = models.Index(
    fields=["structure", "-published_at"],
    name="assignment_unanswered",
    include=["experience"],
    condition=models.Q(response_status__in=["awaiting", "pending_validation", "unpublished"]),
)


def _options(schema_editor) -> dict:
    # Not inside a transaction (a test migrating back and forth in its own): PostgreSQL refuses CONCURRENTLY there.
    connection = schema_editor.connection
    return {"concurrently": True} if connection.vendor == "postgresql" and not connection.in_atomic_block else {}


def add_index(apps, schema_editor):
    schema_editor.add_index(apps.get_model("experiences", "Assignment"), INDEX, **_options(schema_editor))


def remove_index(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("experiences", "Assignment"), INDEX, **_options(schema_editor))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("experiences", "0023_merge_moderation_index_and_open_data")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="assignment", index=INDEX)],
            database_operations=[migrations.RunPython(add_index, remove_index, elidable=False)],
        )
    ]
