"""Password spraying: failed sign-ins are limited per client address across accounts, on both sign-in pages."""

import datetime
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide-2026"
LOGIN = "/agents/connexion/"
ADMIN_LOGIN = "/admin/login/"
SPRAYER = "203.0.113.7"
NEIGHBOUR = "198.51.100.4"
LIMIT = 30
BLOCKED = "Trop de tentatives de connexion"


def sign_in(client, email, password=PASSWORD, url=LOGIN):
    return client.post(url, {"username": email, "password": password})


def spray(client, count: int, urls=(LOGIN,)) -> None:
    """One wrong common password on `count` different accounts: axes locks none of them."""
    for index, user in enumerate(f.UserFactory.create_batch(count)):
        response = sign_in(client, user.email, "Motdepasse2026!", url=urls[index % len(urls)])
        assert response.status_code == 200


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_address_spraying_many_accounts_cannot_sign_in_even_with_a_right_password(url):
    target = f.ModeratorFactory()
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    spray(sprayer, LIMIT)

    response = sign_in(sprayer, target.email, url=url)

    assert response.status_code == 429
    assert BLOCKED in unescape(response.content.decode())
    assert not is_signed_in(sprayer)


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_another_address_can_still_sign_in_while_a_sprayer_is_blocked(url, agent):
    target = f.ModeratorFactory()
    spray(Client(REMOTE_ADDR=SPRAYER), LIMIT)
    neighbour = Client(REMOTE_ADDR=NEIGHBOUR)

    user = target if url == ADMIN_LOGIN else agent
    response = sign_in(neighbour, user.email, url=url)

    assert response.status_code == 302
    assert is_signed_in(neighbour)


def test_failures_on_both_sign_in_pages_add_up():
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    spray(sprayer, LIMIT, urls=(LOGIN, ADMIN_LOGIN))

    assert sign_in(sprayer, f.UserFactory().email, "Motdepasse2026!").status_code == 429


def test_address_below_the_limit_can_still_sign_in(agent):
    client = Client(REMOTE_ADDR=SPRAYER)
    spray(client, LIMIT - 1)

    assert sign_in(client, agent.email)["Location"] == "/agents/"


def test_blocked_address_can_sign_in_again_after_30_minutes(agent):
    client = Client(REMOTE_ADDR=SPRAYER)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        spray(client, LIMIT)
        assert sign_in(client, agent.email).status_code == 429

        clock.shift(datetime.timedelta(minutes=31))
        assert sign_in(client, agent.email)["Location"] == "/agents/"
