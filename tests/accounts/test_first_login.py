"""Issue 18: an account opened in the admin gets one welcome e-mail with a single-use link, valid 24 hours, to
choose its password, and the sign-in page's address (seed 003); the admin can send the link again."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import OutboxEmail, OutboxStatus
from tests import factories as f
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide-2026"  # tests/factories.py
ADMIN_PASSWORD = "mot-de-passe-admin-2026"  # tests/conftest.py
NEW_PASSWORD = "un-tout-nouveau-secret-2026"
OTHER_PASSWORD = "encore-un-autre-secret-2026"
EMAIL = "lea.petit@example.gouv.fr"
ADD_URL = reverse("admin:accounts_user_add")
CHANGELIST_URL = reverse("admin:accounts_user_changelist")
LOGIN_URL = f"{settings.SITE_URL}/agents/connexion/"
EXPIRED = "Ce lien n'est plus valable"
PASSWORD_FORM = "Choisir votre mot de passe"


def _admin_session(user, password) -> Client:
    client = Client()
    assert client.post(reverse("admin:login"), {"username": user.email, "password": password}).status_code == 302
    return client


@pytest.fixture
def superuser_session(superuser):
    return _admin_session(superuser, ADMIN_PASSWORD)


@pytest.fixture
def moderator_session(moderator):
    return _admin_session(moderator, PASSWORD)


def _create(session, capture, **data) -> object:
    with capture(execute=True):
        # As a browser does: the superuser's form posts its radio button checked by default, the moderator's has none.
        data = {"email": EMAIL, "first_name": "Léa", "last_name": "Petit", "usable_password": "false", **data}
        return session.post(ADD_URL, data)


def _link(message) -> str:
    """The path of the e-mail's password link, which starts with the site's address."""
    (url,) = set(re.findall(r"\S+/agents/mot-de-passe/[^/\s]+/[^/\s]+/", message.body))
    assert url.startswith(f"{settings.SITE_URL}/agents/")
    return url.removeprefix(settings.SITE_URL)


def _choose_password(link: str, password: str) -> str:
    """Follow the link as the user does in a fresh browser; returns the page it ends on."""
    browser = Client()
    page = browser.get(link, follow=True)
    if PASSWORD_FORM not in page.content.decode():
        return unescape(page.content.decode())
    done = browser.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    return unescape(browser.get(done["Location"]).content.decode()) if done.status_code == 302 else ""


def _signs_in(email: str, password: str) -> bool:
    return Client().post(LOGIN_URL, {"username": email, "password": password}).status_code == 302


def _welcome_emails() -> list:
    return [m for m in mail.outbox if m.subject.startswith("Votre compte Services Publics+ est ouvert")]


@pytest.mark.parametrize("session", ["superuser_session", "moderator_session"])
def test_an_account_opened_in_the_admin_gets_one_welcome_email(session, request, django_capture_on_commit_callbacks):
    admin = request.getfixturevalue(session)

    response = _create(admin, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert message.subject == "Votre compte Services Publics+ est ouvert : choisissez votre mot de passe"
    assert "Bonjour Léa," in message.body
    assert "valable 24 heures et une seule fois" in message.body
    assert LOGIN_URL in message.body
    html = message.alternatives[0][0]
    assert f'href="{LOGIN_URL}"' in html
    assert f'href="{settings.SITE_URL}{_link(message)}"' in html
    assert OutboxEmail.objects.get().kind == "account_created"
    assert f"Un lien pour choisir son mot de passe a été envoyé à {EMAIL}." in unescape(
        admin.get(response["Location"]).content.decode()
    )


def test_later_saves_of_the_account_send_nothing(superuser_session, django_capture_on_commit_callbacks):
    _create(superuser_session, django_capture_on_commit_callbacks)
    user = User.objects.get(email=EMAIL)
    url = reverse("admin:accounts_user_change", args=[user.pk])

    with django_capture_on_commit_callbacks(execute=True):
        for first_name in ("Léa-Marie", "Léa"):
            data = admin_form_data(superuser_session.get(url))
            data["first_name"] = first_name
            assert superuser_session.post(url, data).status_code == 302

    assert OutboxEmail.objects.count() == len(mail.outbox) == 1


def test_superuser_add_form_offers_the_email_link_first(superuser_session):
    field = superuser_session.get(ADD_URL).context["adminform"].form.fields["usable_password"]

    assert field.initial == "false"
    assert field.choices[0] == ("false", "Choisi par l'utilisateur (lien envoyé par e-mail)")


def test_a_password_set_by_the_superuser_sends_no_email(superuser_session, django_capture_on_commit_callbacks):
    response = _create(
        superuser_session,
        django_capture_on_commit_callbacks,
        usable_password="true",
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
    )

    assert response.status_code == 302
    assert _signs_in(EMAIL, NEW_PASSWORD)
    assert not mail.outbox
    assert not OutboxEmail.objects.exists()


def test_the_link_sets_the_password_once_then_is_refused(superuser_session, django_capture_on_commit_callbacks):
    _create(superuser_session, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])

    assert "Votre mot de passe est enregistré" in _choose_password(link, NEW_PASSWORD)
    assert _signs_in(EMAIL, NEW_PASSWORD)

    assert EXPIRED in _choose_password(link, OTHER_PASSWORD)
    assert _signs_in(EMAIL, NEW_PASSWORD)
    assert not _signs_in(EMAIL, OTHER_PASSWORD)


def test_the_link_expires_after_24_hours(superuser_session, django_capture_on_commit_callbacks):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _create(superuser_session, django_capture_on_commit_callbacks)
        link = _link(mail.outbox[0])

        clock.shift(datetime.timedelta(hours=23, minutes=59))
        assert PASSWORD_FORM in Client().get(link, follow=True).content.decode()
        clock.shift(datetime.timedelta(minutes=2))
        page = _choose_password(link, NEW_PASSWORD)

    assert EXPIRED in page
    assert not User.objects.get(email=EMAIL).has_usable_password()


def _resend(session, user, capture):
    with capture(execute=True):
        return session.post(
            CHANGELIST_URL, {"action": "send_password_reset", "_selected_action": [user.pk]}, follow=True
        )


def test_resending_to_an_unopened_account_sends_the_welcome_email_again_and_keeps_the_first_link(
    moderator_session, django_capture_on_commit_callbacks
):
    _create(moderator_session, django_capture_on_commit_callbacks)
    user = User.objects.get(email=EMAIL)
    first = _link(mail.outbox[0])

    response = _resend(moderator_session, user, django_capture_on_commit_callbacks)

    assert "Lien envoyé à 1 utilisateur(s)." in response.content.decode()
    assert len(_welcome_emails()) == 2
    second = _link(mail.outbox[1])
    # A lost or late first e-mail still works: sending again invalidates nothing ...
    assert PASSWORD_FORM in Client().get(first, follow=True).content.decode()
    _choose_password(second, NEW_PASSWORD)
    assert _signs_in(EMAIL, NEW_PASSWORD)
    # ... until one of the links has been used: then all of them are spent.
    assert EXPIRED in _choose_password(first, OTHER_PASSWORD)
    assert _signs_in(EMAIL, NEW_PASSWORD)


def test_resending_to_an_account_in_use_sends_a_reset_link_and_keeps_the_password(
    moderator_session, django_capture_on_commit_callbacks
):
    agent = f.MembershipFactory().user

    _resend(moderator_session, agent, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == "Choisir un nouveau mot de passe Services Publics+"
    assert OutboxEmail.objects.get().kind == "password_reset"
    assert _signs_in(agent.email, PASSWORD)


def test_an_unopened_account_that_signed_in_otherwise_gets_a_reset_link(
    moderator_session, django_capture_on_commit_callbacks
):
    user = f.UserFactory(last_login=timezone.now())
    user.set_unusable_password()
    user.save()

    _resend(moderator_session, user, django_capture_on_commit_callbacks)

    assert OutboxEmail.objects.get().kind == "password_reset"


@pytest.mark.parametrize("who", ["agent", "staff_without_rights"])
def test_only_the_admins_open_accounts(client, who, django_capture_on_commit_callbacks):
    user = f.MembershipFactory().user if who == "agent" else f.UserFactory(is_staff=True)
    client.force_login(user)

    response = _create(client, django_capture_on_commit_callbacks)

    assert response.status_code == (302 if who == "agent" else 403)
    if who == "agent":
        assert response["Location"].startswith(reverse("admin:login"))
    assert not User.objects.filter(email=EMAIL).exists()
    assert not mail.outbox


def test_the_welcome_link_leaves_the_database_once_sent_and_the_admin_never_shows_it(
    superuser_session, django_capture_on_commit_callbacks
):
    _create(superuser_session, django_capture_on_commit_callbacks)
    token = _link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    stored = OutboxEmail.objects.get(kind="account_created")

    assert stored.status == OutboxStatus.SENT
    assert token not in stored.body_text + stored.body_html
    assert "lien-retire-apres-envoi" in stored.body_text
    page = superuser_session.get(reverse("admin:notifications_outboxemail_change", args=[stored.pk]))
    assert "Contenu masqué : cet e-mail contient un lien personnel." in page.content.decode()


def test_opening_an_account_costs_a_bounded_number_of_queries(
    moderator_session, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert moderator_session.get(ADD_URL).status_code == 200
    with django_assert_max_num_queries(20):
        _create(moderator_session, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_the_welcome_link_page_costs_a_bounded_number_of_queries(
    superuser_session, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _create(superuser_session, django_capture_on_commit_callbacks)
    browser = Client()
    form_url = browser.get(_link(mail.outbox[0]))["Location"]

    with django_assert_max_num_queries(2):  # the session and the user
        page = browser.get(form_url)

    assert "Choisissez le mot de passe avec lequel vous vous connecterez" in unescape(page.content.decode())
