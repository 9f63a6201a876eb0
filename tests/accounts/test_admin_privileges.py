"""A DITP moderator in the user admin, signed in through the admin's login form: no privilege, no password."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from notifications.models import OutboxEmail
from tests import factories as f
from tests.helpers import admin_form_data

PASSWORD = "mot-de-passe-solide-2026"  # tests/factories.py
NEW_PASSWORD = "un-autre-mot-de-passe-2026"
PRIVILEGES = {"is_staff": "on", "is_moderator": "on", "is_superuser": "on"}

pytestmark = pytest.mark.django_db


def _change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def _password_url(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


@pytest.fixture
def moderator_session(client, moderator):
    """The moderator signs in as a person does: the admin's login form, a real session cookie."""
    response = client.post(reverse("admin:login"), {"username": moderator.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


@pytest.fixture
def agent_account(db):
    return f.MembershipFactory().user


def _privileges(user) -> tuple:
    user.refresh_from_db()
    return (user.is_staff, user.is_moderator, user.is_superuser, user.groups.count(), user.user_permissions.count())


@pytest.mark.parametrize("field", ["is_staff", "is_moderator", "is_superuser", "groups", "user_permissions"])
def test_moderator_sees_privilege_fields_read_only(moderator_session, agent_account, moderator, field):
    for user in (agent_account, moderator):
        form = moderator_session.get(_change_url(user)).context["adminform"].form
        assert field not in form.fields, user
        assert f'name="{field}"' not in moderator_session.get(_change_url(user)).content.decode()


@pytest.mark.parametrize("target", ["agent", "self"])
@pytest.mark.parametrize("field", ["is_staff", "is_moderator", "is_superuser", "groups", "user_permissions"])
def test_moderator_cannot_grant_a_privilege_with_a_forged_post(
    moderator_session, agent_account, moderator, target, field
):
    user = agent_account if target == "agent" else moderator
    group = Group.objects.create(name="Administrateurs")
    group.permissions.set(Permission.objects.all())
    before = _privileges(user)
    url = _change_url(user)
    data = admin_form_data(moderator_session.get(url))
    forged = {
        **PRIVILEGES,
        "groups": [str(group.pk)],
        "user_permissions": [str(p.pk) for p in Permission.objects.all()[:5]],
    }
    data[field] = forged[field]
    data["first_name"] = "Renommée"

    response = moderator_session.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _privileges(user) == before
    assert user.first_name == "Renommée"  # the rest of the form still saves


@pytest.mark.parametrize("privileged", ["superuser", "moderator", "staff"])
def test_moderator_cannot_change_an_account_with_admin_access(moderator_session, superuser, privileged):
    user = {
        "superuser": superuser,
        "moderator": f.ModeratorFactory(),
        "staff": f.UserFactory(is_staff=True),
    }[privileged]
    url = _change_url(user)
    page = moderator_session.get(url)
    assert page.status_code == 200  # readable, as every account
    assert 'name="email"' not in page.content.decode()
    data = {"email": "moderateur@example.org", "first_name": "Pirate", "is_active": "", **PRIVILEGES}

    assert moderator_session.post(url, data).status_code == 403

    user.refresh_from_db()
    assert (user.email, user.first_name, user.is_active) != ("moderateur@example.org", "Pirate", False)
    assert user.check_password(PASSWORD if privileged != "superuser" else "mot-de-passe-admin-2026")


@pytest.mark.parametrize("target", ["agent", "self", "superuser"])
def test_moderator_cannot_open_or_post_the_password_form(
    moderator_session, agent_account, moderator, superuser, target
):
    user = {"agent": agent_account, "self": moderator, "superuser": superuser}[target]
    url = _password_url(user)

    assert moderator_session.get(url).status_code == 403
    response = moderator_session.post(
        url, {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_moderator_change_form_has_no_password_field_nor_link(moderator_session, agent_account):
    html = moderator_session.get(_change_url(agent_account)).content.decode()
    assert _password_url(agent_account) not in html
    assert "../password/" not in html
    assert "Ni visible ni modifiable ici" in html


def test_moderator_creates_an_account_without_a_password_and_the_user_gets_a_link(
    moderator_session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_session.post(
            reverse("admin:accounts_user_add"),
            {
                "email": "Nouvelle.Agente@example.gouv.fr",
                "first_name": "Léa",
                "last_name": "Petit",
                "usable_password": "true",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                **PRIVILEGES,
            },
        )

    assert response.status_code == 302
    user = User.objects.get(email="nouvelle.agente@example.gouv.fr")
    assert not user.has_usable_password()
    assert (user.is_staff, user.is_moderator, user.is_superuser) == (False, False, False)
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "/agents/mot-de-passe/" in message.body


def test_moderator_sends_a_reset_link_that_lets_the_user_choose_a_password(
    moderator_session, agent_account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_session.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_password_reset", "_selected_action": [agent_account.pk]},
            follow=True,
        )

    assert "Lien envoyé à 1 utilisateur(s)." in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [agent_account.email]
    path = re.search(r"https?://[^/\s]+(/agents/mot-de-passe/\S+/)", message.body).group(1)
    user_client = Client()
    form_page = user_client.get(path, follow=True)
    assert form_page.status_code == 200
    user_client.post(form_page.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    agent_account.refresh_from_db()
    assert agent_account.check_password(NEW_PASSWORD)


def test_moderator_cannot_send_a_reset_link_to_the_administrator(moderator_session, superuser):
    response = moderator_session.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_password_reset", "_selected_action": [superuser.pk]},
        follow=True,
    )

    assert "Aucun lien pour les comptes désactivés" in response.content.decode()
    assert not OutboxEmail.objects.filter(kind="password_reset").exists()


def test_superuser_still_grants_privileges_and_sets_passwords(client, superuser, agent_account):
    client.post(reverse("admin:login"), {"username": superuser.email, "password": "mot-de-passe-admin-2026"})
    url = _change_url(agent_account)
    data = admin_form_data(client.get(url))
    data.update(is_staff="on", is_moderator="on")
    assert client.post(url, data).status_code == 302
    assert client.get(_password_url(agent_account)).status_code == 200
    response = client.post(
        _password_url(agent_account), {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    agent_account.refresh_from_db()
    assert (agent_account.is_staff, agent_account.is_moderator) == (True, True)
    assert agent_account.check_password(NEW_PASSWORD)


def test_account_opened_by_a_moderator_can_ask_for_a_new_link_when_the_first_expired(
    client, django_capture_on_commit_callbacks
):
    user = User.objects.create_user("nouvelle.agente@example.gouv.fr", password=None)
    assert not user.has_usable_password()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agents:password_reset"), {"email": "Nouvelle.Agente@example.gouv.fr"})

    (message,) = mail.outbox
    assert message.to == [user.email]
