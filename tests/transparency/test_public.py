"""« Résultats près de chez vous » and the results on a structure's public page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from structures.models import Department, Region
from tests.factories import StructureFactory
from tests.transparency.factories import ResultFactory
from transparency.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(tree):
    indicator = Indicator.objects.get(code="IND-1")
    tree["site"].insee_commune = "69123"
    tree["site"].save(update_fields=["insee_commune"])
    for structure, value in ((tree["site"], "87.5"), (tree["root"], "80")):
        for year, delta in ((2024, -2), (2025, 0)):
            ResultFactory(
                structure=structure,
                indicator=indicator,
                value=Decimal(value) + delta,
                period=str(year),
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
            )
    ResultFactory(structure=tree["other_site"], indicator=indicator, value=Decimal("70"))
    return tree


def _names(response) -> list[str]:
    return [structure.name for structure, _ in response.context["entries"]]


def test_results_page_lists_publishing_structures_with_values_and_national_value(client, published):
    response = client.get(reverse("transparency:results"))
    assert response.status_code == 200
    assert _names(response) == ["Centre de Lyon", "Centre de Nantes", "Direction générale"]
    page = response.content.decode()
    assert "87,5 %" in page and "Valeur nationale du réseau pour cette période : <strong>80 %</strong>" in page
    assert "<svg" in page and "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


@pytest.mark.parametrize("city", ["Lyon", "lyon", "69123"])
def test_city_filter_finds_the_structure_by_its_commune(client, published, city):
    assert _names(client.get(reverse("transparency:results"), {"ville": city})) == ["Centre de Lyon"]


def test_department_region_and_network_filters(client, published):
    assert Region.objects.filter(code="84").exists() and Department.objects.filter(code="69").exists()
    url = reverse("transparency:results")
    assert _names(client.get(url, {"departement": "69"})) == ["Centre de Lyon"]
    StructureFactory(insee_region="84")  # publishes nothing: not listed
    published["site"].insee_region = "84"
    published["site"].save(update_fields=["insee_region"])
    assert _names(client.get(url, {"region": "84"})) == ["Centre de Lyon"]
    network = published["site"].network
    assert len(_names(client.get(url, {"reseau": network.pk}))) == 3


def test_no_result_for_the_filters_says_so(client, published):
    response = client.get(reverse("transparency:results"), {"ville": "Brest"})
    assert "Aucune structure ne publie encore de résultats" in response.content.decode()


def test_structure_page_shows_its_results(client, published):
    page = client.get(reverse("experiences:structure", args=["SITE1"])).content.decode()
    assert "Ses résultats de qualité de service" in page and "87,5 %" in page


def test_results_menu_and_home_tile_lead_to_the_page(client, published):
    home = client.get("/").content.decode()
    assert 'href="/resultats/"' in home
    assert client.get("/resultats/").status_code == 200


def test_results_page_query_count_does_not_grow_with_structures(client, published):
    indicator = Indicator.objects.get(code="IND-2")
    url = reverse("transparency:results")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        ResultFactory(structure=StructureFactory(parent=published["root"]), indicator=indicator)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
