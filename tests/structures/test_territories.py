import pytest

from structures.models import Department, Region


@pytest.mark.django_db
def test_migrations_load_every_insee_region_and_department():
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    corse_du_sud = Department.objects.get(code="2A")
    assert corse_du_sud.region.name == "Corse"
    assert Department.objects.get(code="971").region.code == "01"
