"""The dashboard's tables move to the dashboards app (dashboards/migrations/0001_initial.py creates them).

Both are caches, so they are dropped rather than copied: the rollup is rebuilt from the routings (the
README says what an operator runs after deploying), and an export lives a day, so its file is removed
from the storage here, where the purge of the new table would never find it again.
"""

from django.core.files.storage import default_storage
from django.db import migrations


def delete_export_files(apps, schema_editor):
    DashboardExport = apps.get_model("experiences", "DashboardExport")
    for name in DashboardExport.objects.exclude(file="").values_list("file", flat=True).iterator():
        try:
            default_storage.delete(name)
        except OSError:
            pass  # a file already gone must not stop the deployment


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0017_one_spelling_for_direct_source"),
    ]

    operations = [
        migrations.RunPython(delete_export_files, migrations.RunPython.noop),
        migrations.DeleteModel(name="DashboardDay"),
        migrations.DeleteModel(name="DashboardRollupState"),
        migrations.DeleteModel(name="DashboardExport"),
    ]
