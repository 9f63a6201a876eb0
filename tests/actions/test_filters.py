"""The one filter set of the public and the agents' action lists: each list its own filters, the same rules."""

import pytest

from actions.filters import ActionFilter
from actions.models import ImprovementAction, ImprovementActionStatus
from tests.factories import ImprovementActionFactory


def filtered(audience: str, **params) -> set[int]:
    filters = ActionFilter(params, queryset=ImprovementAction.objects.all(), audience=audience)
    return set(filters.qs.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("audience", "names"),
    [
        ("public", ["structure", "reseau", "statut"]),
        ("agents", ["structure", "etat", "publication"]),
    ],
)
def test_each_list_offers_its_own_filters_in_its_order(db, audience, names):
    assert list(ActionFilter(audience=audience, queryset=ImprovementAction.objects.none()).form.fields) == names


@pytest.mark.parametrize(("audience", "status_parameter"), [("public", "statut"), ("agents", "etat")])
def test_both_lists_filter_by_state_under_their_own_parameter(structure_tree, audience, status_parameter):
    engaged = ImprovementActionFactory(structure=structure_tree["mine"])
    done_on = engaged.engaged_on
    ImprovementActionFactory(structure=structure_tree["mine"], status=ImprovementActionStatus.DONE, done_on=done_on)

    assert filtered(audience, **{status_parameter: "engaged"}) == {engaged.pk}


@pytest.mark.parametrize("audience", ["public", "agents"])
def test_structure_filter_includes_the_structures_below_it(structure_tree, audience):
    mine = ImprovementActionFactory(structure=structure_tree["mine"])
    child = ImprovementActionFactory(structure=structure_tree["child"])
    ImprovementActionFactory(structure=structure_tree["sibling"])

    assert filtered(audience, structure=structure_tree["mine"].code) == {mine.pk, child.pk}
    assert filtered(audience, structure="INCONNU") == set()


def test_public_list_ignores_the_agents_filters(structure_tree):
    draft = ImprovementActionFactory(structure=structure_tree["mine"])

    assert filtered("public", publication="oui", etat="done") == {draft.pk}


def test_agents_filter_by_publication(structure_tree):
    draft = ImprovementActionFactory(structure=structure_tree["mine"])
    public = ImprovementActionFactory(structure=structure_tree["mine"], is_public=True)

    assert filtered("agents", publication="oui") == {public.pk}
    assert filtered("agents", publication="non") == {draft.pk}
    assert filtered("agents", reseau=str(structure_tree["foreign"].network_id)) == {draft.pk, public.pk}
