"""The agents' list filter « Structure »: the structures of the user's scope by name, never any other."""

import pytest
from django.urls import reverse

from experiences.selectors import agents as selectors
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("agents:experiences")


def routed(structure):
    return f.AssignmentFactory(structure=structure).experience


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def past_the_select(monkeypatch):
    """A scope too large for a select (a network's super agent has thousands of structures)."""
    monkeypatch.setattr(selectors, "STRUCTURE_SELECT_LIMIT", 1)


def test_agent_chooses_among_the_structures_of_their_scope_by_name(agent_client, structure_tree):
    page = agent_client.get(LIST)
    field = page.context["form"].fields["structure"]
    assert field.choices == [
        ("", "Toutes"),
        (structure_tree["child"].code, "Antenne locale"),
        (structure_tree["mine"].code, "Direction départementale"),
    ]
    content = page.content.decode()
    assert f'<option value="{structure_tree["child"].code}">Antenne locale</option>' in content
    for elsewhere in ("Direction voisine", "Direction nationale", "Réseau étranger"):
        assert elsewhere not in content


def test_agent_filters_by_the_structure_chosen(agent_client, structure_tree):
    routed(structure_tree["mine"])
    child = routed(structure_tree["child"])
    page = agent_client.get(LIST, {"structure": structure_tree["child"].code})
    assert list(page.context["page_obj"].object_list) == [child]


def test_two_structures_of_the_same_name_are_told_apart_by_their_parent(agent_client, structure_tree):
    f.StructureFactory(parent=structure_tree["mine"], name="Accueil")
    f.StructureFactory(parent=structure_tree["child"], name="Accueil")
    labels = [label for _, label in agent_client.get(LIST).context["form"].fields["structure"].choices]
    assert "Accueil (Antenne locale)" in labels and "Accueil (Direction départementale)" in labels


def test_past_the_select_agent_types_part_of_a_name(agent_client, structure_tree, past_the_select):
    routed(structure_tree["mine"])
    child = routed(structure_tree["child"])
    page = agent_client.get(LIST, {"structure": "antenne"})
    assert 'type="text" id="id_structure"' in page.content.decode()
    assert list(page.context["page_obj"].object_list) == [child]
    assert list(agent_client.get(LIST, {"structure": structure_tree["child"].code}).context["page_obj"]) == [child]


def test_past_the_select_a_name_outside_the_scope_matches_nothing(agent_client, structure_tree, past_the_select):
    routed(structure_tree["sibling"])
    mine = routed(structure_tree["mine"])
    page = agent_client.get(LIST, {"structure": "Direction voisine"})
    assert "Aucune structure de votre périmètre ne porte ce nom ou ce code." in page.content.decode()
    assert list(page.context["page_obj"].object_list) == [mine]
    assert "Direction voisine" not in page.context["form"].errors["structure"][0]


def test_past_the_select_a_name_matching_several_lists_them(agent_client, structure_tree, past_the_select):
    first = f.StructureFactory(parent=structure_tree["mine"], name="Accueil des familles")
    second = f.StructureFactory(parent=structure_tree["child"], name="Accueil des entreprises")
    f.StructureFactory(parent=structure_tree["sibling"], name="Accueil du public")
    page = agent_client.get(LIST, {"structure": "accueil"})
    assert page.context["form"].errors["structure"] == [
        f"Plusieurs structures correspondent : Accueil des entreprises (code {second.code}) ; "
        f"Accueil des familles (code {first.code}). Précisez le nom ou indiquez le code SP+."
    ]
    assert list(agent_client.get(LIST, {"structure": "Accueil des familles"}).context["page_obj"]) == []
    assert not agent_client.get(LIST, {"structure": "Accueil des familles"}).context["form"].errors
