"""A link that is a credential (password reset, correcting or evaluating in someone's place) leaves the
database once its e-mail is sent: the recipient's copy works, the stored copy has no token."""

import importlib
import re
import smtplib
from unittest import mock

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse

from experiences import emails
from experiences.author_links import author_edit_url
from notifications.models import OutboxEmail, OutboxStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "un-nouveau-mot-de-passe-2026"
redaction = importlib.import_module("notifications.migrations.0003_redact_sent_private_links")


def _link(text: str, path: str) -> str:
    return re.search(rf"https?://\S+?{path}\S+/", text).group(0)


def _stored(kind: str) -> OutboxEmail:
    return OutboxEmail.objects.get(kind=kind)


def test_password_reset_link_works_from_the_mailbox_and_is_gone_from_the_database(
    client, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agents:password_reset"), {"email": agent.email})

    (message,) = mail.outbox
    link = _link(message.body, "/agents/mot-de-passe/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    stored = _stored("password_reset")
    assert stored.status == OutboxStatus.SENT
    assert token not in stored.body_text + stored.body_html
    assert "lien-retire-apres-envoi" in stored.body_text
    assert "lien-retire-apres-envoi" in stored.body_html
    assert stored.private_links == []
    # The recipient's copy still works.
    path = "/" + link.split("/", 3)[3]
    recipient = Client()
    form = recipient.get(path, follow=True)
    recipient.post(form.request["PATH_INFO"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)


@pytest.mark.parametrize("kind", ["experience_to_modify", "response_published", "response_modified"])
def test_citizen_private_link_is_redacted_once_sent(kind, django_capture_on_commit_callbacks):
    response = f.ResponseFactory()
    experience = response.assignment.experience
    with django_capture_on_commit_callbacks(execute=True):
        if kind == "experience_to_modify":
            emails.experience_to_modify(experience, message="Retirez le nom", edit_url=author_edit_url(experience))
        else:
            getattr(emails, kind)(response)

    (message,) = mail.outbox
    token = _link(message.body, "/experiences/(?:evaluer|modifier)/").rstrip("/").rsplit("/", 1)[1]
    html = message.alternatives[0][0]
    assert token in html
    stored = _stored(kind)
    assert token not in stored.body_text + stored.body_html
    if kind != "experience_to_modify":
        assert experience.get_absolute_url() in stored.body_text  # the public link stays


def test_failed_email_keeps_its_link_for_the_next_attempt(agent, django_capture_on_commit_callbacks):
    failure = smtplib.SMTPException("421 service indisponible")
    with (
        mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=failure),
        django_capture_on_commit_callbacks(execute=True),
    ):
        Client().post(reverse("agents:password_reset"), {"email": agent.email})

    stored = _stored("password_reset")
    assert stored.status == OutboxStatus.PENDING
    (link,) = stored.private_links
    assert link in stored.body_text


def test_migration_redacts_emails_sent_before_and_nothing_else():
    reset = "https://spplus.example/agents/mot-de-passe/MQ/cz1abc-0123456789abcdef/"
    evaluation = "https://spplus.example/experiences/evaluer/12:1tEmQ3:AbCdEf/"
    public = "https://spplus.example/experiences/123456/"
    rows = {
        "sent_reset": ("password_reset", "sent", reset),
        "sent_evaluation": ("response_published", "sent", f"{public}\n{evaluation}"),
        "pending_reset": ("password_reset", "pending", reset),
        "published": ("experience_published", "sent", public),
    }
    emails = {
        name: OutboxEmail.objects.create(
            kind=kind,
            to="x@example.org",
            subject="objet",
            status=status,
            sent_at="2026-11-01T10:00Z" if status == "sent" else None,
            body_text=body,
            body_html=f'<a href="{body}">lien</a>',
        )
        for name, (kind, status, body) in rows.items()
    }

    redaction.redact_sent(apps, None)

    for email in emails.values():
        email.refresh_from_db()
    assert emails["sent_reset"].body_text == "https://spplus.example/agents/mot-de-passe/MQ/lien-retire-apres-envoi/"
    assert "cz1abc" not in emails["sent_reset"].body_html
    assert (
        emails["sent_evaluation"].body_text
        == f"{public}\nhttps://spplus.example/experiences/evaluer/lien-retire-apres-envoi/"
    )
    assert emails["pending_reset"].body_text == reset
    assert emails["published"].body_text == public
