"""SQLite only: the FTS5 index follows every write and outlives a table rebuild.

Not collected by name (no test_ prefix): tests/experiences/test_search_on_sqlite.py runs it on an
SQLite database from the PostgreSQL suite."""

import pytest
from django.core.management import call_command
from django.db import connection, models

from experiences import sqlite_search
from experiences.models import Experience
from experiences.selectors.search import ExperienceSearch, matching_experiences
from tests.factories import ExperienceFactory


@pytest.fixture(autouse=True)
def _on_sqlite():
    assert connection.vendor == "sqlite", "run by test_search_on_sqlite.py with DATABASE_URL=sqlite:///…"


def found(text: str) -> list[str]:
    return list(matching_experiences(ExperienceSearch(text=text)).values_list("title", flat=True))


def triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'experiences_experience'")
        return {name for (name,) in cursor.fetchall()}


def assert_index_holds_the_texts():
    # FTS5's integrity check with rank 1 compares the external-content index with the table's rows.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {sqlite_search.INDEX_TABLE}({sqlite_search.INDEX_TABLE}, rank) VALUES ('integrity-check', 1)"
        )


def test_index_follows_creation_edit_and_deletion(db):
    experience = ExperienceFactory(title="Guichet des impôts")
    assert found("impot") == ["Guichet des impôts"]

    experience.title = "Guichet de la préfecture"
    experience.save()
    Experience.objects.filter(pk=experience.pk).update(description="Une attente interminable. " * 5)
    assert found("impot") == []
    assert found("prefecture interminable") == ["Guichet de la préfecture"]
    assert_index_holds_the_texts()

    experience.delete()
    assert found("prefecture") == []
    assert_index_holds_the_texts()


@pytest.fixture
def rebuild_experience_table(transactional_db):
    """Alter the title as a later migration would: SQLite copies the table, drops it, renames the copy."""
    title = Experience._meta.get_field("title")
    wider = models.CharField(title.verbose_name, max_length=title.max_length + 1)
    wider.set_attributes_from_name("title")
    wider.model = Experience
    rebuilt = []

    def rebuild():
        with connection.schema_editor() as editor:
            editor.alter_field(Experience, title, wider)
        rebuilt.append(True)

    yield rebuild
    if rebuilt:
        with connection.schema_editor() as editor:
            editor.alter_field(Experience, wider, title)
        call_command("migrate", verbosity=0)


def test_migrate_restores_the_index_after_a_table_rebuild(rebuild_experience_table):
    experience = ExperienceFactory(title="Guichet des impôts")

    rebuild_experience_table()
    assert triggers() == set()
    Experience.objects.filter(pk=experience.pk).update(title="Guichet de la préfecture")  # unseen by the index
    call_command("migrate", verbosity=0)

    assert triggers() == set(sqlite_search.TRIGGERS)
    assert found("impot") == []
    assert found("prefecture") == ["Guichet de la préfecture"]
    ExperienceFactory(title="Accueil de la mairie")
    assert found("mairie") == ["Accueil de la mairie"]
    assert_index_holds_the_texts()
