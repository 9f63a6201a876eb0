from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """French search needs unaccent and pg_trgm; both operations do nothing on SQLite."""

    dependencies = [("experiences", "0001_initial")]

    operations = [UnaccentExtension(), TrigramExtension()]
