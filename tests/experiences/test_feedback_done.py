"""After « moi aussi » or a vote, the page says it is done instead of offering the same button again."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ExperienceFactory, ResponseFactory

pytestmark = pytest.mark.django_db

ME_TOO_BUTTON = ">Moi aussi</button>"
DONE = "Merci, c'est noté"


def page_of(client, experience) -> str:
    return unescape(client.get(experience.get_absolute_url()).content.decode())


def test_experience_nobody_echoed_does_not_read_zero_people(client):
    page = page_of(client, ExperienceFactory())

    assert "0 personne" not in page and 'spplus-me-too-count">0<' not in page
    assert "Personne n'a encore indiqué avoir vécu une expérience similaire." in page


def test_visitor_who_said_me_too_sees_it_done_and_others_still_see_the_button(client):
    experience = ExperienceFactory()
    client.post(reverse("experiences:me_too", kwargs={"public_id": experience.public_id}))

    page = page_of(client, experience)
    other = page_of(Client(), experience)

    assert ME_TOO_BUTTON not in page
    assert f"disabled>{DONE}</button>" in page
    assert '<span class="spplus-me-too-count">1</span> personne a vécu' in page
    assert ME_TOO_BUTTON in other and f"disabled>{DONE}" not in other


@pytest.mark.parametrize(("answer", "said"), [("utile", "utile"), ("pas-utile", "pas utile")])
def test_visitor_who_voted_sees_their_vote_done_with_disabled_buttons(client, answer, said):
    response = ResponseFactory()
    experience = response.assignment.experience
    vote_url = reverse("experiences:vote", kwargs={"public_id": experience.public_id, "response_id": response.pk})
    client.post(vote_url, {"avis": answer})

    page = page_of(client, experience)

    assert f"{DONE} : vous avez trouvé cette réponse {said}." in page
    assert f'action="{vote_url}"' not in page
    assert page.count("disabled>") == 2
    assert f'action="{vote_url}"' in page_of(Client(), experience)


def test_a_first_visit_creates_no_session(client):
    client.get(ExperienceFactory().get_absolute_url())

    assert "sessionid" not in client.cookies
