from django.db import migrations

# DESIGN.md performance facts: a text search configuration that unaccents then stems keeps
# "démarche.Cordialement" two tokens, where an IMMUTABLE unaccent() wrapper glued them.
CREATE_CONFIG = """
CREATE TEXT SEARCH CONFIGURATION public.french_unaccent (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION public.french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.french_stem;
"""
DROP_CONFIG = "DROP TEXT SEARCH CONFIGURATION IF EXISTS public.french_unaccent;"


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_CONFIG)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_CONFIG)


class Migration(migrations.Migration):
    """PostgreSQL only: the `french_unaccent` configuration; SQLite searches with a plain fallback."""

    dependencies = [
        ("experiences", "0004_experience_submitted_at_settable"),
        ("experiences", "0002_postgres_extensions"),
    ]

    operations = [migrations.RunPython(create_config, drop_config, elidable=False)]
