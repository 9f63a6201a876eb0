"""The e-mail outbox: every e-mail is a row written in the transaction of the step that causes it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape

# The context entries of each kind of e-mail whose link is a credential: it signs in, corrects, evaluates or
# deletes in someone's place. The link is recorded with the e-mail and its token removed once it is sent, since a
# token in the database is a password in the database; the admin never shows these e-mails' content.
PRIVATE_LINKS = {
    "password_reset": "reset_url",
    "account_created": "reset_url",
    "experience_to_modify": "edit_url",
    "response_published": "evaluation_url",
    "response_modified": "evaluation_url",
    # Every e-mail to a panellist carries the link that deletes their profile.
    "panel_confirm": ("confirm_url", "leave_url"),
    "panel_welcome": "leave_url",
    "panel_already_member": "leave_url",
    "panel_invitation": ("answer_url", "leave_url"),
}
PRIVATE_KINDS = frozenset(PRIVATE_LINKS)
REDACTED = "lien-retire-apres-envoi"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "À envoyer"
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec définitif"


class OutboxEmail(models.Model):
    """One e-mail to one recipient, rendered when queued, delivered by a Celery task."""

    kind = models.CharField("type", max_length=50, db_index=True)
    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=255)
    body_text = models.TextField("texte")
    body_html = models.TextField("HTML", blank=True)
    # What the e-mail is about, for the admin's search (« expérience 123456 »); never the recipient.
    reference = models.CharField("objet concerné", max_length=100, blank=True, db_index=True)
    # Makes a step that runs twice (a retried digest, a double click) queue its e-mail once.
    dedupe_key = models.CharField("clé d'unicité", max_length=150, null=True, blank=True, unique=True)
    status = models.CharField("état", max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    claimed_at = models.DateTimeField("pris en charge le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    # Emptied when the e-mail is sent and its bodies no longer hold them.
    private_links = models.JSONField("liens personnels", default=list, blank=True)

    class Meta:
        verbose_name = "e-mail"
        verbose_name_plural = "e-mails (file d'envoi)"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OutboxStatus.values), name="outbox_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False), name="outbox_sent_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENDING) | Q(claimed_at__isnull=False),
                name="outbox_sending_is_claimed",
            ),
        ]
        indexes = [
            # The sweep: what is due, oldest first; sent rows (nearly all of them) stay out of the index.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def redacted_bodies(self) -> dict[str, str]:
        """The text and HTML bodies with the token of each private link replaced, ready to save once sent."""
        text, html = self.body_text, self.body_html
        for link in self.private_links:
            redacted = redact_link(link)
            text = text.replace(link, redacted)
            html = html.replace(escape(link), escape(redacted)).replace(link, redacted)
        return {"body_text": text, "body_html": html, "private_links": []}


def redact_link(link: str) -> str:
    """https://…/mot-de-passe/MQ/<token>/ → https://…/mot-de-passe/MQ/lien-retire-apres-envoi/ (the token is last)."""
    head, slash, tail = link.rstrip("/").rpartition("/")
    return f"{head}{slash}{REDACTED}/" if slash else REDACTED
