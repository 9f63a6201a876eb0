"""The routing suggestion in Paris, Lyon and Marseille, on the real structures of the referential.

Their citizens give an arrondissement postal code (69003) while the referential places many services
in the city as a whole (69000, commune 69123): the suggestion must still find the city's service, not
climb to the regional directorate.
"""

import csv
from pathlib import Path

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

import structures
from experiences.models import ModerationState
from experiences.selectors.routing import suggest_routing
from structures.importers import import_structures
from structures.models import Structure, Typology
from structures.territories import city_of_postal_code
from tests import factories as f
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db

REAL_FILE = Path(structures.__file__).resolve().parent / "data" / "export-structures.csv"
CODE, PARENT, TYPOLOGY_CODE, DEPARTMENT = 0, 8, 21, 23
TRESORERIE, PUBLICITE_FONCIERE, IMPOTS_PARTICULIERS = "DBTKPR9uNc", "r5WRamUBto", "Z2Rv0ibiPX"
DRFIP_AURA, DRFIP_PACA = "aqSYV4JN66", "FTEBTTgAn6"
TRESORERIE_LYON = "MDvUwrXx29"  # Trésorerie LYON MUNICIPALE-METROPOLE LYON: 69000, com69123
TRESORERIE_MARSEILLE = "8gPYDBAUaY"  # Trésorerie MARSEILLE MUN. ET METROPOLE AMP: 13000, com13055
SPF_MARSEILLE = "FuIaaaLL4x"  # Service de publicité foncière (SPF) MARSEILLE 3: 13000, com13055
SIP_PARIS_11 = "TpXXJUPRRn"  # Service des Impôts des particuliers (SIP) PARIS 11E: 75011
QUEUE = reverse("admin:experiences_experiencetomoderate_changelist")


@pytest.fixture
def real_structures(tmp_path):
    """The real rows of three DGFiP typologies in Rhône, Bouches-du-Rhône, Paris and Seine-Saint-Denis,
    with every ancestor, imported by the project's importer."""
    with open(REAL_FILE, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle, delimiter=";"))
    by_code = {row[CODE]: row for row in rows}
    kept = {
        row[CODE]
        for row in rows
        if row[TYPOLOGY_CODE] in (TRESORERIE, PUBLICITE_FONCIERE, IMPOTS_PARTICULIERS)
        and row[DEPARTMENT] in ("dep69", "dep13", "dep75", "dep93")
    }
    for code in list(kept):
        while parent := by_code[code][PARENT]:
            kept.add(parent)
            code = parent
    path = tmp_path / "export-structures.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(
            [header, *(row for row in rows if row[CODE] in kept)]
        )
    report = import_structures(path)
    assert report.errors == []
    return {structure.code: structure for structure in Structure.objects.all()}


def experience_about(typology_code: str, author_postal_code: str, *, service_postal_code: str = ""):
    department = author_postal_code[:2]
    experience = f.ExperienceFactory(
        moderation_state=ModerationState.SUBMITTED,
        department_id=department,
        region_id={"69": "84", "13": "93", "75": "11", "93": "11"}[department],
        postal_code=author_postal_code,
    )
    f.ExperienceTypologyFactory(
        experience=experience, typology=Typology.objects.get(code=typology_code), postal_code=service_postal_code
    )
    return experience


def suggested_codes(experience) -> list[str]:
    return [suggestion.structure.code for suggestion in suggest_routing(experience)]


@pytest.mark.parametrize(
    ("typology", "author_postal_code", "expected"),
    [
        (TRESORERIE, "69003", TRESORERIE_LYON),
        (TRESORERIE, "69009", TRESORERIE_LYON),
        (TRESORERIE, "13008", TRESORERIE_MARSEILLE),
        (PUBLICITE_FONCIERE, "13001", SPF_MARSEILLE),
        (IMPOTS_PARTICULIERS, "75011", SIP_PARIS_11),
    ],
)
def test_an_arrondissement_postal_code_finds_the_city_service(real_structures, typology, author_postal_code, expected):
    assert suggested_codes(experience_about(typology, author_postal_code)) == [expected]


def test_the_suggestion_says_it_chose_the_city(real_structures):
    (suggestion,) = suggest_routing(experience_about(TRESORERIE, "69003"))
    assert suggestion.why == "seule structure de cette typologie à Lyon, ville du code postal indiqué"


def test_several_services_in_the_city_suggest_their_common_parent_and_say_why(real_structures):
    # Four active land registry offices in Lyon, all placed at 69000: the city does not choose one.
    (suggestion,) = suggest_routing(experience_about(PUBLICITE_FONCIERE, "69002"))
    assert suggestion.structure.code == DRFIP_AURA
    assert suggestion.why == (
        "parente commune des 4 structures de cette typologie qui sont à Lyon, ville du code postal indiqué"
    )


def test_the_service_postal_code_wins_over_the_author_address(real_structures):
    # A citizen of Saint-Denis (93) writing about the Paris 11th tax office.
    experience = experience_about(IMPOTS_PARTICULIERS, "93200", service_postal_code="75011")
    assert suggested_codes(experience) == [SIP_PARIS_11]


def test_a_service_postal_code_of_an_arrondissement_finds_the_city_service(real_structures):
    experience = experience_about(TRESORERIE, "69100", service_postal_code="69007")
    assert suggested_codes(experience) == [TRESORERIE_LYON]


def test_a_service_abroad_is_routed_to_the_typology_ancestor(real_structures):
    experience = experience_about(TRESORERIE, "69003")
    experience.typologies.update(country="IT", postal_code="00186")
    assert suggested_codes(experience) == ["ijupDG83v7"]  # DGFIP, the network's root


def test_arrondissement_postal_codes_of_the_three_cities():
    assert [city_of_postal_code(code).insee_code for code in ("75001", "75020", "75116", "75000")] == ["75056"] * 4
    assert [city_of_postal_code(code).insee_code for code in ("69001", "69009", "69000")] == ["69123"] * 3
    assert [city_of_postal_code(code).insee_code for code in ("13001", "13016", "13000")] == ["13055"] * 3
    assert [city_of_postal_code(code) for code in ("75021", "69010", "13017", "69100", "")] == [None] * 5


def test_bulk_publish_by_suggestion_routes_a_lyon_experience_to_the_lyon_service(
    moderator_client, real_structures, django_capture_on_commit_callbacks
):
    experience = experience_about(TRESORERIE, "69003")

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(QUEUE, {"action": "bulk_publish", ACTION_CHECKBOX_NAME: [experience.pk]})

    experience.refresh_from_db()
    assert experience.is_published
    assert experience.assignments.get().structure.code == TRESORERIE_LYON


def test_moderator_sets_the_service_postal_code_and_the_page_suggests_its_service(moderator_client, real_structures):
    experience = experience_about(IMPOTS_PARTICULIERS, "93200")
    page = reverse("admin:experiences_experiencetomoderate_change", args=[experience.pk])
    data = admin_form_data(moderator_client.get(page))
    (postal_code_field,) = [name for name in data if name.endswith("-0-postal_code")]
    data[postal_code_field] = "75011"

    assert moderator_client.post(page, data).status_code == 302

    form = moderator_client.get(page).context["adminform"].form
    assert form.fields["structures"].initial == [real_structures[SIP_PARIS_11].pk]
