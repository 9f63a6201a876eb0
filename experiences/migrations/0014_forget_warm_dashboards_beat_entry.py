"""Beat's database scheduler keeps every entry it once copied from settings: the dashboards' warm-up
task is gone (the daily rollup made it useless), so its entry must go too, or beat keeps sending it."""

from django.db import migrations


def forget_entry(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name="warm-default-dashboards").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0013_dashboard_daily_rollup"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forget_entry, migrations.RunPython.noop)]
