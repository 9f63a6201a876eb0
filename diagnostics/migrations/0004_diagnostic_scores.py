from django.db import migrations, models


def copy_scores(apps, schema_editor):
    """The ten numbers of every diagnostic whose results are computed (what Diagnostic.scores_of reads)."""
    Diagnostic = apps.get_model("diagnostics", "Diagnostic")
    changed = []
    for diagnostic in Diagnostic.objects.filter(results__isnull=False).only("pk", "results").iterator(chunk_size=500):
        results = diagnostic.results
        diagnostic.scores = [results["overall"], *(results["commitments"][str(n)]["score"] for n in range(1, 10))]
        changed.append(diagnostic)
        if len(changed) == 500:
            Diagnostic.objects.bulk_update(changed, ["scores"])
            changed.clear()
    Diagnostic.objects.bulk_update(changed, ["scores"])


class Migration(migrations.Migration):

    dependencies = [
        ('diagnostics', '0003_diagnosticexport'),
    ]

    operations = [
        migrations.AddField(
            model_name='diagnostic',
            name='scores',
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name='scores (global puis engagements 1 à 9)'),
        ),
        migrations.RunPython(copy_scores, migrations.RunPython.noop),
    ]
