"""Count the personal data in the experiences waiting for a moderator (a few hundred), in batches.

The others keep 0: the queue only shows submitted experiences and those sent back to their authors.
"""

from django.db import migrations

from common.personal_data import count_flags

WAITING = ("submitted", "to_modify")
BATCH = 500


def count_waiting(apps, schema_editor):
    Experience = apps.get_model("experiences", "Experience")
    waiting = Experience.objects.filter(moderation_state__in=WAITING).only("title", "description")
    batch = []
    for experience in waiting.iterator(chunk_size=BATCH):
        experience.personal_data_flags = count_flags(experience.title, experience.description)
        if experience.personal_data_flags:
            batch.append(experience)
        if len(batch) >= BATCH:
            Experience.objects.bulk_update(batch, ["personal_data_flags"])
            batch = []
    Experience.objects.bulk_update(batch, ["personal_data_flags"])


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0025_experience_personal_data_flags"),
    ]

    operations = [
        migrations.RunPython(count_waiting, migrations.RunPython.noop),
    ]
