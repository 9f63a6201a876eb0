"""« Résultats près de chez vous » and the results on a structure's public page."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from structures.models import Department, Region
from tests.factories import StructureFactory
from tests.transparency.conftest import csv_bytes, row
from tests.transparency.factories import ResultFactory
from transparency.models import Indicator
from transparency.services import dry_run_import, execute_import

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
    return [structure.name for structure in response.context["page_obj"].object_list]


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
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        ResultFactory(structure=StructureFactory(parent=published["root"]), indicator=indicator)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_results_page_query_count_is_pinned(client, published, django_assert_num_queries):
    """Cold: the filters' lists, the count, the page, the results and national values of its structures.
    Warm: the publishing networks, their count and the structures' drawn results come from the cache."""
    url = reverse("transparency:results") + "?departement=69"
    with django_assert_num_queries(12):
        client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert "Centre de Lyon" in response.content.decode()


def test_an_import_draws_the_results_again(client, published, referent, django_capture_on_commit_callbacks):
    url = reverse("transparency:results") + "?departement=69"
    assert "85,5 %" in client.get(url).content.decode()
    upload = SimpleUploadedFile("r.csv", csv_bytes(row("SITE1", period="2026", value="12", updated="01/02/2026")))
    record = dry_run_import(network=published["root"].network, upload=upload, by=referent)
    with django_capture_on_commit_callbacks(execute=True):
        execute_import(record=record, by=referent)
    assert "12 %" in client.get(url).content.decode()
