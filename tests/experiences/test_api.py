"""/api/v1/experiences/ and /api/v1/actions/: open data of published experiences and public actions."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework import serializers

from actions.models import ImprovementActionStatus
from experiences import api
from experiences.models import ExperienceStatus, Feeling, GeneralTag, ModerationState, ResponseState, ResponseStatus
from structures.models import Department, Region
from tests.factories import (
    AssignmentFactory,
    AuthorEvaluationFactory,
    BusinessTagFactory,
    ExperienceChannelFactory,
    ExperienceFactory,
    ExperienceTypologyFactory,
    GeneralTagValueFactory,
    ImprovementActionFactory,
    NetworkFactory,
    ResponseFactory,
    StructureFactory,
    TypologyFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/experiences/"
HIDDEN_STATES = [ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY]


@pytest.fixture(autouse=True)
def territories(db):
    region, _ = Region.objects.get_or_create(code="11", defaults={"name": "Île-de-France"})
    Department.objects.get_or_create(code="75", defaults={"name": "Paris", "region": region})
    auvergne, _ = Region.objects.get_or_create(code="84", defaults={"name": "Auvergne-Rhône-Alpes"})
    Department.objects.get_or_create(code="69", defaults={"name": "Rhône", "region": auvergne})


def ids(response) -> list[int]:
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def full_experience():
    """A published experience with a typology and channels, two structures, tags and evaluations."""
    police = NetworkFactory(name="POLICE NATIONALE")
    station = StructureFactory(code="POL-7501", name="Commissariat du 1er", network=police)
    prefecture = StructureFactory(code="PREF-75", name="Préfecture de police")
    experience = ExperienceFactory(
        title="Dépôt de plainte rapide",
        feeling=Feeling.POSITIVE,
        status=ExperienceStatus.ANSWERED,
        me_too_count=4,
        published_at=timezone.make_aware(datetime.datetime(2026, 5, 4, 10, 30)),
        first_response_at=timezone.make_aware(datetime.datetime(2026, 5, 5, 9, 0)),
    )
    typology = ExperienceTypologyFactory(
        experience=experience, typology=TypologyFactory(code="COMMISSARI", name="Commissariat"), postal_code="75001"
    )
    ExperienceChannelFactory(experience_typology=typology, channel="desk")
    ExperienceChannelFactory(experience_typology=typology, channel="phone")
    typology.business_tags.add(BusinessTagFactory(network=police, name="Plainte"))
    action = ImprovementActionFactory(
        structure=station,
        title="Accueil le samedi",
        is_public=True,
        status=ImprovementActionStatus.DONE,
        engaged_on=datetime.date(2026, 5, 6),
        done_on=datetime.date(2026, 6, 1),
    )
    experience.improvement_actions.add(action, ImprovementActionFactory(structure=station, is_public=False))
    response = ResponseFactory(
        assignment__experience=experience,
        assignment__structure=station,
        assignment__needs_improvement=True,
        visitor_useful_count=3,
        visitor_not_useful_count=1,
    )
    AuthorEvaluationFactory(response=response, is_useful=False)
    AssignmentFactory(experience=experience, structure=prefecture)
    GeneralTagValueFactory(experience=experience, tag=GeneralTag.RELATION, value=Feeling.POSITIVE)
    GeneralTagValueFactory(experience=experience, tag=GeneralTag.REACTIVITY, value=Feeling.NEGATIVE)
    return experience


def test_reuser_reads_an_experience_with_the_open_data_fields(client):
    experience = full_experience()

    row = client.get(f"{URL}{experience.public_id}/").json()

    assert row == {
        "id": experience.public_id,
        "state": "Traitée",
        "status": "Expérience avec réponse",
        "published_at": "2026-05-04T10:30:00+02:00",
        "title": "Dépôt de plainte rapide",
        "description": experience.description,
        "author_type": "La personne concernée",
        "feeling": "Positif",
        "department_code": "75",
        "department_name": "Paris",
        "region_code": "11",
        "region_name": "Île-de-France",
        "country": "France",
        "typologies": [
            {
                "code": "COMMISSARI",
                "name": "Commissariat",
                "postal_code": "75001",
                "country": "France",
                "channels": ["Accueil", "Téléphone"],
                "business_tags": ["Plainte"],
            }
        ],
        "structures": [
            {
                "code": "POL-7501",
                "name": "Commissariat du 1er",
                "response_status": "Réponse apportée",
                "visitor_useful_count": 3,
                "visitor_not_useful_count": 1,
                "author_evaluation": "pas utile",
            },
            {
                "code": "PREF-75",
                "name": "Préfecture de police",
                "response_status": "En attente de réponse",
                "visitor_useful_count": 0,
                "visitor_not_useful_count": 0,
                "author_evaluation": "",
            },
        ],
        "general_tags": {"Réactivité": "Négatif", "Relation": "Positif"},
        "me_too_count": 4,
        "needs_improvement": True,
        "outside_structures": False,
        "actions": [
            {
                "id": experience.improvement_actions.get(is_public=True).pk,
                "title": "Accueil le samedi",
                "status": "Action réalisée",
                "engaged_on": "2026-05-06",
                "done_on": "2026-06-01",
            }
        ],
        "first_response_at": "2026-05-05T09:00:00+02:00",
    }


def test_reuser_sees_no_counts_of_an_unpublished_response(client):
    response = ResponseFactory(
        state=ResponseState.UNPUBLISHED, visitor_useful_count=7, assignment__response_status=ResponseStatus.UNPUBLISHED
    )
    AuthorEvaluationFactory(response=response)

    structure = client.get(f"{URL}{response.assignment.experience.public_id}/").json()["structures"][0]

    assert structure["response_status"] == "Réponse dépubliée"
    assert (structure["visitor_useful_count"], structure["author_evaluation"]) == (0, "")


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_reuser_cannot_see_unpublished_experience(client, state):
    hidden = ExperienceFactory(moderation_state=state)
    shown = ExperienceFactory()

    assert ids(client.get(URL)) == [shown.public_id]
    assert client.get(f"{URL}{hidden.public_id}/").status_code == 404


def test_author_email_appears_in_no_api_answer(client):
    experience = full_experience()
    ImprovementActionFactory(is_public=True).experiences.add(experience)
    hidden = ExperienceFactory(moderation_state=ModerationState.REJECTED, rejection_reason="Données personnelles")

    answers = [
        client.get(URL),
        client.get(f"{URL}{experience.public_id}/"),
        client.get("/api/v1/actions/"),
        client.get(f"{URL}{hidden.public_id}/"),
    ]

    for answer in answers:
        raw = answer.content.decode()
        assert experience.author_email not in raw
        assert hidden.author_email not in raw
        assert "@" not in raw
        assert "Données personnelles" not in raw
    assert not {"author_email", "rejection_reason", "moderated_by", "pseudonym"} & set(answers[1].json())


@pytest.fixture
def catalogue():
    """Experiences spread over feelings, statuses, places, networks, typologies, structures and dates."""
    caf = NetworkFactory(name="CAF")
    caf_root = StructureFactory(code="CAF-00", network=caf)
    caf_lyon = StructureFactory(code="CAF-69", parent=caf_root)
    police_station = StructureFactory(code="POL-75", network=NetworkFactory(name="POLICE NATIONALE"))
    rows = {
        "negative_lyon": ExperienceFactory(
            feeling=Feeling.NEGATIVE,
            department_id="69",
            region_id="84",
            published_at=timezone.make_aware(datetime.datetime(2026, 1, 10, 12)),
        ),
        "answered_paris": ExperienceFactory(
            status=ExperienceStatus.ANSWERED, published_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30))
        ),
        "neutral_police": ExperienceFactory(
            feeling=Feeling.NEUTRAL, published_at=timezone.make_aware(datetime.datetime(2026, 6, 1, 8))
        ),
    }
    AssignmentFactory(experience=rows["negative_lyon"], structure=caf_lyon)
    AssignmentFactory(experience=rows["answered_paris"], structure=caf_root)
    AssignmentFactory(experience=rows["neutral_police"], structure=police_station)
    ExperienceTypologyFactory(experience=rows["neutral_police"], typology=TypologyFactory(code="COMMISSARI"))
    rows["caf_network_id"] = caf.pk
    return rows


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"feeling": "negative"}, ["negative_lyon"]),
        ({"status": "answered"}, ["answered_paris"]),
        ({"department": "69"}, ["negative_lyon"]),
        ({"region": "11"}, ["neutral_police", "answered_paris"]),
        ({"network": "police nationale"}, ["neutral_police"]),
        ({"typology": "COMMISSARI"}, ["neutral_police"]),
        ({"structure": "CAF-00"}, ["answered_paris", "negative_lyon"]),
        ({"structure": "CAF-69"}, ["negative_lyon"]),
        ({"structure": "INCONNU"}, []),
        ({"published_after": "2026-03-01"}, ["neutral_police", "answered_paris"]),
        ({"published_before": "2026-03-01"}, ["answered_paris", "negative_lyon"]),
        ({"published_after": "2026-02-01", "published_before": "2026-05-31"}, ["answered_paris"]),
    ],
)
def test_reuser_filters_experiences(client, catalogue, query, expected):
    assert ids(client.get(URL, query)) == [catalogue[name].public_id for name in expected]


def test_reuser_filters_experiences_by_network_id(client, catalogue):
    found = ids(client.get(URL, {"network": catalogue["caf_network_id"]}))

    assert found == [catalogue["answered_paris"].public_id, catalogue["negative_lyon"].public_id]


def test_reuser_gets_a_french_error_for_a_wrong_filter_value(client, catalogue):
    response = client.get(URL, {"feeling": "furieux"})

    assert response.status_code == 400
    assert "feeling" in response.json()


def test_reuser_follows_next_page_links(client, settings):
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    for _ in range(page_size + 1):
        ExperienceFactory()

    first = client.get(URL).json()
    second = client.get(first["next"]).json()

    assert "count" not in first  # a cursor: no exact count of a million rows on every page (issue 21)
    assert (len(first["results"]), len(second["results"])) == (page_size, 1)
    assert second["next"] is None


def test_experiences_api_query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    def add_experiences(count):
        for _ in range(count):
            experience = full_experience_light()
            assert experience.is_published

    add_experiences(2)
    # page (a cursor: no count), typologies (with typology), channels, business tags, assignments (with
    # structure, response, author evaluation), general tags, public actions
    with django_assert_num_queries(7):
        assert len(ids(client.get(URL))) == 2
    add_experiences(10)
    with django_assert_num_queries(7):
        assert len(ids(client.get(URL))) == 12


def full_experience_light():
    experience = ExperienceFactory()
    ExperienceChannelFactory(experience_typology__experience=experience)
    response = ResponseFactory(assignment__experience=experience)
    AuthorEvaluationFactory(response=response)
    AssignmentFactory(experience=experience)
    GeneralTagValueFactory(experience=experience)
    return experience


def test_openapi_schema_describes_experiences_and_actions(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert "/api/v1/experiences/" in schema["paths"]
    assert "/api/v1/experiences/{id}/" in schema["paths"]
    assert "/api/v1/actions/" in schema["paths"]
    properties = schema["components"]["schemas"]["Experience"]["properties"]
    assert "author_email" not in properties
    assert {"id", "state", "status", "structures", "typologies", "general_tags"} <= set(properties)


def test_openapi_schema_validates_without_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))


# --- /api/v1/actions/ -------------------------------------------------------------------------


def test_reuser_lists_public_actions_with_published_experiences_only(client):
    structure = StructureFactory(code="CAF-69")
    action = ImprovementActionFactory(structure=structure, is_public=True, title="Horaires affichés")
    ImprovementActionFactory(structure=structure, is_public=False)
    published = ExperienceFactory()
    action.experiences.add(published, ExperienceFactory(moderation_state=ModerationState.REJECTED))

    body = client.get("/api/v1/actions/").json()

    assert body["count"] == 1
    row = body["results"][0]
    assert (row["title"], row["structure_code"], row["status"]) == ("Horaires affichés", "CAF-69", "Action engagée")
    assert row["experiences"] == [published.public_id]


def test_reuser_filters_actions(client, structure_tree):
    ImprovementActionFactory(structure=structure_tree["child"], is_public=True, title="Antenne")
    ImprovementActionFactory(
        structure=structure_tree["sibling"],
        is_public=True,
        title="Voisine",
        status=ImprovementActionStatus.DONE,
        done_on=timezone.localdate(),
    )

    def titles(query):
        return sorted(row["title"] for row in client.get("/api/v1/actions/", query).json()["results"])

    assert titles({"structure": structure_tree["mine"].code}) == ["Antenne"]
    assert titles({"status": "done"}) == ["Voisine"]
    assert titles({"network": structure_tree["root"].network.name}) == ["Antenne", "Voisine"]
    assert titles({"network": structure_tree["foreign"].network_id}) == []


def test_reuser_reads_an_experience_shared_from_abroad(client):
    experience = ExperienceFactory(department_id=None, region_id=None, country="BE")

    row = client.get(f"{URL}{experience.public_id}/").json()

    assert (row["department_code"], row["department_name"], row["region_code"], row["region_name"]) == (
        None,
        None,
        None,
        None,
    )
    assert row["country"] == "Belgique"
    assert (row["typologies"], row["structures"], row["general_tags"]) == ([], [], {})
    assert row["needs_improvement"] is False


def test_hand_written_representation_equals_drf_field_by_field(client, monkeypatch):
    """The experiences page is written out by hand for speed; DRF's generic walk of the declared fields must agree."""
    full_experience()
    ExperienceFactory(department_id=None, region_id=None, country="BE", first_response_at=None)
    abroad = ExperienceTypologyFactory(
        experience=ExperienceFactory(), typology=None, organism_name="Consulat", postal_code="", country=""
    )
    ResponseFactory(assignment__experience=abroad.experience, assignment__imported_author_evaluation=True)
    AssignmentFactory(experience=abroad.experience, imported_useful_votes=2, imported_not_useful_votes=5)
    ImprovementActionFactory(is_public=True, done_on=None).experiences.add(abroad.experience)
    fast = client.get(URL).json()

    for serializer in (api.ExperienceSerializer, api.ExperienceTypologySerializer, api.AssignmentSerializer):
        monkeypatch.setattr(serializer, "to_representation", serializers.ModelSerializer.to_representation)
    generic = client.get(URL).json()

    assert len(fast["results"]) == 3
    assert json.dumps(fast, sort_keys=False) == json.dumps(generic, sort_keys=False)
