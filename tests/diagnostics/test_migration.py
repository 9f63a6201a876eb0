"""Migration 0004 copies the ten scores of every diagnostic already computed, so consolidation keeps them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from diagnostics.models import Diagnostic
from tests import factories as f
from tests.diagnostics.helpers import completed

pytestmark = pytest.mark.postgres

BEFORE = [("diagnostics", "0003_diagnosticexport")]


def migrate(targets) -> None:
    # Rows written in the test's transaction leave deferred foreign-key checks pending, and PostgreSQL
    # refuses to ALTER a table with pending trigger events: run those checks now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def before_scores(db):
    """Rows written at the latest schema, then the column dropped; the test migrates forward again."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_computed_diagnostics_get_their_scores_and_drafts_none(before_scores):
    diagnostic = completed(f.StructureFactory())
    draft = f.DiagnosticFactory()
    expected = Diagnostic.scores_of(diagnostic.results)
    migrate(BEFORE)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert Diagnostic.objects.get(pk=diagnostic.pk).scores == expected
    assert len(expected) == 10 and expected[0] == diagnostic.results["overall"]
    assert Diagnostic.objects.get(pk=draft.pk).scores is None
