"""The experience ↔ improvement action link, declared on the experiences' side over the many-to-many
table the action used to hold (same table, same columns, same unique pair): state only, no row moves."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("experiences", "0020_improvement_actions_leave_for_actions_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImprovementActionLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "experience",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="experiences.experience",
                                verbose_name="expérience",
                            ),
                        ),
                        (
                            "improvementaction",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="actions.improvementaction",
                                verbose_name="action d'amélioration",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lien entre une expérience et une action d'amélioration",
                        "verbose_name_plural": "liens entre expériences et actions d'amélioration",
                        "db_table": "experiences_improvementaction_experiences",
                        "unique_together": {("improvementaction", "experience")},
                    },
                ),
                migrations.AddField(
                    model_name="experience",
                    name="improvement_actions",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="experiences",
                        through="experiences.ImprovementActionLink",
                        to="actions.improvementaction",
                        verbose_name="actions d'amélioration",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
