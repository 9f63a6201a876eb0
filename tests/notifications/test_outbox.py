"""The outbox: delivered after commit, never lost when the broker is down, never sent twice, retried with backoff."""

import datetime
import smtplib
import threading
import time
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from experiences.models import ModerationState, RejectionReason
from experiences.services import moderation
from notifications import services
from notifications.models import OutboxEmail, OutboxStatus
from notifications.tasks import deliver_email, sweep_outbox
from tests import factories as f

from .conftest import RECIPIENT

pytestmark = pytest.mark.django_db

SMTP_DOWN = mock.patch(
    "django.core.mail.backends.locmem.EmailBackend.send_messages",
    side_effect=smtplib.SMTPException("421 service indisponible"),
)
BROKER_DOWN = mock.patch(
    "notifications.tasks.deliver_email.apply_async",
    side_effect=OperationalError("Error 111 connecting to redis:6379. Connection refused."),
)


@pytest.fixture
def failed_once(queue_rejection, time_machine, django_capture_on_commit_callbacks):
    """An e-mail whose first delivery the mail server refused, with the clock frozen at that moment."""
    time_machine.move_to(timezone.now(), tick=False)
    with SMTP_DOWN, django_capture_on_commit_callbacks(execute=True):
        email = queue_rejection()
    email.refresh_from_db()
    return email


def test_queued_email_is_delivered_after_commit(queue_rejection, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_rejection()
        assert mail.outbox == []

    (message,) = mail.outbox
    assert message.to == [RECIPIENT]
    assert message.subject == email.subject
    assert "Données personnelles" in message.body
    assert message.alternatives == [(email.body_html, "text/html")]
    assert message.message()["Message-ID"].startswith(f"<outbox-{email.pk}@")
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(queue_rejection, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            queue_rejection()
            raise RuntimeError("l'étape métier échoue après avoir mis l'e-mail en file")

    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_email_is_sent_once_when_its_task_runs_twice(pending_email):
    first = deliver_email(pending_email.pk)
    second = deliver_email(pending_email.pk)

    assert (first, second) == (OutboxStatus.SENT, None)
    assert len(mail.outbox) == 1


def test_email_already_sent_is_not_sent_again_by_the_service(pending_email):
    services.deliver(pending_email.pk)
    assert services.deliver(pending_email.pk) is None
    assert len(mail.outbox) == 1


def _wait_for_lock_waiters(count: int) -> None:
    """Until `count` sessions on this test database wait for a row lock (a deadline, no fixed sleep)."""
    deadline = time.monotonic() + 20
    with connection.cursor() as cursor:
        while True:
            # Statistics views keep their first reading for the whole transaction unless told otherwise.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"{count} sessions auraient dû attendre le verrou de la ligne")
            time.sleep(0.05)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("territories")
def test_email_is_sent_once_when_workers_race_for_it(pending_email, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    workers = 4
    statuses = []

    def worker():
        try:
            statuses.append(services.deliver(pending_email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    try:
        # The row is locked while every worker reaches its claim, so all claims meet at the same instant.
        with transaction.atomic():
            OutboxEmail.objects.select_for_update().get(pk=pending_email.pk)
            for thread in threads:
                thread.start()
            _wait_for_lock_waiters(workers)
    finally:
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(statuses, key=str) == [None] * (workers - 1) + [OutboxStatus.SENT]
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get().status == OutboxStatus.SENT


def test_business_step_commits_when_the_broker_is_unreachable(moderator, django_capture_on_commit_callbacks):
    experience = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED, author_email=RECIPIENT)

    with BROKER_DOWN, django_capture_on_commit_callbacks(execute=True):
        moderation.reject_experience(experience=experience, by=moderator, reason=RejectionReason.DUPLICATE)

    experience.refresh_from_db()
    assert experience.moderation_state == ModerationState.REJECTED
    email = OutboxEmail.objects.get()
    assert (email.to, email.status, email.attempts) == (RECIPIENT, OutboxStatus.PENDING, 0)
    assert mail.outbox == []


def test_sweep_sends_what_the_broker_never_received(queue_rejection, django_capture_on_commit_callbacks):
    with BROKER_DOWN, django_capture_on_commit_callbacks(execute=True):
        email = queue_rejection()

    assert sweep_outbox() == 1

    (message,) = mail.outbox
    assert message.to == [RECIPIENT]
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT


def test_failed_delivery_is_recorded_and_scheduled_for_later(failed_once):
    assert failed_once.status == OutboxStatus.PENDING
    assert failed_once.attempts == 1
    assert failed_once.last_error == "SMTPException: 421 service indisponible"
    assert failed_once.claimed_at is None
    assert failed_once.next_attempt_at == timezone.now() + services.backoff(1)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (4, 8), (6, 32), (7, 60), (services.MAX_ATTEMPTS, 60)]
)
def test_backoff_doubles_up_to_one_hour(attempts, minutes):
    assert services.backoff(attempts) == datetime.timedelta(minutes=minutes)


def test_sweep_does_not_retry_before_the_backoff_ends(failed_once, time_machine):
    time_machine.move_to(failed_once.next_attempt_at - datetime.timedelta(seconds=1), tick=False)

    assert sweep_outbox() == 0

    failed_once.refresh_from_db()
    assert (failed_once.status, failed_once.attempts) == (OutboxStatus.PENDING, 1)
    assert mail.outbox == []


def test_sweep_retries_once_the_backoff_is_over(failed_once, time_machine):
    time_machine.move_to(failed_once.next_attempt_at, tick=False)

    assert sweep_outbox() == 1

    assert len(mail.outbox) == 1
    failed_once.refresh_from_db()
    assert (failed_once.status, failed_once.attempts) == (OutboxStatus.SENT, 2)


def test_email_fails_for_good_after_the_last_attempt(failed_once, time_machine):
    with SMTP_DOWN:
        for _ in range(services.MAX_ATTEMPTS - 1):
            failed_once.refresh_from_db()
            time_machine.move_to(failed_once.next_attempt_at, tick=False)
            sweep_outbox()

    failed_once.refresh_from_db()
    assert failed_once.status == OutboxStatus.FAILED
    assert failed_once.attempts == services.MAX_ATTEMPTS
    time_machine.move_to(failed_once.next_attempt_at + datetime.timedelta(days=1), tick=False)
    assert sweep_outbox() == 0
    assert mail.outbox == []


def test_resend_sends_a_failed_email_again(pending_email, django_capture_on_commit_callbacks):
    OutboxEmail.objects.filter(pk=pending_email.pk).update(
        status=OutboxStatus.FAILED, attempts=services.MAX_ATTEMPTS, last_error="SMTPException: refusé"
    )

    with django_capture_on_commit_callbacks(execute=True):
        count = services.resend(OutboxEmail.objects.all())

    assert count == 1
    assert len(mail.outbox) == 1
    pending_email.refresh_from_db()
    assert (pending_email.status, pending_email.attempts) == (OutboxStatus.SENT, 1)


def test_resend_leaves_sent_emails_alone(pending_email, django_capture_on_commit_callbacks):
    services.deliver(pending_email.pk)

    with django_capture_on_commit_callbacks(execute=True):
        count = services.resend(OutboxEmail.objects.all())

    assert count == 0
    assert len(mail.outbox) == 1


def test_sweep_releases_and_sends_an_email_whose_worker_died(pending_email):
    OutboxEmail.objects.filter(pk=pending_email.pk).update(
        status=OutboxStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - services.STALE_CLAIM_AFTER - datetime.timedelta(minutes=1),
    )

    assert sweep_outbox() == 1

    assert len(mail.outbox) == 1
    pending_email.refresh_from_db()
    assert (pending_email.status, pending_email.attempts) == (OutboxStatus.SENT, 2)


def test_sweep_leaves_a_fresh_claim_to_its_worker(pending_email):
    claimed_at = timezone.now() - datetime.timedelta(minutes=1)
    OutboxEmail.objects.filter(pk=pending_email.pk).update(status=OutboxStatus.SENDING, claimed_at=claimed_at)

    assert sweep_outbox() == 0

    assert mail.outbox == []
    pending_email.refresh_from_db()
    assert (pending_email.status, pending_email.claimed_at) == (OutboxStatus.SENDING, claimed_at)


def test_same_dedupe_key_queues_one_email_and_keeps_the_transaction_usable(
    queue_rejection, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = queue_rejection(dedupe_key="digest:agent-42:2026-03-02")
        second = queue_rejection(dedupe_key="digest:agent-42:2026-03-02")
        # Still usable: a broken transaction would refuse this query on PostgreSQL.
        assert OutboxEmail.objects.count() == 1

    assert first is not None and second is None
    assert len(mail.outbox) == 1


def test_empty_recipient_queues_nothing(queue_rejection):
    assert queue_rejection(to="") is None
    assert not OutboxEmail.objects.exists()
