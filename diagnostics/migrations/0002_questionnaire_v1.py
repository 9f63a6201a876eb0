"""Load the first questionnaire (diagnostics/data/questionnaire_v1.json), published."""

import json
from pathlib import Path

from django.db import migrations

QUESTIONNAIRE = Path(__file__).resolve().parent.parent / "data" / "questionnaire_v1.json"


def load(apps, schema_editor):
    Version = apps.get_model("diagnostics", "QuestionnaireVersion")
    Question = apps.get_model("diagnostics", "Question")
    data = json.loads(QUESTIONNAIRE.read_text(encoding="utf-8"))
    if Version.objects.filter(number=data["number"]).exists():
        return
    version = Version.objects.create(number=data["number"], title=data["title"], is_published=True)
    orders: dict[int, int] = {}
    for item in data["questions"]:
        order = orders[item["commitment"]] = orders.get(item["commitment"], 0) + 1
        Question.objects.create(
            version=version,
            commitment=item["commitment"],
            order=order,
            key=f"{item['commitment']}.{order}",
            text=item["text"],
            help_text=item["help"],
            concerns_network=item["network"],
        )


def unload(apps, schema_editor):
    Version = apps.get_model("diagnostics", "QuestionnaireVersion")
    Version.objects.filter(number=1, diagnostics__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
