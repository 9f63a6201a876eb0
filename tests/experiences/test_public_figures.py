"""Beat refreshes the public figures of large subtrees; the page serves them without counting."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.templatetags.scorecards import cached_structure_scorecard
from experiences.models import ResponseStatus
from experiences.selectors.public_pages import STRUCTURE_FIGURES_SECONDS, figures_cache_key
from experiences.services import public_figures
from experiences.tasks import refresh_large_structure_figures_task
from tests.factories import AssignmentFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed_tree(structure_tree):
    """child 3 routings, mine 1, sibling 1, foreign 1: subtrees root 5, mine 4, child 3."""
    for structure, count in (("child", 3), ("mine", 1), ("sibling", 1), ("foreign", 1)):
        for _ in range(count):
            AssignmentFactory(structure=structure_tree[structure])
    return structure_tree


def page_figures(client, structure):
    response = client.get(reverse("experiences:structure", kwargs={"code": structure.code}))
    assert response.status_code == 200
    return response.context["figures"]


def aggregates(queries) -> list[str]:
    return [query["sql"] for query in queries if "COUNT(DISTINCT" in query["sql"]]


def test_subtree_routing_counts_add_each_subtree_to_its_ancestors(routed_tree):
    counts = public_figures.subtree_routing_counts()

    expected = {"root": 5, "mine": 4, "child": 3, "sibling": 1, "foreign": 1}
    assert {name: counts[routed_tree[name].pk] for name in expected} == expected


def test_refresh_counts_and_caches_only_the_large_subtrees(routed_tree):
    assert public_figures.refresh_large_structure_figures(min_routings=4) == 2

    assert cache.get(figures_cache_key(routed_tree["root"].pk)).assignment_count == 5
    assert cache.get(figures_cache_key(routed_tree["mine"].pk)).assignment_count == 4
    assert cache.get(figures_cache_key(routed_tree["child"].pk)) is None
    assert cache.get(figures_cache_key(routed_tree["foreign"].pk)) is None


def test_page_serves_the_last_refreshed_figures_until_beat_counts_again(client, routed_tree, monkeypatch):
    monkeypatch.setattr(public_figures, "LARGE_SUBTREE_ROUTINGS", 4)
    root = routed_tree["root"]
    refresh_large_structure_figures_task.apply()
    AssignmentFactory(structure=routed_tree["child"], response_status=ResponseStatus.ANSWERED)

    assert page_figures(client, root).assignment_count == 5
    refresh_large_structure_figures_task.apply()
    figures = page_figures(client, root)
    assert (figures.assignment_count, figures.answered_count) == (6, 1)
    assert figures.experience_count == 6


def test_page_never_counts_the_subtree_when_figures_are_cached(
    client, routed_tree, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(public_figures, "LARGE_SUBTREE_ROUTINGS", 4)
    public_figures.refresh_large_structure_figures()
    # structure, children, the subtree's ids (a small tree: written into the next query), the page of
    # experiences, actions (none: no linked experiences), results; a network root of 193,000 routings and
    # more than INLINE_SUBTREE_IDS structures has no ids query. The scorecard is cached too (its own test).
    cached_structure_scorecard(routed_tree["root"])
    with django_assert_num_queries(6), CaptureQueriesContext(connection) as queries:
        page_figures(client, routed_tree["root"])
    assert aggregates(queries) == []


def test_page_counts_its_figures_itself_on_an_empty_cache(client, routed_tree):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        figures = page_figures(client, routed_tree["root"])

    assert (figures.experience_count, figures.assignment_count) == (5, 5)
    assert len(aggregates(queries)) == 1
    assert cache.get(figures_cache_key(routed_tree["root"].pk)) == figures


def test_refresh_of_an_empty_database_caches_nothing(db):
    StructureFactory()
    assert public_figures.refresh_large_structure_figures(min_routings=1) == 0


def test_beat_refreshes_before_the_figures_expire():
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-large-structure-figures"]
    assert entry["schedule"] == public_figures.REFRESH_SECONDS < public_figures.FRESH_FOR_SECONDS
    # While beat runs, the figures are never older than the page says (« toutes les 10 minutes »).
    assert public_figures.REFRESH_SECONDS <= STRUCTURE_FIGURES_SECONDS
