from django.db import migrations

# A stored generated column, unknown to the model (SQLite has no tsvector): the selector reads
# it through RawSQL (experiences/selectors/search.py). Title weighs A, description B.
# Adding it rewrites the table (about 3 minutes for 1 M rows on the benchmark machine).
ADD_COLUMN = """
ALTER TABLE experiences_experience ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('public.french_unaccent'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('public.french_unaccent'::regconfig, coalesce(description, '')), 'B')
) STORED;
-- DESIGN.md performance facts: with the default target, rare words get slow plans.
ALTER TABLE experiences_experience ALTER COLUMN search_vector SET STATISTICS 1000;
"""
DROP_COLUMN = "ALTER TABLE experiences_experience DROP COLUMN IF EXISTS search_vector;"


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_COLUMN)


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_COLUMN)


class Migration(migrations.Migration):
    """PostgreSQL only: the full-text search column of experiences."""

    dependencies = [("experiences", "0005_french_unaccent_search_config")]

    operations = [migrations.RunPython(add_column, drop_column, elidable=False)]
