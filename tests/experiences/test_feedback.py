"""« Moi aussi », visitors' votes on responses and the author's evaluation: each counts once."""

import pytest
from django.test import Client
from django.urls import reverse

from common.exceptions import Refused
from common.ratelimit import EVALUATION_RATE, ME_TOO_RATE, VOTE_RATE
from experiences.author_links import make_evaluation_token
from experiences.models import MeToo, ModerationState, ResponseState, ResponseVote
from experiences.services.feedback import add_me_too, evaluate_response, vote_on_response
from tests.factories import ExperienceFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def _me_too_url(experience) -> str:
    return reverse("experiences:me_too", kwargs={"public_id": experience.public_id})


def _vote_url(response) -> str:
    public_id = response.assignment.experience.public_id
    return reverse("experiences:vote", kwargs={"public_id": public_id, "response_id": response.pk})


def _allowed(rate: str) -> int:
    return int(rate.split("/")[0])


# Services


def test_me_too_counts_once_per_visitor_key():
    experience = ExperienceFactory()

    assert add_me_too(experience=experience, visitor_key="a") is True
    assert add_me_too(experience=experience, visitor_key="a") is False
    assert add_me_too(experience=experience, visitor_key="b") is True

    experience.refresh_from_db()
    assert experience.me_too_count == 2
    assert MeToo.objects.filter(experience=experience).count() == 2


def test_me_too_refused_on_unpublished_experience():
    with pytest.raises(Refused):
        add_me_too(experience=ExperienceFactory(moderation_state=ModerationState.SUBMITTED), visitor_key="a")


def test_vote_counts_once_per_visitor_per_response():
    response, other = ResponseFactory(), ResponseFactory()

    assert vote_on_response(response=response, visitor_key="a", is_useful=True) is True
    assert vote_on_response(response=response, visitor_key="a", is_useful=False) is False
    assert vote_on_response(response=response, visitor_key="b", is_useful=False) is True
    assert vote_on_response(response=other, visitor_key="a", is_useful=True) is True

    response.refresh_from_db()
    assert (response.visitor_useful_count, response.visitor_not_useful_count) == (1, 1)


def test_vote_refused_on_unpublished_response():
    with pytest.raises(Refused):
        vote_on_response(response=ResponseFactory(state=ResponseState.DRAFT), visitor_key="a", is_useful=True)


def test_author_evaluation_is_idempotent():
    response = ResponseFactory()

    first = evaluate_response(response=response, is_useful=True)
    second = evaluate_response(response=response, is_useful=False)

    assert second.pk == first.pk
    assert second.is_useful is True


# Through the site


def test_visitor_says_me_too_once_with_same_browser(client):
    experience = ExperienceFactory()

    first = client.post(_me_too_url(experience), follow=True)
    second = client.post(_me_too_url(experience), follow=True)

    assert "Merci, c&#x27;est noté" in first.content.decode()
    assert "Vous avez déjà indiqué avoir vécu une expérience similaire." in second.content.decode()
    experience.refresh_from_db()
    assert experience.me_too_count == 1
    assert '<span class="spplus-me-too-count">1</span> personne a vécu' in second.content.decode()


def test_two_visitors_say_me_too(client):
    experience = ExperienceFactory()

    client.post(_me_too_url(experience))
    Client().post(_me_too_url(experience))

    experience.refresh_from_db()
    assert experience.me_too_count == 2


def test_visitor_with_forged_session_cookie_counts_once_per_real_session(client):
    experience = ExperienceFactory()
    client.cookies["sessionid"] = "forged-session-key-that-does-not-exist"

    client.post(_me_too_url(experience))
    client.post(_me_too_url(experience))

    experience.refresh_from_db()
    assert experience.me_too_count == 1
    assert MeToo.objects.get().visitor_key != "forged-session-key-that-does-not-exist"


@pytest.mark.parametrize("state", [ModerationState.SUBMITTED, ModerationState.REJECTED, ModerationState.TO_MODIFY])
def test_visitor_cannot_say_me_too_on_unpublished_experience(client, state):
    experience = ExperienceFactory(moderation_state=state)

    assert client.post(_me_too_url(experience)).status_code == 404
    assert not MeToo.objects.exists()


def test_me_too_needs_post(client):
    assert client.get(_me_too_url(ExperienceFactory())).status_code == 405


def test_me_too_needs_csrf_token():
    experience = ExperienceFactory()

    assert Client(enforce_csrf_checks=True).post(_me_too_url(experience)).status_code == 403


def test_visitor_votes_once_per_response(client):
    response = ResponseFactory()

    first = client.post(_vote_url(response), {"avis": "utile"}, follow=True)
    second = client.post(_vote_url(response), {"avis": "pas-utile"}, follow=True)
    Client().post(_vote_url(response), {"avis": "pas-utile"})

    assert "votre avis sur cette réponse est enregistré" in first.content.decode()
    assert "Vous avez déjà donné votre avis sur cette réponse." in second.content.decode()
    response.refresh_from_db()
    assert (response.visitor_useful_count, response.visitor_not_useful_count) == (1, 1)
    assert ResponseVote.objects.count() == 2


@pytest.mark.parametrize("state", [ResponseState.DRAFT, ResponseState.PENDING_VALIDATION, ResponseState.UNPUBLISHED])
def test_visitor_cannot_vote_on_unpublished_response(client, state):
    response = ResponseFactory(state=state)

    assert client.post(_vote_url(response), {"avis": "utile"}).status_code == 404
    assert not ResponseVote.objects.exists()


def test_visitor_cannot_vote_on_response_of_unpublished_experience(client):
    response = ResponseFactory(assignment__experience__moderation_state=ModerationState.SUBMITTED)

    assert client.post(_vote_url(response), {"avis": "utile"}).status_code == 404


def test_visitor_cannot_vote_through_another_experience(client):
    response, other = ResponseFactory(), ExperienceFactory()
    url = reverse("experiences:vote", kwargs={"public_id": other.public_id, "response_id": response.pk})

    assert client.post(url, {"avis": "utile"}).status_code == 404


def test_vote_without_a_choice_changes_nothing(client):
    response = ResponseFactory()

    page = client.post(_vote_url(response), {"avis": "peut-être"}, follow=True)

    assert "Choisissez « Utile » ou « Pas utile »." in page.content.decode()
    assert not ResponseVote.objects.exists()


# Rate limits


@pytest.mark.parametrize(
    ("rate", "url_of", "data"),
    [
        (ME_TOO_RATE, lambda: _me_too_url(ExperienceFactory()), {}),
        (VOTE_RATE, lambda: _vote_url(ResponseFactory()), {"avis": "utile"}),
        (
            EVALUATION_RATE,
            lambda: reverse("experiences:evaluate", kwargs={"token": make_evaluation_token(ResponseFactory())}),
            {"avis": "utile"},
        ),
    ],
    ids=["me_too", "vote", "evaluation"],
)
def test_public_writes_answer_429_in_french_past_the_rate(client, rate, url_of, data):
    url = url_of()
    for _ in range(_allowed(rate)):
        assert client.post(url, data).status_code != 429

    refused = client.post(url, data)

    assert refused.status_code == 429
    assert "Vous avez fait trop de demandes en peu de temps" in refused.content.decode()
