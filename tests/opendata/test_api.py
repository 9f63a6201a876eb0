"""The typologies, indicators and results API: filters, cursor pagination, throttling."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

from tests.factories import StructureFactory, TypologyFactory
from tests.transparency.factories import IndicatorFactory, ResultFactory

pytestmark = pytest.mark.django_db


def test_visitor_filters_typologies_by_code_list_and_name(client):
    TypologyFactory(code="TypA", name="Préfecture")
    TypologyFactory(code="TypB", name="Sous-préfecture")
    TypologyFactory(code="TypC", name="CAF")
    names = lambda query: sorted(t["name"] for t in client.get(f"/api/v1/typologies/{query}").json()["results"])  # noqa: E731
    assert names("?code__in=TypA,TypC") == ["CAF", "Préfecture"]
    assert names("?name__icontains=préfecture") == ["Préfecture", "Sous-préfecture"]
    detail = client.get("/api/v1/typologies/TypC/").json()
    assert (detail["code"], detail["name"]) == ("TypC", "CAF")


def test_visitor_filters_results_on_numbers_and_dates(client, django_assert_max_num_queries):
    structure = StructureFactory()
    indicator = IndicatorFactory(network=structure.network)
    for value, day in [("12.5", 1), ("50", 2), ("98.5", 3)]:
        ResultFactory(structure=structure, indicator=indicator, value=Decimal(value), period=f"202{day}",
                      updated_on=datetime.date(2026, 1, day))  # fmt: skip
    with django_assert_max_num_queries(1):
        body = client.get("/api/v1/resultats/?value__gt=20&updated_on__lt=2026-01-03").json()
    assert [row["value"] for row in body["results"]] == ["50.000"]
    assert body["results"][0]["indicator_code"] == indicator.code
    in_codes = client.get(f"/api/v1/resultats/?structure__in={structure.code},AUTRE&period__in=2021,2023").json()
    assert sorted(row["period"] for row in in_codes["results"]) == ["2021", "2023"]


def test_visitor_walks_indicators_with_a_cursor_without_counting(client):
    for n in range(5):
        IndicatorFactory(code=f"IND-{500 + n}", network=None)
    first = client.get("/api/v1/indicateurs/?page_size=2&code__in=IND-500,IND-501,IND-502,IND-503,IND-504").json()
    assert "count" not in first and len(first["results"]) == 2
    seen = [row["code"] for row in first["results"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["code"] for row in page["results"]]
    assert sorted(seen) == [f"IND-{500 + n}" for n in range(5)]


def test_anonymous_visitor_over_the_rate_limit_is_told_when_to_come_back(client, monkeypatch):
    # DRF reads the rates once, into the class: patched there for this test only.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    cache.clear()
    statuses = [client.get("/api/v1/typologies/").status_code for _ in range(2)]
    refused = client.get("/api/v1/typologies/")
    assert statuses == [200, 200] and refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_visitor_filters_experiences_in_the_tabular_apis_spirit(client):
    from tests.factories import ExperienceFactory

    at = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    old = ExperienceFactory(published_at=at, me_too_count=0)
    popular = ExperienceFactory(published_at=at + datetime.timedelta(days=2), me_too_count=8)
    outside = ExperienceFactory(published_at=at + datetime.timedelta(days=3), is_outside_structures=True)

    def ids(query: dict) -> set[int]:
        return {row["id"] for row in client.get("/api/v1/experiences/", query).json()["results"]}

    assert ids({"id__in": f"{old.public_id},{outside.public_id}"}) == {old.public_id, outside.public_id}
    assert ids({"me_too_count__gte": 5}) == {popular.public_id}
    assert ids({"published_at__gt": "2026-03-02T00:00:00Z", "published_at__lt": "2026-03-03T23:00:00Z"}) == {
        popular.public_id
    }
    assert ids({"outside_structures": "true"}) == {outside.public_id}


def test_openapi_schema_describes_every_field_and_parameter():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    undescribed = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not (spec.get("description") or spec.get("title"))
    ]
    undescribed += [
        f"{path} {parameter['name']}"
        for path, methods in schema["paths"].items()
        for operation in methods.values()
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    assert undescribed == []
    assert schema["paths"]["/api/v1/resultats/"]["get"]["responses"]["429"]["headers"]["Retry-After"]


def test_visitor_walks_experiences_oldest_first_without_repeating_a_row(client):
    from tests.factories import ExperienceFactory

    at = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    # Two share a publication date: the primary key orders them, so no page repeats or skips one.
    made = [ExperienceFactory(published_at=at + datetime.timedelta(days=min(n, 3))) for n in range(5)]
    page = client.get("/api/v1/experiences/", {"ordering": "published_at", "page_size": 2}).json()
    seen = [row["id"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    assert seen == [experience.public_id for experience in made]
