from django.db import migrations

# Public search (experiences/selectors/search.py): `search_vector @@ websearch_to_tsquery(…)`.
# CONCURRENTLY keeps the table writable while the index builds, hence a non-atomic migration.
CREATE_INDEX = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS experience_search_vector "
    "ON experiences_experience USING gin (search_vector);"
)
DROP_INDEX = "DROP INDEX CONCURRENTLY IF EXISTS experience_search_vector;"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    """PostgreSQL only: the GIN index of the search column."""

    atomic = False

    dependencies = [("experiences", "0006_experience_search_vector")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
