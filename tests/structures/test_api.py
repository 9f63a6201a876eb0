"""/api/v1/structures/: the open-data structures referential, read-only, filtered and paginated."""

import pytest
from rest_framework.pagination import PageNumberPagination

from tests.factories import NetworkFactory, StructureFactory, TypologyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/structures/"


@pytest.fixture
def referential():
    """Police: a direction and two stations (one closed); Caf: one office in another department."""
    police = NetworkFactory(name="POLICE NATIONALE")
    station = TypologyFactory(code="COMMISSARI", name="Commissariat", network=police)
    direction = StructureFactory(code="POL-75", name="Direction de la police de Paris", network=police)
    open_station = StructureFactory(
        code="POL-7501", name="Commissariat du 1er", public_name="Police du Louvre", parent=direction, typology=station
    )
    closed_station = StructureFactory(
        code="POL-7502", name="Commissariat du 2e", parent=direction, typology=station, is_active=False
    )
    caf = StructureFactory(
        code="CAF-69",
        name="Caisse d'allocations familiales du Rhône",
        network=NetworkFactory(name="CAF"),
        insee_department="69",
        insee_region="84",
    )
    return {"direction": direction, "open": open_station, "closed": closed_station, "caf": caf}


def codes(response) -> list[str]:
    assert response.status_code == 200
    return [row["code"] for row in response.json()["results"]]


def test_reuser_lists_structures_with_referential_fields(client, referential):
    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    station = next(row for row in body["results"] if row["code"] == "POL-7501")
    assert station == {
        "code": "POL-7501",
        "name": "Commissariat du 1er",
        "public_name": "Police du Louvre",
        "network_id": referential["open"].network_id,
        "network": "POLICE NATIONALE",
        "typology_code": "COMMISSARI",
        "typology_name": "Commissariat",
        "parent_code": "POL-75",
        "level": 1,
        "postal_code": "75001",
        "city": "PARIS",
        "department": "75",
        "region": "11",
        "active": True,
        "website": "",
    }


def test_reuser_sees_root_structure_without_parent(client, referential):
    row = client.get(f"{URL}POL-75/").json()

    assert row["parent_code"] is None
    assert row["level"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("network=police nationale", ["POL-75", "POL-7501", "POL-7502"]),
        ("typology=COMMISSARI", ["POL-7501", "POL-7502"]),
        ("parent=POL-75", ["POL-7501", "POL-7502"]),
        ("department=69", ["CAF-69"]),
        ("region=84", ["CAF-69"]),
        ("active=false", ["POL-7502"]),
        ("active=true&network=POLICE NATIONALE", ["POL-75", "POL-7501"]),
        ("q=allocations", ["CAF-69"]),
        ("q=louvre", ["POL-7501"]),
        ("code=POL-75", ["POL-75"]),
        ("code__in=POL-7502,CAF-69,NOPE&ordering=code", ["CAF-69", "POL-7502"]),
        ("department__in=69,13", ["CAF-69"]),
        ("region__in=84", ["CAF-69"]),
        ("level=0&network=POLICE NATIONALE", ["POL-75"]),
        ("level__gte=1", ["POL-7501", "POL-7502"]),
        ("level__lte=0&network=CAF", ["CAF-69"]),
        ("ordering=-code", ["POL-7502", "POL-7501", "POL-75", "CAF-69"]),
        ("ordering=name", ["CAF-69", "POL-7501", "POL-7502", "POL-75"]),
    ],
)
def test_reuser_filters_and_orders_structures(client, referential, query, expected):
    assert codes(client.get(f"{URL}?{query}")) == expected


def test_reuser_filters_structures_by_network_id(client, referential):
    network_id = referential["caf"].network_id

    assert codes(client.get(URL, {"network": network_id})) == ["CAF-69"]
    assert codes(client.get(URL, {"network": "9" * 30})) == []


def test_structures_come_in_tree_order_by_default(client, referential):
    police = codes(client.get(URL, {"network": "POLICE NATIONALE"}))

    assert police[0] == "POL-75"


def test_reuser_reads_one_structure_by_code(client, referential):
    response = client.get(f"{URL}POL-7502/")

    assert response.status_code == 200
    assert response.json()["name"] == "Commissariat du 2e"
    assert response.json()["active"] is False


def test_reuser_gets_404_for_unknown_code(client, referential):
    assert client.get(f"{URL}INCONNU/").status_code == 404


def test_api_is_read_only(client, referential):
    assert client.post(URL, {"code": "NEW", "name": "Nouvelle"}).status_code == 405
    assert client.delete(f"{URL}POL-75/").status_code == 405


def test_reuser_pages_through_structures(client, referential, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 3)

    first = client.get(URL).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 4
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert len(second["results"]) == 1
    assert second["next"] is None


@pytest.mark.parametrize("children", [1, 12])
def test_structure_list_runs_a_constant_number_of_queries(client, django_assert_num_queries, children):
    root = StructureFactory()
    for _ in range(children):
        StructureFactory(parent=root)

    with django_assert_num_queries(2):  # the page's count, then its rows with network, typology and parent
        response = client.get(URL)

    assert response.json()["count"] == children + 1


def test_browsable_api_renders_with_filter_form(client, referential):
    response = client.get(URL, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"POL-7501" in response.content


def test_openapi_schema_describes_structures_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/structures/" in paths
    assert "/api/v1/structures/{code}/" in paths
    parameters = {p["name"] for p in paths["/api/v1/structures/"]["get"]["parameters"]}
    assert {"network", "typology", "parent", "department", "active", "q", "ordering", "page"} <= parameters


def test_api_docs_page_answers(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    # Swagger UI's start-up script has its own URL (no inline script); it loads the schema.
    assert b'<script src="/api/docs/?script="></script>' in response.content
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/schema/" in script.content


def test_reuser_filters_structures_by_part_of_their_city(client, referential):
    StructureFactory(code="CAF-69-VIL", name="Accueil de Villeurbanne", city="VILLEURBANNE")

    assert codes(client.get(URL, {"city__icontains": "villeur"})) == ["CAF-69-VIL"]


def test_a_list_filter_with_a_nul_character_is_a_400_not_a_500(client, referential):
    assert client.get(URL, {"code__in": "POL-75,\x00"}).status_code == 400
