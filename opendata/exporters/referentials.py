"""Rows of the structures, typologies, indicators and results files."""

import functools
from collections.abc import Iterator

from django.db.models import F
from django.utils import translation
from django_countries import countries

from structures.models import Structure, Typology
from transparency.models import Indicator, IndicatorKind, Result, UnitType

from ..formats import day, decimal, yes_no

CHUNK = 2000
INSEE_PREFIXES = {
    "insee_commune": "com",
    "insee_department": "dep",
    "insee_region": "reg",
    "insee_arrondissement": "arr",
}


@functools.cache  # a few hundred codes, asked once per cell of a million rows
def country_name(code: str) -> str:
    """The country in French, as the referential writes it (« France »)."""
    if not code:
        return ""
    with translation.override("fr"):
        return str(countries.name(code))


def structure_rows() -> Iterator[list]:
    # Tree order (parents first), the order of the structure_tree_bounds index.
    structures = Structure.objects.order_by("tree_id", "lft").values(
        "code", "name", "public_name", "description", "external_id", "external_id_type", "address",
        "address_complement", "postal_code", "city", "country", "served_postal_codes", "served_departments",
        "website", "mailbox", "tracking_key", "is_active", *INSEE_PREFIXES,
        network_name=F("network__name"), typology_name=F("typology__name"), typology_code=F("typology__code"),
        parent_code=F("parent__code"), parent_name=F("parent__name"),
    )  # fmt: skip
    for s in structures.iterator(chunk_size=CHUNK):
        yield [
            s["code"], s["network_name"], s["typology_name"] or "", s["name"], s["public_name"], s["description"],
            s["external_id"], s["external_id_type"], s["parent_code"] or "", s["parent_name"] or "", s["address"],
            s["address_complement"], s["postal_code"], s["city"], country_name(s["country"]),
            s["served_postal_codes"], s["served_departments"], s["website"], s["mailbox"], s["tracking_key"],
            yes_no(s["is_active"]), s["typology_code"] or "",
            *[prefix + s[name] if s[name] else "" for name, prefix in INSEE_PREFIXES.items()],
        ]  # fmt: skip


def typology_rows() -> Iterator[list]:
    for code, name, network in Typology.objects.order_by("code").values_list("code", "name", "network__name"):
        yield [code, name, network]


def indicator_rows() -> Iterator[list]:
    kinds, units = dict(IndicatorKind.choices), dict(UnitType.choices)
    indicators = Indicator.objects.filter(is_active=True).order_by("code")
    for i in indicators.values("code", "original_label", "label", "kind", "sources_and_methods", "unit_type", "unit",
                               network_name=F("network__name")):  # fmt: skip
        yield [
            i["code"], i["network_name"] or "", i["original_label"], i["label"], kinds[i["kind"]],
            i["sources_and_methods"], units[i["unit_type"]], i["unit"],
        ]  # fmt: skip


def result_rows() -> Iterator[list]:
    results = Result.objects.order_by("pk").values(
        "code", "value", "frequency", "period", "updated_on",
        network_name=F("structure__network__name"), typology_name=F("structure__typology__name"),
        structure_name=F("structure__name"), structure_code=F("structure__code"),
        indicator_label=F("indicator__original_label"), indicator_code=F("indicator__code"),
    )  # fmt: skip
    for r in results.iterator(chunk_size=CHUNK):
        yield [
            r["code"], r["network_name"], r["typology_name"] or "", r["structure_name"], r["structure_code"],
            r["indicator_label"], r["indicator_code"], decimal(r["value"]), r["frequency"], r["period"],
            day(r["updated_on"]),
        ]  # fmt: skip
