"""Load the first questionnaire (diagnostics/data/questionnaire_v1.json), published."""

from django.db import migrations

from diagnostics.questionnaire import load_questionnaire


def load(apps, schema_editor):
    load_questionnaire(apps.get_model("diagnostics", "QuestionnaireVersion"), apps.get_model("diagnostics", "Question"))


def unload(apps, schema_editor):
    Version = apps.get_model("diagnostics", "QuestionnaireVersion")
    Version.objects.filter(number=1, diagnostics__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
