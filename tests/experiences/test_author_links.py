"""The author's two signed links live in one module; a token of one kind never opens the other's page."""

import pytest
from django.core import signing

from experiences.author_links import (
    AUTHOR_EDIT_SALT,
    author_edit_url,
    make_evaluation_token,
    read_author_edit_token,
    read_evaluation_token,
)
from tests.factories import ExperienceFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def test_author_edit_link_reads_back_its_experience():
    experience = ExperienceFactory()
    token = author_edit_url(experience).rstrip("/").rsplit("/", 1)[-1]
    assert read_author_edit_token(token) == experience


def test_author_cannot_edit_with_an_evaluation_token(client):
    response = ResponseFactory()
    page = client.get(f"/experiences/modifier/{make_evaluation_token(response)}/")
    assert page.status_code == 400


def test_author_cannot_evaluate_with_an_edit_token(client):
    response = ResponseFactory()
    # Same value as an evaluation token would carry, signed for the other purpose.
    token = signing.TimestampSigner(salt=AUTHOR_EDIT_SALT).sign(str(response.pk))
    assert client.get(f"/experiences/evaluer/{token}/").status_code == 400


def test_evaluation_token_reads_back_its_response():
    response = ResponseFactory()
    assert read_evaluation_token(make_evaluation_token(response)) == response
