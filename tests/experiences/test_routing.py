"""The routing suggestion on a tree: the typology's structure covering the department, else its nearest ancestor."""

import pytest

from experiences.models import ModerationState
from experiences.selectors.routing import nearest_common_ancestor, suggest_routing
from structures.models import Structure
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def tax_tree():
    """A national direction → regional directions → tax offices (typology SIP) in departments."""
    sip = f.TypologyFactory(name="Service des impôts des particuliers")
    other = f.TypologyFactory(name="Trésorerie", network=sip.network)
    national = f.StructureFactory(
        name="DGFiP", network=sip.network, typology=None, insee_department="", insee_region=""
    )
    ara = f.StructureFactory(
        parent=national, name="DRFiP Auvergne-Rhône-Alpes", typology=None, insee_department="69", insee_region="84"
    )
    idf = f.StructureFactory(
        parent=national, name="DRFiP Île-de-France", typology=None, insee_department="75", insee_region="11"
    )
    lyon3 = f.StructureFactory(
        parent=ara, name="SIP Lyon 3", typology=sip, insee_department="69", insee_region="84", postal_code="69003"
    )
    lyon7 = f.StructureFactory(
        parent=ara, name="SIP Lyon 7", typology=sip, insee_department="69", insee_region="84", postal_code="69007"
    )
    grenoble = f.StructureFactory(
        parent=ara, name="SIP Grenoble", typology=sip, insee_department="38", insee_region="84"
    )
    paris = f.StructureFactory(
        parent=idf,
        name="SIP Paris",
        typology=sip,
        insee_department="75",
        insee_region="11",
        served_departments="75, 92",
    )
    f.StructureFactory(parent=idf, name="Trésorerie Paris", typology=other, insee_department="75", insee_region="11")
    structures = {
        "national": national,
        "ara": ara,
        "idf": idf,
        "lyon3": lyon3,
        "lyon7": lyon7,
        "grenoble": grenoble,
        "paris": paris,
    }
    for structure in structures.values():
        structure.refresh_from_db()
    return {"sip": sip, **structures}


def experience_about(typology, department: str | None, region: str | None, postal_code: str = ""):
    experience = f.ExperienceFactory(
        moderation_state=ModerationState.SUBMITTED, department_id=department, region_id=region, postal_code=""
    )
    f.ExperienceTypologyFactory(experience=experience, typology=typology, postal_code=postal_code)
    return experience


def suggested(experience) -> list[Structure]:
    return [s.structure for s in suggest_routing(experience)]


def test_the_only_structure_of_the_typology_in_the_department_is_suggested(tax_tree):
    assert suggested(experience_about(tax_tree["sip"], "38", "84")) == [tax_tree["grenoble"]]


def test_a_structure_serving_the_department_is_suggested(tax_tree):
    # SIP Paris lists 92 among the departments it serves.
    assert suggested(experience_about(tax_tree["sip"], "92", "11")) == [tax_tree["paris"]]


def test_the_postal_code_picks_one_of_several_structures_in_the_department(tax_tree):
    assert suggested(experience_about(tax_tree["sip"], "69", "84", postal_code="69007")) == [tax_tree["lyon7"]]


def test_several_structures_in_the_department_suggest_their_nearest_common_ancestor(tax_tree):
    (suggestion,) = suggest_routing(experience_about(tax_tree["sip"], "69", "84"))
    assert suggestion.structure == tax_tree["ara"]
    assert "parente commune des 2 structures" in suggestion.why


def test_no_structure_in_the_department_falls_back_to_the_region(tax_tree):
    # Nothing of the typology in Ain (01), three in its region: their regional direction.
    assert suggested(experience_about(tax_tree["sip"], "01", "84")) == [tax_tree["ara"]]


def test_nothing_in_the_region_falls_back_to_the_typology_ancestor(tax_tree):
    assert suggested(experience_about(tax_tree["sip"], "13", "93")) == [tax_tree["national"]]


def test_an_author_abroad_is_routed_to_the_typology_ancestor(tax_tree):
    assert suggested(experience_about(tax_tree["sip"], None, None)) == [tax_tree["national"]]


def test_inactive_structures_are_never_suggested(tax_tree):
    Structure.objects.filter(pk=tax_tree["grenoble"].pk).update(is_active=False)
    assert suggested(experience_about(tax_tree["sip"], "38", "84")) == [tax_tree["ara"]]


def test_each_typology_gives_one_structure_without_duplicates(tax_tree):
    experience = experience_about(tax_tree["sip"], "38", "84")
    second = f.TypologyFactory()
    elsewhere = f.StructureFactory(typology=second, insee_department="38")
    f.ExperienceTypologyFactory(experience=experience, typology=second)
    f.ExperienceTypologyFactory(experience=experience, typology=None, organism_name="La mairie")
    assert suggested(experience) == [tax_tree["grenoble"], elsewhere]


def test_a_typology_without_structures_suggests_nothing(tax_tree):
    assert suggested(experience_about(f.TypologyFactory(), "38", "84")) == []


def test_nearest_common_ancestor_spans_one_tree_only(tax_tree):
    foreign = f.StructureFactory()
    both = Structure.objects.filter(pk__in=[tax_tree["paris"].pk, foreign.pk])
    assert nearest_common_ancestor(both) is None
    pair = Structure.objects.filter(pk__in=[tax_tree["paris"].pk, tax_tree["grenoble"].pk])
    assert nearest_common_ancestor(pair) == (tax_tree["national"], 2)


def test_suggestion_costs_a_fixed_number_of_queries(tax_tree, django_assert_max_num_queries):
    experience = experience_about(tax_tree["sip"], "69", "84", postal_code="69003")
    with django_assert_max_num_queries(5):
        suggest_routing(experience)
