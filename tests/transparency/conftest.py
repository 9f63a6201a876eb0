"""A referent on a small network tree, and files written the way referents write them."""

import pytest

from structures.models import Role
from tests.factories import MembershipFactory, StructureFactory
from transparency.validation import COLUMNS

HEADER = ";".join(COLUMNS)


def row(structure="", indicator="IND-1", value="87,5", frequency="annuelle", period="2025", updated="15/01/2026"):
    return f";;;;{structure};;{indicator};{value};{frequency};{period};{updated}"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def tree(db):
    root = StructureFactory(code="ROOT1", name="Direction générale")
    site = StructureFactory(parent=root, code="SITE1", name="Centre de Lyon", city="LYON", insee_department="69")
    other_site = StructureFactory(parent=root, code="SITE2", name="Centre de Nantes", city="NANTES")
    closed = StructureFactory(parent=root, code="CLOSED", name="Centre fermé", is_active=False)
    foreign = StructureFactory(code="FOREIGN", name="Autre réseau")
    tree = {"root": root, "site": site, "other_site": other_site, "closed": closed, "foreign": foreign}
    for structure in tree.values():
        structure.refresh_from_db()
    return tree


@pytest.fixture
def referent(tree):
    return MembershipFactory(structure=tree["root"], role=Role.REFERENT).user


@pytest.fixture
def site_referent(tree):
    """A referent of one site only: the rest of the network is out of their scope."""
    return MembershipFactory(structure=tree["site"], role=Role.REFERENT).user
