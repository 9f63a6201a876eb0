"""ImprovementAction, taken over from experiences in the migration state only: its table keeps its name
(experiences_improvementaction) and every row, constraints included."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("experiences", "0020_improvement_actions_leave_for_actions_app"),
        ("structures", "0004_typology_codes_allow_hyphens"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImprovementAction",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("title", models.CharField(max_length=230, verbose_name="titre")),
                        ("description", models.TextField(verbose_name="description")),
                        (
                            "status",
                            models.CharField(
                                choices=[("engaged", "Action engagée"), ("done", "Action réalisée")],
                                default="engaged",
                                max_length=10,
                                verbose_name="état",
                            ),
                        ),
                        ("engaged_on", models.DateField(verbose_name="engagée le")),
                        ("done_on", models.DateField(blank=True, null=True, verbose_name="réalisée le")),
                        ("is_public", models.BooleanField(default=False, verbose_name="publiée")),
                        ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="publiée le")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créée le")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifiée le")),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="créée par",
                            ),
                        ),
                        (
                            "structure",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="improvement_actions",
                                to="structures.structure",
                                verbose_name="structure",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "action d'amélioration",
                        "verbose_name_plural": "actions d'amélioration",
                        "db_table": "experiences_improvementaction",
                        "ordering": ["-engaged_on", "-pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("status__in", ["engaged", "done"])),
                                name="improvement_action_status_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "done"), _negated=True),
                                    ("done_on__isnull", False),
                                    _connector="OR",
                                ),
                                name="improvement_action_done_has_date",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("done_on__isnull", True), ("done_on__gte", models.F("engaged_on")), _connector="OR"
                                ),
                                name="improvement_action_done_after_engaged",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
