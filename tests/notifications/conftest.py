"""Outbox fixtures: an e-mail queued the way a business step queues it."""

from unittest import mock

import pytest

from notifications.services import queue_email
from tests import factories as f

RECIPIENT = "camille.durand@example.org"


@pytest.fixture
def queue_rejection(db):
    """Queue the « experience rejected » e-mail; returns the outbox row (None when deduplicated)."""

    def queue(*, to: str = RECIPIENT, dedupe_key: str | None = None):
        experience = f.ExperienceFactory(title="Accueil de la mairie de Lyon")
        return queue_email(
            template="experience_rejected",
            to=to,
            context={
                "experience": experience,
                "experience_url": "https://spplus.localhost/experiences/123456/",
                "reason": "Données personnelles",
                "message": "",
            },
            reference=f"expérience {experience.pk}",
            dedupe_key=dedupe_key,
        )

    return queue


@pytest.fixture
def pending_email(queue_rejection):
    """A committed row whose task was handed to the broker but has not run yet."""
    with mock.patch("notifications.tasks.deliver_email.apply_async"):
        email = queue_rejection()
    return email


@pytest.fixture
def territories(transactional_db):
    """Transactional tests flush every table after them, the territories a data migration loaded included;
    experiences need their department back."""
    from structures.models import Department, Region
    from structures.territories import load_territories

    load_territories(Region, Department)
