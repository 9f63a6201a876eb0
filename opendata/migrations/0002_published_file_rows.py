"""One row per published dataset, so the page lists all five and the admin can generate them."""

from django.db import migrations

SLUGS = ["structures", "typologies", "indicateurs", "resultats", "experiences"]


def create_rows(apps, schema_editor):
    PublishedFile = apps.get_model("opendata", "PublishedFile")
    for slug in SLUGS:
        PublishedFile.objects.get_or_create(slug=slug)


def delete_rows(apps, schema_editor):
    apps.get_model("opendata", "PublishedFile").objects.filter(slug__in=SLUGS, path="").delete()


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [migrations.RunPython(create_rows, delete_rows)]
