"""Entering the agents' back-office: sign-in and out, password reset by e-mail (seed 003), lock-out, sessions."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide-2026"
NEW_PASSWORD = "un-tout-nouveau-secret-2026"
LOGIN = "/agents/connexion/"
LOGOUT = "/agents/deconnexion/"
RESET = "/agents/mot-de-passe-oublie/"
ADMIN_LOGIN = "/admin/login/"
LOCKED_OUT = "Connexion temporairement bloquée"
WRONG_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."

# Every page of ours that needs a member; POST-only ones included, since the check comes first.
MEMBER_PAGES = [
    "/agents/profil/",
    "/agents/profil/recapitulatif/",
    "/agents/profil/mot-de-passe/",
    "/agents/profil/mot-de-passe/modifie/",
    "/agents/profil/formules/ajouter/",
    "/agents/profil/formules/1/modifier/",
    "/agents/profil/formules/1/supprimer/",
    "/agents/profil/signatures/ajouter/",
    "/agents/profil/signatures/1/modifier/",
    "/agents/profil/signatures/1/supprimer/",
]


def sign_in(client, email, password=PASSWORD, url=LOGIN, **extra):
    return client.post(url, {"username": email, "password": password, **extra})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def request_reset(client, email, capture):
    with capture(execute=True):
        return client.post(RESET, {"email": email})


def reset_link(email) -> str:
    """The path of the reset link in the e-mail, which starts with the site's address."""
    (url,) = set(re.findall(r"\S+/agents/mot-de-passe/[^/\s]+/[^/\s]+/", email.body))
    assert url.startswith(f"{settings.SITE_URL}/agents/")
    return url.removeprefix(settings.SITE_URL)


# Sign in and out


def test_visitor_sees_the_sign_in_form_in_french(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    page = unescape(response.content.decode())
    for text in ("Connexion à l'espace agent", "Adresse e-mail", "Mot de passe", "Mot de passe oublié ?"):
        assert text in page
    assert f'href="{RESET}"' in page


def test_agent_can_sign_in_with_email_and_password(client, agent):
    response = sign_in(client, agent.email.upper())

    assert response.status_code == 302
    assert response["Location"] == "/agents/"
    assert is_signed_in(client)
    assert client.get("/agents/profil/").status_code == 200


@pytest.mark.parametrize("case", ["wrong password", "unknown address"])
def test_visitor_cannot_sign_in_with_wrong_credentials_and_reads_why(client, agent, case):
    email, password = (agent.email, "pas-le-bon") if case == "wrong password" else ("inconnu@example.gouv.fr", PASSWORD)

    response = sign_in(client, email, password)

    assert response.status_code == 200
    assert WRONG_CREDENTIALS in unescape(response.content.decode())
    assert not is_signed_in(client)


def test_visitor_cannot_sign_in_with_empty_fields(client):
    response = client.post(LOGIN, {"username": "", "password": ""})

    page = unescape(response.content.decode())
    assert "Saisissez votre adresse e-mail." in page
    assert "Saisissez votre mot de passe." in page


def test_agent_can_sign_in_and_go_back_to_the_page_asked_for(client, agent):
    response = client.get("/agents/profil/")
    assert response["Location"] == f"{LOGIN}?next=/agents/profil/"

    response = sign_in(client, agent.email, next="/agents/profil/")

    assert response["Location"] == "/agents/profil/"


@pytest.mark.parametrize("next_url", ["https://pirate.example/", "//pirate.example/agents/", "http:/pirate.example"])
def test_agent_cannot_be_sent_to_another_site_after_sign_in(client, agent, next_url):
    response = sign_in(client, agent.email, next=next_url)

    assert response.status_code == 302
    assert response["Location"] == "/agents/"


def test_signed_in_member_is_sent_on_from_the_sign_in_page(client, agent):
    client.force_login(agent)

    assert client.get(LOGIN)["Location"] == "/agents/"
    assert client.get(f"{LOGIN}?next=/agents/profil/")["Location"] == "/agents/profil/"
    assert client.get(f"{LOGIN}?next={LOGIN}")["Location"] == "/agents/"


def test_signed_in_non_member_can_sign_in_with_another_account(client):
    client.force_login(f.UserFactory())

    assert client.get(LOGIN).status_code == 200


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_visitor_cannot_open_agent_pages_without_signing_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_user_without_structure_cannot_open_agent_pages(client, url):
    client.force_login(f.UserFactory())

    response = client.get(url)

    assert response.status_code == 403
    assert "rattaché à aucune structure" in unescape(response.content.decode())


def test_user_without_structure_who_signs_in_learns_why_they_cannot_enter(client):
    user = f.UserFactory()

    response = sign_in(client, user.email)

    assert response["Location"] == "/agents/"
    assert client.get("/agents/profil/").status_code == 403


def test_agent_cannot_sign_out_with_a_get(client, agent):
    client.force_login(agent)

    assert client.get(LOGOUT).status_code == 405
    assert is_signed_in(client)


def test_agent_can_sign_out_and_is_told_so(client, agent):
    client.force_login(agent)

    response = client.post(LOGOUT, follow=True)

    assert response.redirect_chain == [(LOGIN, 302)]
    assert "Vous êtes déconnecté(e)." in response.content.decode()
    assert not is_signed_in(client)
    assert client.get("/agents/profil/").status_code == 302


def test_agent_pages_show_the_sign_out_button_and_the_sign_in_page_does_not(client, agent):
    assert f'action="{LOGOUT}"' not in client.get(LOGIN).content.decode()
    client.force_login(agent)

    assert f'action="{LOGOUT}"' in client.get("/agents/profil/").content.decode()


# Sessions


def test_agent_session_ends_with_the_browser_and_after_eight_hours(client, agent):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, agent.email)
        assert client.session.get_expire_at_browser_close()
        assert client.session.get_expiry_age() == 8 * 3600

        clock.shift(datetime.timedelta(hours=7, minutes=59))
        assert client.get("/agents/profil/").status_code == 200
        clock.shift(datetime.timedelta(minutes=2))
        assert client.get("/agents/profil/").status_code == 302


# Password reset (seed 003: a link by e-mail, valid 24 hours)


def test_agent_receives_a_reset_link_that_lets_them_choose_a_new_password(
    client, agent, django_capture_on_commit_callbacks
):
    response = request_reset(client, agent.email, django_capture_on_commit_callbacks)

    assert response["Location"] == "/agents/mot-de-passe-oublie/envoye/"
    (email,) = mail.outbox
    assert email.to == [agent.email]
    assert "mot de passe" in email.subject
    link = reset_link(email)
    assert link in email.alternatives[0][0]

    form_page = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response["Location"] == "/agents/mot-de-passe/modifie/"
    assert sign_in(client, agent.email, NEW_PASSWORD)["Location"] == "/agents/"


def test_reset_page_says_the_same_whether_the_address_has_an_account_or_not(
    client, agent, django_capture_on_commit_callbacks
):
    known = request_reset(client, agent.email, django_capture_on_commit_callbacks)
    unknown = request_reset(client, "personne@example.gouv.fr", django_capture_on_commit_callbacks)

    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    page = unescape(client.get(unknown["Location"]).content.decode())
    assert "Si un compte d'agent existe avec cette adresse" in page


def test_reset_link_is_refused_after_24_hours(client, agent, django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        request_reset(client, agent.email, django_capture_on_commit_callbacks)
        link = reset_link(mail.outbox[0])

        clock.shift(datetime.timedelta(hours=23, minutes=59))
        assert "Choisir un nouveau mot de passe" in client.get(link, follow=True).content.decode()
        clock.shift(datetime.timedelta(minutes=2))
        page = unescape(client.get(link, follow=True).content.decode())

    assert "Ce lien n'est plus valable" in page
    assert "new_password1" not in page


def test_reset_link_works_only_once(client, agent, django_capture_on_commit_callbacks):
    request_reset(client, agent.email, django_capture_on_commit_callbacks)
    link = reset_link(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    page = unescape(client.get(link, follow=True).content.decode())

    assert "Ce lien n'est plus valable" in page


def test_reset_form_refuses_a_weak_or_mismatched_password_in_french(client, agent, django_capture_on_commit_callbacks):
    request_reset(client, agent.email, django_capture_on_commit_callbacks)
    form_url = client.get(reset_link(mail.outbox[0]))["Location"]

    weak = unescape(client.post(form_url, {"new_password1": "court", "new_password2": "court"}).content.decode())
    mismatched = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})

    assert "trop court" in weak
    assert "ne correspondent pas" in unescape(mismatched.content.decode())
    assert sign_in(client, agent.email)["Location"] == "/agents/"


def test_reset_requests_are_limited_per_address(client, agent, django_capture_on_commit_callbacks):
    for _ in range(3):
        assert request_reset(client, agent.email, django_capture_on_commit_callbacks).status_code == 302

    assert request_reset(client, agent.email.upper(), django_capture_on_commit_callbacks).status_code == 429
    assert len(mail.outbox) == 3


def test_reset_requests_are_limited_per_client_address(client, django_capture_on_commit_callbacks):
    for n in range(20):
        assert request_reset(client, f"agent{n}@example.gouv.fr", django_capture_on_commit_callbacks).status_code == 302

    response = request_reset(client, "encore@example.gouv.fr", django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


# Lock-out after failed sign-ins (django-axes)


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, moderator, url):
    for _ in range(4):
        assert sign_in(client, moderator.email, "pas-le-bon", url=url).status_code == 200

    fifth = sign_in(client, moderator.email, "pas-le-bon", url=url)
    right = sign_in(client, moderator.email, url=url)

    assert fifth.status_code == right.status_code == 429
    page = unescape(right.content.decode())
    assert LOCKED_OUT in page
    assert "pendant 30 minutes" in page
    assert not is_signed_in(client)


def test_lock_out_counts_every_spelling_of_the_address_and_both_sign_in_pages(client, agent):
    spellings = [agent.email, agent.email.upper(), f" {agent.email} ", agent.email.title()]
    for email in spellings:
        sign_in(client, email, "pas-le-bon")

    sign_in(client, agent.email, "pas-le-bon", url=ADMIN_LOGIN)

    assert sign_in(client, agent.email).status_code == 429


def test_lock_out_does_not_touch_other_accounts(client, agent, super_agent):
    for _ in range(5):
        sign_in(client, agent.email, "pas-le-bon")

    assert sign_in(client, super_agent.email)["Location"] == "/agents/"


def test_locked_out_agent_can_sign_in_again_after_30_minutes(client, agent):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            sign_in(client, agent.email, "pas-le-bon")

        clock.shift(datetime.timedelta(minutes=29))
        assert sign_in(client, agent.email).status_code == 429
        # A try during the lock-out starts the 30 minutes again.
        clock.shift(datetime.timedelta(minutes=31))
        assert sign_in(client, agent.email)["Location"] == "/agents/"


def test_successful_sign_in_clears_earlier_failures(client, agent):
    for _ in range(4):
        sign_in(client, agent.email, "pas-le-bon")
    sign_in(client, agent.email)
    client.post(LOGOUT)

    for _ in range(4):
        assert sign_in(client, agent.email, "pas-le-bon").status_code == 200
    assert sign_in(client, agent.email)["Location"] == "/agents/"


def test_locked_out_agent_can_sign_in_at_once_after_a_password_reset(client, agent, django_capture_on_commit_callbacks):
    for _ in range(5):
        sign_in(client, agent.email, "pas-le-bon")

    request_reset(client, agent.email, django_capture_on_commit_callbacks)
    form_url = client.get(reset_link(mail.outbox[0]))["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert sign_in(client, agent.email, NEW_PASSWORD)["Location"] == "/agents/"


def test_administrator_can_still_sign_in_to_the_admin(client, superuser):
    # The admin's sign-in page posts its own `next`.
    response = sign_in(client, "Admin@Example.gouv.fr", "mot-de-passe-admin-2026", url=ADMIN_LOGIN, next="/admin/")

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
