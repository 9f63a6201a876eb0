"""Migration 0004 copies the ten scores of every diagnostic already computed, so consolidation keeps them."""

import pytest

from diagnostics.models import Diagnostic
from tests import factories as f
from tests.diagnostics.helpers import completed
from tests.migrations import latest, migrate

pytestmark = pytest.mark.postgres

BEFORE = [("diagnostics", "0003_diagnosticexport")]


@pytest.fixture
def before_scores(db):
    """Rows written at the latest schema, then the column dropped; the test migrates forward again."""
    yield
    migrate(latest())


def test_computed_diagnostics_get_their_scores_and_drafts_none(before_scores):
    diagnostic = completed(f.StructureFactory())
    draft = f.DiagnosticFactory()
    expected = Diagnostic.scores_of(diagnostic.results)
    migrate(BEFORE)

    migrate(latest())

    assert Diagnostic.objects.get(pk=diagnostic.pk).scores == expected
    assert len(expected) == 10 and expected[0] == diagnostic.results["overall"]
    assert Diagnostic.objects.get(pk=draft.pk).scores is None
