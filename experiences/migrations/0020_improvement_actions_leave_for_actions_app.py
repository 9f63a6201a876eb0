"""Improvement actions move to the `actions` app: forget them here, in the migration state only.

The table experiences_improvementaction and its many-to-many table keep every row: actions.0001 takes
the model back over the same table, and 0021 declares the link over the same many-to-many table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0019_move_dashboard_models_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="improvementaction", name="experiences"),
                migrations.DeleteModel(name="ImprovementAction"),
            ],
            database_operations=[],
        ),
    ]
