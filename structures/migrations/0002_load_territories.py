from django.db import migrations

from structures.territories import load_territories


def forwards(apps, schema_editor):
    load_territories(apps.get_model("structures", "Region"), apps.get_model("structures", "Department"))


def backwards(apps, schema_editor):
    apps.get_model("structures", "Department").objects.all().delete()
    apps.get_model("structures", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("structures", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
