"""Experiences shared without a tracking link carry one source, « direct »: the demo wrote « Accès direct »
and imports left it empty, so the queue filter and the dashboard counted one origin as two or three."""

import unicodedata

from django.db import migrations

DIRECT = "direct"
# Frozen here: experiences.sources may change, this migration must not.
DIRECT_SPELLINGS = {"", "direct", "acces direct"}
BATCH = 5000  # rows per UPDATE: short locks on a table of a million experiences


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_direct(apps, schema_editor):
    Experience = apps.get_model("experiences", "Experience")
    spellings = Experience.objects.order_by().values_list("source", flat=True).distinct()
    for spelling in [value for value in spellings if value != DIRECT and folded(value) in DIRECT_SPELLINGS]:
        # Re-runnable: each batch leaves fewer rows with the old spelling.
        while batch := list(Experience.objects.filter(source=spelling).values_list("pk", flat=True)[:BATCH]):
            Experience.objects.filter(pk__in=batch).update(source=DIRECT)


class Migration(migrations.Migration):
    dependencies = [("experiences", "0016_activity_validation_verbs")]

    # No way back: which rows said « Accès direct » and which said nothing is not kept.
    operations = [migrations.RunPython(normalise_direct, migrations.RunPython.noop)]
