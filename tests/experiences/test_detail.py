"""One experience's public page and the author's evaluation link."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from experiences.author_links import evaluation_url, make_evaluation_token, read_evaluation_token
from experiences.models import AuthorEvaluation, ModerationState, ResponseState, ResponseStatus
from tests.factories import (
    AssignmentFactory,
    ExperienceFactory,
    ImprovementActionFactory,
    ResponseFactory,
    StructureFactory,
)

pytestmark = pytest.mark.django_db


def _answer(experience, structure=None, **response_fields):
    """A response of `structure` to `experience`, published unless told otherwise."""
    assignment = AssignmentFactory(
        experience=experience,
        structure=structure or StructureFactory(),
        response_status=response_fields.pop("response_status", ResponseStatus.ANSWERED),
    )
    return ResponseFactory(assignment=assignment, **response_fields)


def test_visitor_can_read_published_experience(client):
    experience = ExperienceFactory(
        title="Renouvellement de titre de séjour",
        description="Première ligne du récit.\nDeuxième ligne du récit.",
        feeling="negative",
        pseudonym="Camille75",
    )
    structure = StructureFactory(name="Préfecture de police", public_name="Préfecture de police de Paris")
    _answer(experience, structure, body="Nous avons revu nos horaires.", formula="Bien à vous,", signature="L'accueil")

    page = client.get(experience.get_absolute_url())

    assert page.status_code == 200
    html = page.content.decode()
    assert "Renouvellement de titre de séjour" in html
    assert "Première ligne du récit.<br>Deuxième ligne du récit." in html
    assert "Ressenti négatif" in html
    assert "Camille75" in html
    assert "Paris (75)" in html
    assert f'href="/structures/{structure.code}/"' in html
    assert "Préfecture de police de Paris" in html
    assert "Nous avons revu nos horaires." in html
    assert "Bien à vous," in html
    assert "L&#x27;accueil" in html


@pytest.mark.parametrize("state", [ResponseState.DRAFT, ResponseState.PENDING_VALIDATION, ResponseState.UNPUBLISHED])
def test_visitor_cannot_see_response_when_not_published(client, state):
    experience = ExperienceFactory()
    _answer(
        experience,
        body="Texte pas encore public",
        state=state,
        published_at=None if state != "unpublished" else timezone.now(),
    )

    html = client.get(experience.get_absolute_url()).content.decode()

    assert "Texte pas encore public" not in html
    assert "pas encore publié de réponse" in html


def test_visitor_sees_adopted_response_with_its_origin(client):
    experience = ExperienceFactory()
    origin = _answer(experience, StructureFactory(name="Caisse primaire"), body="La réponse commune des deux services.")
    _answer(
        experience,
        StructureFactory(name="Mairie"),
        body="",
        formula="",
        signature="",
        adopted_from=origin,
        response_status=ResponseStatus.ADOPTED,
    )

    html = client.get(experience.get_absolute_url()).content.decode()

    assert "Réponse adoptée de Caisse primaire" in html
    assert html.count("La réponse commune des deux services.") == 2


def test_visitor_sees_only_public_actions(client):
    experience = ExperienceFactory()
    public = ImprovementActionFactory(
        title="Horaires affichés", is_public=True, status="done", done_on=timezone.localdate()
    )
    hidden = ImprovementActionFactory(title="Projet interne", is_public=False)
    public.experiences.add(experience)
    hidden.experiences.add(experience)

    html = client.get(experience.get_absolute_url()).content.decode()

    assert "Horaires affichés" in html
    assert "Action réalisée" in html
    assert "Projet interne" not in html


@pytest.mark.parametrize("state", [ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY])
def test_visitor_cannot_open_experience_when_not_published(client, state):
    experience = ExperienceFactory(moderation_state=state)

    assert client.get(experience.get_absolute_url()).status_code == 404


def test_visitor_gets_404_for_unknown_experience(client):
    assert client.get(reverse("experiences:detail", kwargs={"public_id": 999999})).status_code == 404


def test_author_email_appears_nowhere_on_the_page(client):
    experience = ExperienceFactory(author_email="secret.auteur@example.org")
    _answer(experience)

    html = client.get(experience.get_absolute_url()).content.decode()

    assert "secret.auteur" not in html


def test_script_in_title_and_response_comes_back_escaped(client):
    experience = ExperienceFactory(title="<script>alert('titre')</script>")
    _answer(experience, body="<script>alert('réponse')</script>")

    html = client.get(experience.get_absolute_url()).content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;réponse&#x27;)&lt;/script&gt;" in html


@pytest.mark.parametrize("structures", [1, 3])
def test_page_query_count_does_not_grow_with_structures(client, django_assert_num_queries, structures):
    experience = ExperienceFactory()
    first = _answer(experience)
    if structures == 3:
        _answer(experience)
        _answer(experience, body="", adopted_from=first, response_status=ResponseStatus.ADOPTED)
    for _ in range(structures):
        ImprovementActionFactory(is_public=True).experiences.add(experience)

    # The experience, its assignments with structures and responses, its public actions, the advice beside it.
    with django_assert_num_queries(4):
        assert client.get(experience.get_absolute_url()).status_code == 200


# The author's evaluation


def test_evaluation_url_is_absolute_and_reads_back(settings):
    settings.SITE_URL = "https://spplus.example.gouv.fr"
    response = ResponseFactory()

    url = evaluation_url(response)

    assert url.startswith("https://spplus.example.gouv.fr/experiences/evaluer/")
    assert read_evaluation_token(make_evaluation_token(response)) == response


def test_author_can_evaluate_response_once(client):
    response = ResponseFactory(body="Nous avons pris contact avec vous.")
    url = reverse("experiences:evaluate", kwargs={"token": make_evaluation_token(response)})

    page = client.get(url)
    assert page.status_code == 200
    assert response.assignment.experience.title in page.content.decode()
    assert "Nous avons pris contact avec vous." in page.content.decode()
    assert "Cette réponse vous a-t-elle été utile ?" in page.content.decode()

    answered = client.post(url, {"avis": "pas-utile"}, follow=True)
    assert "Merci, votre évaluation est enregistrée." in answered.content.decode()

    again = client.post(url, {"avis": "utile"})
    assert "Vous avez déjà évalué cette réponse" in again.content.decode()
    assert "pas utile" in again.content.decode()
    evaluation = AuthorEvaluation.objects.get(response=response)
    assert evaluation.is_useful is False


def test_author_cannot_evaluate_with_tampered_token(client):
    response = ResponseFactory()
    token = make_evaluation_token(response)
    tampered = token.replace(f"{response.pk}:", f"{response.pk + 1}:", 1)

    page = client.post(reverse("experiences:evaluate", kwargs={"token": tampered}), {"avis": "utile"})

    assert page.status_code == 400
    assert "Ce lien d'évaluation n'est pas valide" in page.content.decode()
    assert not AuthorEvaluation.objects.exists()


def test_author_cannot_evaluate_with_expired_token(client):
    response = ResponseFactory()
    token = make_evaluation_token(response)
    url = reverse("experiences:evaluate", kwargs={"token": token})

    with time_machine.travel(timezone.now() + datetime.timedelta(days=61)):
        page = client.post(url, {"avis": "utile"})

    assert page.status_code == 410
    assert "Ce lien d'évaluation a expiré" in page.content.decode()
    assert not AuthorEvaluation.objects.exists()


def test_evaluation_link_max_age_follows_setting(client, settings):
    settings.EVALUATION_LINK_MAX_AGE_DAYS = 5
    url = reverse("experiences:evaluate", kwargs={"token": make_evaluation_token(ResponseFactory())})

    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        assert client.get(url).status_code == 410


def test_author_cannot_evaluate_unpublished_response(client):
    response = ResponseFactory(state=ResponseState.UNPUBLISHED)

    page = client.get(reverse("experiences:evaluate", kwargs={"token": make_evaluation_token(response)}))

    assert page.status_code == 404
    assert "plus en ligne" in page.content.decode()


def test_author_sees_adopted_text_and_its_origin_when_evaluating(client):
    experience = ExperienceFactory()
    origin = _answer(experience, StructureFactory(name="Caisse primaire"), body="Le texte adopté par la mairie.")
    adopting = _answer(
        experience,
        StructureFactory(name="Mairie"),
        body="",
        adopted_from=origin,
        response_status=ResponseStatus.ADOPTED,
    )

    html = client.get(
        reverse("experiences:evaluate", kwargs={"token": make_evaluation_token(adopting)})
    ).content.decode()

    assert "Réponse de Mairie" in html
    assert "Réponse adoptée de Caisse primaire" in html
    assert "Le texte adopté par la mairie." in html
