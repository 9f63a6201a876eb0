"""The content type experiences.improvementaction becomes actions.improvementaction: the same row, so its
permissions, the moderators' grants and the admin's history follow the model instead of being left behind."""

from django.db import migrations

MODEL = "improvementaction"


def relabel(apps, schema_editor, old: str, new: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    # On a fresh database the content types are made after every migration: nothing to move then.
    if content_types.filter(app_label=new, model=MODEL).exists():
        return
    content_types.filter(app_label=old, model=MODEL).update(app_label=new)


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, "experiences", "actions")


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, "actions", "experiences")


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
