"""The outbox in the admin: moderators read it without seeing recipients' addresses and re-send failures."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from notifications import services
from notifications.models import OutboxEmail, OutboxStatus

from .conftest import RECIPIENT

pytestmark = pytest.mark.django_db

MASKED = "c***@example.org"
CHANGELIST = reverse("admin:notifications_outboxemail_changelist")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def failed_email(pending_email):
    OutboxEmail.objects.filter(pk=pending_email.pk).update(
        status=OutboxStatus.FAILED, attempts=8, last_error="SMTPException: 550 boîte pleine"
    )
    return pending_email


def test_moderator_can_list_the_outbox_without_reading_addresses(moderator_client, pending_email):
    page = moderator_client.get(CHANGELIST)

    assert page.status_code == 200
    html = page.content.decode()
    assert escape(pending_email.subject) in html
    assert MASKED in html
    assert RECIPIENT not in html


def test_moderator_can_open_an_email_without_reading_its_address(moderator_client, failed_email):
    page = moderator_client.get(reverse("admin:notifications_outboxemail_change", args=[failed_email.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert MASKED in html
    assert "550 boîte pleine" in html
    assert RECIPIENT not in html


def test_agent_cannot_open_the_outbox(client, agent, pending_email):
    client.force_login(agent)

    page = client.get(CHANGELIST)

    assert page.status_code == 302
    assert page.url.startswith(reverse("admin:login"))


def test_moderator_can_resend_a_failed_email(moderator_client, failed_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = moderator_client.post(
            CHANGELIST, {"action": "resend", "_selected_action": [failed_email.pk]}, follow=True
        )

    assert escape("1 e-mail(s) remis en file d'envoi.") in page.content.decode()
    (message,) = mail.outbox
    assert message.to == [RECIPIENT]
    failed_email.refresh_from_db()
    assert failed_email.status == OutboxStatus.SENT


def test_moderator_is_told_when_a_sent_email_has_nothing_to_resend(
    moderator_client, pending_email, django_capture_on_commit_callbacks
):
    services.deliver(pending_email.pk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        page = moderator_client.post(
            CHANGELIST, {"action": "resend", "_selected_action": [pending_email.pk]}, follow=True
        )

    assert "Aucun e-mail en échec ou en attente dans la sélection." in page.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("kind", ["password_reset", "account_created", "response_published", "experience_to_modify"])
def test_moderator_cannot_read_an_email_whose_link_is_a_credential(client, moderator, kind):
    email = OutboxEmail.objects.create(
        kind=kind,
        to="agent@example.gouv.fr",
        subject="Réinitialiser votre mot de passe",
        body_text="https://spplus.example/agents/mot-de-passe/MQ/secret-token/",
        body_html='<a href="https://spplus.example/agents/mot-de-passe/MQ/secret-token/">lien</a>',
    )
    client.force_login(moderator)
    page = client.get(reverse("admin:notifications_outboxemail_change", args=[email.pk])).content.decode()
    assert "secret-token" not in page
    assert "Contenu masqué" in page
