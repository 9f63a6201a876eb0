"""The demo's results, and the shipped sample file: on the demo's DGFiP codes it holds exactly two errors."""

import pytest

from demo.transparency import create_demo_results
from structures.models import Role
from structures.permissions import structures_importable_by
from tests.factories import MembershipFactory, NetworkFactory, StructureFactory
from transparency.models import Result
from transparency.validation import SAMPLE_PATH, check_file

pytestmark = pytest.mark.django_db
SAMPLE_CODES = ("jmWbxtkHfv", "tKvHOQ5RkT", "xVNjYOclnS", "A25csEED1W")


@pytest.fixture
def dgfip():
    root = StructureFactory(code="DGFIPROOT", name="DGFiP", network=NetworkFactory(name="DGFIP"))
    for code in SAMPLE_CODES:
        StructureFactory(parent=root, code=code, name=f"Centre {code}", insee_commune="69123")
    root.refresh_from_db()
    return root


def test_the_sample_file_has_two_errors_for_the_demo_referent(dgfip):
    referent = MembershipFactory(structure=dgfip, role=Role.REFERENT).user
    report = check_file(
        SAMPLE_PATH,
        filename="resultats-exemple.csv",
        network=dgfip.network,
        structures=structures_importable_by(referent, dgfip.network),
    )
    assert [(line, column) for line, column, _, _ in report.errors] == [(4, "Valeur"), (8, "Code SP+ structure")]
    assert "A25csEED1W" in report.warnings[0][3]
    assert report.rows_read == 8


def test_demo_results_cover_the_network_root_and_lyon(dgfip):
    created = create_demo_results(seed=1)
    assert created and Result.objects.filter(structure=dgfip).exists()
    assert Result.objects.filter(structure__code="jmWbxtkHfv").values("period").distinct().count() == 2
    assert create_demo_results(seed=1) == created  # run twice: the same rows, nothing duplicated
    assert Result.objects.count() == created
