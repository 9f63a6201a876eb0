"""Queue, deliver and sweep outbox e-mails: nothing lost when the broker is down, nothing sent twice.

A business step calls `queue_email` inside its transaction; the row commits or rolls back with the
step. After the commit a Celery task delivers it. Delivery claims the row with a conditional UPDATE,
so two workers never both send it; a worker that dies after its claim leaves a stale claim that the
periodic sweep releases. An e-mail handed to the mail server by a worker that died before recording
it can go out again: the Message-ID stays the same, so mail servers can tell it is one message.
"""

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import PRIVATE_LINKS, OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A claim older than this belongs to a worker that died mid-way.
STALE_CLAIM_AFTER = datetime.timedelta(minutes=10)
SWEEP_BATCH = 200


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render_email(template: str, context: dict) -> Rendered:
    """templates/emails/<template>/{subject.txt, body.txt, body.html}, with the site's address."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    subject = render_to_string(f"emails/{template}/subject.txt", context)
    return Rendered(
        subject=" ".join(subject.split())[:255],
        text=render_to_string(f"emails/{template}/body.txt", context).strip() + "\n",
        html=render_to_string(f"emails/{template}/body.html", context),
    )


def queue_email(
    *, template: str, to: str, context: dict, reference: str = "", dedupe_key: str | None = None
) -> OutboxEmail | None:
    """Record an e-mail in the current transaction; it is handed to Celery once the transaction commits.

    Returns None when `to` is empty or `dedupe_key` was already queued.
    """
    if not to:
        return None
    rendered = render_email(template, context)
    keys = PRIVATE_LINKS.get(template, ())
    private_links = [context[key] for key in ((keys,) if isinstance(keys, str) else keys) if context.get(key)]
    email = OutboxEmail(
        kind=template,
        to=to,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        reference=reference[:100],
        dedupe_key=dedupe_key,
        private_links=private_links,
    )
    try:
        # A savepoint, so a duplicate key does not break the caller's transaction.
        with transaction.atomic():
            email.save()
    except IntegrityError:
        if dedupe_key and OutboxEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(partial(dispatch, email.pk))
    return email


def dispatch(pk: int) -> None:
    """Hand one e-mail to Celery; if the broker is unreachable the row waits for the sweep."""
    from .tasks import deliver_email

    try:
        deliver_email.apply_async((pk,), retry=False)
    except Exception:  # noqa: BLE001 — any broker failure: the row is safe in the database.
        logger.warning("Broker unreachable: e-mail %s left for the sweep", pk, exc_info=True)


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes after each failure, at most one hour."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def claim(pk: int) -> bool:
    """Take the e-mail for this worker alone: True for exactly one caller while it is due."""
    now = timezone.now()
    return bool(
        OutboxEmail.objects.filter(pk=pk, status=OutboxStatus.PENDING, next_attempt_at__lte=now).update(
            status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def deliver(pk: int) -> OutboxStatus | None:
    """Send one due e-mail. Returns its new status, or None when another worker has it or it is not due."""
    if not claim(pk):
        return None
    email = OutboxEmail.objects.get(pk=pk)
    try:
        _send(email)
    except Exception as error:  # noqa: BLE001 — SMTP, DNS, TLS…: recorded on the row, retried later.
        return _record_failure(email, error)
    # Sent: the private links' tokens have done their job in the mailbox and leave the database.
    OutboxEmail.objects.filter(pk=pk, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", **email.redacted_bodies()
    )
    return OutboxStatus.SENT


def _send(email: OutboxEmail) -> None:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": f"<outbox-{email.pk}@{domain}>", "Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    message.send()


def _record_failure(email: OutboxEmail, error: Exception) -> OutboxStatus:
    attempts = email.attempts
    final = attempts >= MAX_ATTEMPTS
    status = OutboxStatus.FAILED if final else OutboxStatus.PENDING
    logger.warning("E-mail %s failed (attempt %s/%s): %s", email.pk, attempts, MAX_ATTEMPTS, error)
    OutboxEmail.objects.filter(pk=email.pk, status=OutboxStatus.SENDING).update(
        status=status,
        claimed_at=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=timezone.now() + backoff(attempts),
    )
    return status


def release_stale_claims() -> int:
    """Give back the e-mails of workers that died after claiming them."""
    stale = timezone.now() - STALE_CLAIM_AFTER
    return OutboxEmail.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=stale).update(
        status=OutboxStatus.PENDING, claimed_at=None, last_error="Envoi interrompu (processus arrêté)"
    )


def sweep() -> int:
    """Deliver what is due and was never delivered (broker down at commit time, failures to retry)."""
    release_stale_claims()
    due = (
        OutboxEmail.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(1 for pk in list(due) if deliver(pk) == OutboxStatus.SENT)


@transaction.atomic
def resend(emails) -> int:
    """A moderator sends failed e-mails again: they start over with a fresh count of attempts."""
    pks = list(
        emails.filter(Q(status=OutboxStatus.FAILED) | Q(status=OutboxStatus.PENDING)).values_list("pk", flat=True)
    )
    OutboxEmail.objects.filter(pk__in=pks).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
    for pk in pks:
        transaction.on_commit(partial(dispatch, pk))
    return len(pks)
