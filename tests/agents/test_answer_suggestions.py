"""Answer suggestions on the agent's experience page: past published answers to similar experiences."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from experiences import similar
from experiences.models import ModerationState, Response, ResponseState, ResponseStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

APL_TITLE = "APL suspendue après mon déménagement"
APL_TEXT = (
    "Depuis mon déménagement, la caisse a suspendu mes aides au logement. J'ai envoyé mon nouveau bail et "
    "l'attestation du bailleur, personne ne répond au téléphone et le loyer s'accumule."
)
OTHER_TITLE = "Horaires d'ouverture du guichet trop courts"
OTHER_TEXT = "Le guichet ferme à midi le mercredi et je travaille : impossible de déposer mes justificatifs papier."


@pytest.fixture(autouse=True)
def fresh_frequencies():
    similar.forget_frequencies()
    yield
    similar.forget_frequencies()


def answered(structure, title, description, body, state=ResponseState.PUBLISHED, **experience):
    experience = f.ExperienceFactory(title=title, description=description, **experience)
    assignment = f.AssignmentFactory(
        experience=experience, structure=structure, response_status=ResponseStatus.ANSWERED
    )
    return f.ResponseFactory(assignment=assignment, body=body, state=state)


@pytest.fixture
def waiting(structure_tree):
    """The new experience the agent of « mine » answers: the APL story told again."""
    experience = f.ExperienceFactory(
        title="Aides au logement bloquées depuis que j'ai déménagé",
        description="J'ai déménagé, plus d'aide au logement. Bail et attestation du bailleur envoyés, "
        "toujours suspendue, impossible d'avoir quelqu'un au téléphone et mon loyer s'accumule.",
    )
    return f.AssignmentFactory(experience=experience, structure=structure_tree["mine"])


def page(client, assignment, **params):
    response = client.get(reverse("agents:experience", args=[assignment.experience.public_id]), params)
    assert response.status_code == 200
    return response


def offered(response) -> list[Response]:
    return [s.response for s in response.context["workspaces"][0]["suggestions"]]


def test_the_structures_own_answer_comes_first_then_the_networks_never_another_network(
    client, agent, structure_tree, waiting
):
    own = answered(structure_tree["mine"], APL_TITLE, APL_TEXT, "Nous avons rétabli vos aides au logement.")
    network = answered(structure_tree["sibling"], APL_TITLE, APL_TEXT + " Encore.", "Votre dossier est régularisé.")
    answered(structure_tree["foreign"], APL_TITLE, APL_TEXT, "Réponse d'un autre réseau.")
    answered(structure_tree["mine"], OTHER_TITLE, OTHER_TEXT, "Nos horaires changent en janvier.")
    client.force_login(agent)
    response = page(client, waiting)
    assert offered(response) == [own, network]
    content = response.content.decode()
    assert "Réponses déjà publiées à des expériences semblables (2)" in content
    assert "Réponse d&#x27;un autre réseau" not in content


def test_drafts_and_answers_to_unpublished_experiences_are_never_offered(client, agent, structure_tree, waiting):
    answered(structure_tree["sibling"], APL_TITLE, APL_TEXT, "Brouillon d'une structure voisine.", ResponseState.DRAFT)
    answered(
        structure_tree["mine"],
        APL_TITLE,
        APL_TEXT,
        "Réponse à une expérience retirée.",
        moderation_state=ModerationState.REJECTED,
    )
    client.force_login(agent)
    assert offered(page(client, waiting)) == []


def test_starting_from_an_answer_fills_the_draft_without_saving_anything(client, agent, structure_tree, waiting):
    own = answered(structure_tree["mine"], APL_TITLE, APL_TEXT, "Nous avons rétabli vos aides au logement.")
    client.force_login(agent)
    response = page(client, waiting, orientation=waiting.pk, partir_de=own.pk)
    form = response.context["workspaces"][0]["response_form"]
    assert form["body"].value() == own.body
    assert "est copiée dans le champ « Votre réponse »" in response.content.decode()
    assert not Response.objects.filter(assignment=waiting).exists()


def test_an_answer_not_offered_here_is_never_copied(client, agent, structure_tree, waiting):
    draft = answered(structure_tree["foreign"], APL_TITLE, APL_TEXT, "Brouillon secret.", ResponseState.DRAFT)
    client.force_login(agent)
    response = page(client, waiting, orientation=waiting.pk, partir_de=draft.pk)
    assert response.context["workspaces"][0]["response_form"]["body"].value() in (None, "")
    assert "Brouillon secret" not in response.content.decode()


def test_no_suggestion_once_the_answer_is_published_or_for_a_reader(client, agent, structure_tree, waiting):
    answered(structure_tree["mine"], APL_TITLE, APL_TEXT, "Nous avons rétabli vos aides au logement.")
    f.ResponseFactory(assignment=waiting, body="Déjà répondu.")
    client.force_login(agent)
    assert offered(page(client, waiting)) == []


def test_more_suggestions_cost_no_more_queries(client, agent, structure_tree, waiting):
    answered(structure_tree["mine"], APL_TITLE, APL_TEXT, "Réponse une.")
    client.force_login(agent)
    page(client, waiting)  # the lexeme frequencies are read once per process
    with CaptureQueriesContext(connection) as one:
        assert len(offered(page(client, waiting))) == 1
    for n in range(2):
        answered(structure_tree["mine"], APL_TITLE, f"{APL_TEXT} Version {n}.", f"Réponse {n}.")
    with CaptureQueriesContext(connection) as three:
        assert len(offered(page(client, waiting))) == 3
    # Three of its own spare the network's search: never more queries for more suggestions.
    assert len(three.captured_queries) <= len(one.captured_queries)
