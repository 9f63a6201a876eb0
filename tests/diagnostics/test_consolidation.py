"""Consolidated results: distributions over a parent's descendants or a network, the two-structure rule
(also through the typology filter and per commitment), latest diagnostic per structure, the year."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics import consolidation
from diagnostics.models import AnswerValue as V
from diagnostics.models import Diagnostic
from structures.models import Role
from tests import factories as f
from tests.diagnostics.helpers import completed

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def family(structure_tree):
    """Three children under « mine » with typologies A, A, B; « mine » has its own diagnostic too."""
    mine = structure_tree["mine"]
    a, b = f.TypologyFactory(name="Typologie A"), f.TypologyFactory(name="Typologie B")
    children = [f.StructureFactory(parent=mine, typology=t) for t in (a, a, b)]
    mine.refresh_from_db()
    return {"mine": mine, "children": children, "a": a, "b": b}


def members(family):
    return consolidation.member_structures(parent=family["mine"])


def test_distribution_gives_min_quartiles_median_max():
    d = consolidation.distribution([0.0, 50.0, 100.0, 25.0, 75.0])

    assert (d.count, d.minimum, d.first_quartile, d.median, d.third_quartile, d.maximum) == (5, 0, 25, 50, 75, 100)


def test_one_structure_shows_nothing_but_the_reason(family):
    completed(family["children"][0])
    completed(family["mine"])

    result = consolidation.consolidate(members(family), label="x")

    assert result.refusal == consolidation.TOO_FEW
    assert result.rows == []


def test_two_children_are_consolidated_with_their_latest_diagnostic_only(family):
    first, second, _ = family["children"]
    completed(first, value=V.NO, on=timezone.now() - datetime.timedelta(days=400))
    completed(first, value=V.YES)
    completed(second, value=V.PARTLY)
    completed(family["mine"], value=V.MOSTLY)  # the parent itself is not one of its children

    result = consolidation.consolidate(members(family), label="x")

    overall = result.rows[0].distribution
    assert result.structures == 2
    assert (overall.minimum, overall.median, overall.maximum) == (33.3, 66.7, 100.0)


def test_typology_filter_leaving_one_structure_shows_nothing(family):
    for child in family["children"]:
        completed(child)

    kept = consolidation.consolidate(members(family), label="x", typology_id=family["a"].pk)
    refused = consolidation.consolidate(members(family), label="x", typology_id=family["b"].pk)

    assert kept.structures == 2 and kept.refusal is None
    assert refused.refusal == consolidation.TOO_FEW


def test_a_commitment_scored_by_one_structure_only_is_not_shown(family):
    first, second, _ = family["children"]
    # A version whose commitment 9 holds only network questions, all answered « ne relève pas de la structure ».
    unscored = completed(first)
    unscored.results["commitments"]["9"] = {"score": None, "counted": 0, "left_out": 4}
    unscored.scores = Diagnostic.scores_of(unscored.results)
    unscored.save(update_fields=["results", "scores"])
    completed(second)

    result = consolidation.consolidate(members(family), label="x")

    assert result.rows[9].distribution is None
    assert result.rows[1].distribution.count == 2


def test_only_typologies_with_diagnostics_are_offered(family):
    for child in family["children"][:2]:
        completed(child)

    assert list(consolidation.typologies_with_diagnostics(members(family))) == [family["a"]]


def test_year_keeps_each_structure_latest_diagnostic_of_that_year(family):
    first, second, _ = family["children"]
    last_year = timezone.localdate().year - 1
    completed(first, value=V.NO, on=timezone.make_aware(datetime.datetime(last_year, 3, 1)))
    completed(second, value=V.NO, on=timezone.make_aware(datetime.datetime(last_year, 4, 1)))
    completed(first, value=V.YES)

    result = consolidation.consolidate(members(family), label="x", year=last_year)

    assert result.rows[0].distribution.maximum == 0.0


def test_page_shows_distributions_and_filters_by_typology(client, family):
    for child in family["children"]:
        completed(child)
    evaluator = f.MembershipFactory(structure=family["mine"], role=Role.EVALUATOR).user
    client.force_login(evaluator)
    url = reverse("agents:diagnostics_consolidated")

    whole = text(client.get(url))
    filtered = text(client.get(url, {"structure": family["mine"].code, "typologie": family["b"].pk}))

    assert "3 structures filles" in whole and "Médiane" in whole
    assert "Typologie A" in whole and "Typologie B" in whole
    assert consolidation.TOO_FEW in filtered
    assert family["children"][0].name not in whole


def test_referent_consolidates_the_whole_network(client, structure_tree):
    network = structure_tree["root"].network
    for name in ("mine", "child", "sibling"):
        completed(structure_tree[name])
    referent = f.MembershipFactory(structure=structure_tree["root"], role=Role.REFERENT).user
    client.force_login(referent)

    response = client.get(reverse("agents:diagnostics_consolidated"), {"reseau": network.pk})

    assert response.status_code == 200
    assert f"Réseau {network.name}" in text(response)
    assert "3 structures filles" in text(response)


def test_member_cannot_consolidate_outside_their_scope(client, structure_tree, agent):
    client.force_login(agent)
    url = reverse("agents:diagnostics_consolidated")

    assert client.get(url, {"structure": structure_tree["root"].code}).status_code == 404
    assert client.get(url, {"reseau": structure_tree["root"].network_id}).status_code == 404
